"""Validation of uploaded visit records: what upstream accepts, and why it refuses the rest.

Each record is judged alone so one bad row never blocks the batch (the client
quarantines the rejected ids and keeps the others). The reasons are stable codes
the client may store.
"""

from __future__ import annotations

import math
import re
from typing import Any

from kiosk.decision import PassKind, Reason, Verdict, VerifiedBy

MAX_BATCH = 500
MAX_ID_LEN = 100
_HASH_RE = re.compile(r"[0-9a-f]{64}")
_KINDS = frozenset(k.value for k in PassKind)
_DECISIONS = frozenset(v.value for v in Verdict)
_VERIFIED_BY = frozenset(v.value for v in VerifiedBy)
_REASONS = frozenset(r.value for r in Reason)
# Fields that would carry the raw pass or personal data: upstream refuses to receive them.
_FORBIDDEN = frozenset({"pass", "pass_text", "raw", "name", "dob", "phone"})


def record_id(record: Any) -> str | None:
    if isinstance(record, dict):
        rid = record.get("id")
        if isinstance(rid, str) and 0 < len(rid) <= MAX_ID_LEN:
            return rid
    return None


def record_problem(record: Any) -> str | None:
    """The rejection reason code for one record, or None when it is acceptable."""
    if not isinstance(record, dict):
        return "not_an_object"
    if record_id(record) is None:
        return "invalid_id"
    forbidden = sorted(_FORBIDDEN & set(record))
    if forbidden:
        return "personal_data_forbidden"
    scanned_at = record.get("scanned_at")
    if (
        not isinstance(scanned_at, int | float)
        or isinstance(scanned_at, bool)
        or not math.isfinite(scanned_at)
        or scanned_at <= 0
    ):
        return "invalid_scanned_at"
    if record.get("kind") not in _KINDS:
        return "invalid_kind"
    pass_hash = record.get("pass_hash")
    if not isinstance(pass_hash, str) or not _HASH_RE.fullmatch(pass_hash):
        return "invalid_pass_hash"
    if record.get("decision") not in _DECISIONS:
        return "invalid_decision"
    if record.get("reason") not in _REASONS:
        return "invalid_reason"
    if record.get("verified_by") not in _VERIFIED_BY:
        return "invalid_verified_by"
    uci_hash = record.get("uci_hash")
    if uci_hash is not None and (not isinstance(uci_hash, str) or not _HASH_RE.fullmatch(uci_hash)):
        return "invalid_uci_hash"
    return None
