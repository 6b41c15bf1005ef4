"""One visit as one line of the visit journal, and back: only a line that makes a valid visit row.

The journal is read when the data file opens, so a line must never be able to stop
the kiosk: whatever is in it (a torn append, a foreign file, an integer beyond SQLite's
64 bits, a NaN time, a verdict this build does not know), `decode` returns either a
row that inserts as it is or None, and the caller keeps the raw line aside.
"""

from __future__ import annotations

import json
import math
from typing import Any

from kiosk.decision import PassKind, Reason, Verdict, VerifiedBy
from kiosk.store.visits import VISIT_COLUMNS, UpstreamState, VisitRecord

_FORMAT = 1
COLUMNS = tuple(c.strip() for c in VISIT_COLUMNS.split(","))
_ENUMS = {
    "kind": PassKind,
    "decision": Verdict,
    "reason": Reason,
    "verified_by": VerifiedBy,
    "upstream_state": UpstreamState,
}
_TEXT = ("id", "pass_hash", "kiosk_id")
_OPTIONAL_TEXT = ("uci_hash", "holder_masked", "reconciliation")
# The visit id keeps the scan time in 48 bits of milliseconds: no visit is later than that.
_LATEST_S = (1 << 48) / 1000


def encode(record: VisitRecord) -> bytes:
    """The journal line of `record`, newline included (ASCII JSON: a line never breaks)."""
    values = {c: getattr(record, c) for c in COLUMNS}
    row = {k: (str(v) if v is not None and not isinstance(v, float) else v) for k, v in values.items()}
    line = json.dumps({"v": _FORMAT, "visit": row}, ensure_ascii=True, separators=(",", ":"))
    return line.encode("ascii") + b"\n"


def decode(line: bytes) -> dict[str, Any] | None:
    """The visit row (column -> value) a journal line holds, or None when it holds no valid one."""
    try:
        entry = json.loads(line)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past the parser
        return None
    visit = entry.get("visit") if isinstance(entry, dict) and entry.get("v") == _FORMAT else None
    if not isinstance(visit, dict):
        return None
    row = {c: visit.get(c) for c in COLUMNS}
    if not all(isinstance(row[c], str) for c in (*_TEXT, *_ENUMS)):
        return None
    if not all(row[c] is None or isinstance(row[c], str) for c in _OPTIONAL_TEXT):
        return None
    if any(row[c] not in {str(member) for member in enum} for c, enum in _ENUMS.items()):
        return None
    scanned_at = _time(row["scanned_at"])
    if scanned_at is None:
        return None
    row["scanned_at"] = scanned_at
    return row


def _time(value: object) -> float | None:
    # bool is an int to Python; an int may be far beyond what a float or SQLite holds.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        seconds = float(value)
    except OverflowError:
        return None
    if not math.isfinite(seconds) or not 0 <= seconds <= _LATEST_S:
        return None
    return seconds
