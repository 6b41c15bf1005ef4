"""The idempotency key of an upload batch: a digest of its records' canonical JSON lines."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any

# What `json.dumps(r, sort_keys=True, separators=(",", ":"))` writes, with one encoder for
# every record instead of a new one per call. `JSONEncoder.encode` builds its C encoder
# afresh for every record (half the cost of a record's line, for the fleet simulation
# thousands of times a second); the records are flat, so no circular check is needed.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"))


def _c_canonical() -> Any:
    """The C encoder `JSONEncoder.encode` would build, or None. Its constructor is internal to
    `json` and may change with Python: then the plain (slower, same output) path is used."""
    if c_make_encoder is None:
        return None
    try:
        return c_make_encoder(
            None, _CANONICAL.default, encode_basestring_ascii, None, ":", ",", True, False, True
        )
    except TypeError:
        return None


_C_CANONICAL = _c_canonical()


def _canonical(record: Mapping[str, Any]) -> str:
    if _C_CANONICAL is None:
        return _CANONICAL.encode(record)
    return "".join(_C_CANONICAL(record, 0))


def idempotency_key(records: Sequence[Mapping[str, Any]]) -> str:
    """The same records always get the same key, so a retry of a batch whose acknowledgement
    was lost is recognised upstream as a replay, not a new batch. A record amended since it
    was sent (a staff answer given after the upload) is new content under the same id: it
    gets a new key, or upstream would answer it from the first batch's replay."""
    lines = sorted(_canonical(r) for r in records)
    digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    return f"vb-{digest[:40]}"
