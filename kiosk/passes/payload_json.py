"""Turn a decoded CBOR health certificate into plain JSON values (str keys, no tags, no dates)."""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

import cbor2

_MAX_DEPTH = 32
# What CBOR encodes without a bignum tag. No hcert field needs more, and a bigger
# integer (a bignum can carry thousands of digits) breaks JSON output and logging.
_MIN_INT, _MAX_INT = -(2**64), 2**64 - 1


def _datetime_text(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def to_json_value(value: Any, depth: int = 0) -> Any:
    """JSON-friendly copy of `value`; raises ValueError for what JSON cannot hold."""
    if depth > _MAX_DEPTH:
        raise ValueError("health certificate nested too deeply")
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        if not _MIN_INT <= value <= _MAX_INT:
            raise ValueError("health certificate holds an integer out of range")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("health certificate holds a non-finite number")
        return value
    if isinstance(value, datetime):
        return _datetime_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, list | tuple):
        return [to_json_value(v, depth + 1) for v in value]
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError("health certificate has a non-text key")
            out[key] = to_json_value(item, depth + 1)
        return out
    if isinstance(value, cbor2.CBORTag):
        # Unknown tags carry no meaning for the payload: keep the tagged value.
        return to_json_value(value.value, depth + 1)
    raise ValueError(f"health certificate holds an unsupported {type(value).__name__}")
