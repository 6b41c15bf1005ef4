"""The shape checks on upstream's JSON answers: anything unexpected is a BAD_BODY failure."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from kiosk.verify.online import FailureCause, UpstreamFailure


def visit_recorded(data: Mapping[str, Any], visit: Mapping[str, Any]) -> bool:
    """Only an explicit "recorded" for the very id sent counts; anything else means upload it."""
    ack = data.get("visit")
    return isinstance(ack, dict) and ack.get("recorded") is True and ack.get("id") == visit.get("id")


def pending_acked(data: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The carry extension's acknowledgements; None (nothing acknowledged, the uploader sends
    them) when absent or not a list of ids."""
    acks = data.get("pending_acks")
    if not isinstance(acks, list) or not all(isinstance(a, str) for a in acks):
        return None
    return tuple(acks)


def json_value(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise UpstreamFailure(FailureCause.BAD_BODY, "upstream answered something that is not JSON") from None


def json_object(body: bytes) -> dict[str, Any]:
    data = json_value(body)
    if not isinstance(data, dict):
        raise UpstreamFailure(FailureCause.BAD_BODY, "upstream answered JSON of the wrong shape")
    return data


def optional_str(data: Mapping[str, Any], key: str, what: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    raise UpstreamFailure(FailureCause.BAD_BODY, f"{what}: '{key}' is not text")
