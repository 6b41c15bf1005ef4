"""Visit records: the durable log of every scan, written together with its outbox row."""

from __future__ import annotations

import json
import math
import random
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from kiosk.decision import PassKind, Reason, Verdict, VerifiedBy
from kiosk.store.database import Database, lenient_text
from kiosk.store.errors import ConstraintError

E = TypeVar("E")


class UpstreamState(StrEnum):
    PENDING = "pending"  # not yet acknowledged by upstream
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class VisitRecord:
    id: str
    scanned_at: float  # epoch seconds
    kind: PassKind
    pass_hash: str  # SHA-256 hex of the normalized pass text; the text itself is never stored
    uci_hash: str | None
    holder_masked: str | None
    decision: Verdict
    reason: Reason
    verified_by: VerifiedBy
    upstream_state: UpstreamState
    kiosk_id: str
    reconciliation: str | None = None  # what upstream later said about an offline admission


VISIT_COLUMNS = (
    "id, scanned_at, kind, pass_hash, uci_hash, holder_masked, decision, reason, "
    "verified_by, upstream_state, kiosk_id, reconciliation"
)
_VISIT_WIDTH = VISIT_COLUMNS.count(",") + 1


def new_visit_id(clock_now: float, rng: random.Random) -> str:
    """A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then sub-millisecond time, then randomness.

    The 12 `rand_a` bits carry the sub-millisecond fraction (RFC 9562 method 3), so
    ids from one kiosk sort in scan order even within a millisecond.
    """
    if clock_now < 0:
        raise ValueError("visit time before 1970")
    ms_total = clock_now * 1000.0
    unix_ms = int(ms_total) & ((1 << 48) - 1)
    sub_ms = min(int((ms_total - int(ms_total)) * 4096), 4095)
    rand_b = rng.getrandbits(62)
    value = (unix_ms << 80) | (0x7 << 76) | (sub_ms << 64) | (0b10 << 62) | rand_b
    hex_ = f"{value:032x}"
    return f"{hex_[:8]}-{hex_[8:12]}-{hex_[12:16]}-{hex_[16:20]}-{hex_[20:]}"


def _member(members: Mapping[object, E], enum: Callable[[object], E], value: object) -> E:
    """`enum(value)`, looked up directly for a stored value it knows (the uploader and the
    reconciliation read thousands of rows); anything else raises as `enum(value)` does."""
    try:
        return members[value]
    except (KeyError, TypeError):
        return enum(value)


_KINDS: dict[object, PassKind] = {m.value: m for m in PassKind}
_VERDICTS: dict[object, Verdict] = {m.value: m for m in Verdict}
_REASONS: dict[object, Reason] = {m.value: m for m in Reason}
_PATHS: dict[object, VerifiedBy] = {m.value: m for m in VerifiedBy}
_STATES: dict[object, UpstreamState] = {m.value: m for m in UpstreamState}


def visit_from_row(row: sqlite3.Row, start: int = 0) -> VisitRecord:
    """The visit in `row`, whose columns from `start` on are VISIT_COLUMNS, in their order.

    Read by position: by name, each column was a search through the row's column names
    (the uploader reads a visit for every record of every batch it sends).
    """
    (
        visit_id, scanned_at, kind, hashed, uci_hash, holder_masked, verdict, reason,
        verified_by, upstream_state, kiosk_id, reconciliation,
    ) = row[start : start + _VISIT_WIDTH]
    return VisitRecord(
        id=visit_id,
        scanned_at=scanned_at,
        kind=_member(_KINDS, PassKind, kind),
        pass_hash=hashed,
        uci_hash=uci_hash,
        holder_masked=holder_masked,
        decision=_member(_VERDICTS, Verdict, verdict),
        reason=_member(_REASONS, Reason, reason),
        verified_by=_member(_PATHS, VerifiedBy, verified_by),
        upstream_state=_member(_STATES, UpstreamState, upstream_state),
        kiosk_id=kiosk_id,
        reconciliation=reconciliation,
    )


def upload_record(v: VisitRecord) -> dict[str, object]:
    """The upload form of a visit: identifiers and outcome only, no personal data."""
    record: dict[str, object] = {
        "id": v.id,
        "scanned_at": v.scanned_at,
        "kind": str(v.kind),
        "pass_hash": v.pass_hash,
        "decision": str(v.decision),
        "reason": str(v.reason),
        "verified_by": str(v.verified_by),
        "kiosk_id": v.kiosk_id,
    }
    if v.uci_hash is not None:
        record["uci_hash"] = v.uci_hash
    return record


def record_visit(
    db: Database, record: VisitRecord, *, wait_s: float | None = None, carried: Sequence[str] = ()
) -> None:
    """Insert the visit and its outbox row in one transaction, committed on return.

    Only after this returns may a verdict be shown: a crash can then lose nothing
    that was displayed, and the outbox row guarantees the upload happens exactly once.
    A record already `confirmed` (upstream stored it with the online verification)
    gets its outbox row as `sent`, so the uploader leaves it alone; so do the `carried`
    visits, earlier ones the same verification brought upstream (acknowledged by id),
    in the same transaction: no second commit in the verdict path.
    `wait_s` bounds the wait for another process's write lock (DatabaseBusyError past it).
    """
    outbox_state = "sent" if record.upstream_state is UpstreamState.CONFIRMED else "pending"
    try:
        with db.transaction(wait_s=wait_s) as conn:
            conn.execute(
                f"INSERT INTO visits ({VISIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.id,
                    record.scanned_at,
                    str(record.kind),
                    record.pass_hash,
                    record.uci_hash,
                    record.holder_masked,
                    str(record.decision),
                    str(record.reason),
                    str(record.verified_by),
                    str(record.upstream_state),
                    record.kiosk_id,
                    record.reconciliation,
                ),
            )
            conn.execute(
                "INSERT INTO outbox (visit_id, attempts, next_attempt_at, last_error, state) "
                "VALUES (?, 0, ?, NULL, ?)",
                (record.id, record.scanned_at, outbox_state),
            )
            mark_confirmed(conn, carried)
    except ConstraintError as exc:
        raise ConstraintError(f"visit {record.id} could not be recorded: {exc.message}") from exc


# Any number of ids as one parameter (`ids_param`): one statement text whatever the count, so
# SQLite compiles it once per connection instead of once per count of ids (and no count
# reaches SQLite's limit on bound parameters).
IDS_PARAM = "(SELECT value FROM json_each(?))"


def ids_param(ids: Sequence[str]) -> str:
    return json.dumps(list(ids))


def mark_confirmed(conn: sqlite3.Connection, ids: Sequence[str]) -> int:
    """Within a transaction: upstream acknowledged these visits; returns how many outbox rows
    changed state (an id acknowledged twice counts once)."""
    if not ids:
        return 0
    marks = ids_param(ids)
    changed = conn.execute(
        f"UPDATE outbox SET state = 'sent', last_error = NULL "
        f"WHERE visit_id IN {IDS_PARAM} AND state != 'sent'",
        (marks,),
    ).rowcount
    conn.execute(f"UPDATE visits SET upstream_state = 'confirmed' WHERE id IN {IDS_PARAM}", (marks,))
    return int(changed)


def get_visit(db: Database, visit_id: str) -> VisitRecord | None:
    rows = db.query(f"SELECT {VISIT_COLUMNS} FROM visits WHERE id = ?", (visit_id,))
    return visit_from_row(rows[0]) if rows else None


def list_visits(db: Database, since: float | None = None, until: float | None = None) -> list[VisitRecord]:
    """Visits with since <= scanned_at < until (either bound optional), oldest first."""
    rows = db.query(
        f"SELECT {VISIT_COLUMNS} FROM visits "
        "WHERE (:since IS NULL OR scanned_at >= :since) AND (:until IS NULL OR scanned_at < :until) "
        "ORDER BY scanned_at, id",
        {"since": since, "until": until},
    )
    return [visit_from_row(r) for r in rows]


def visits_for_review(db: Database, since: float, until: float, limit: int) -> list[VisitRecord]:
    """Visits with since <= scanned_at < until for the owner's list, at most `limit`.

    Staff checks nobody answered yet (still `manual`) come first, oldest first as a queue
    is served; then every other visit, newest first. The limit never hides an unanswered one
    behind answered visits.
    """
    rows = db.query(
        f"SELECT {VISIT_COLUMNS} FROM visits WHERE scanned_at >= ? AND scanned_at < ? "
        "ORDER BY decision = 'manual' DESC, CASE WHEN decision = 'manual' THEN scanned_at "
        "ELSE -scanned_at END, id LIMIT ?",
        (since, until, limit),
    )
    return [visit_from_row(r) for r in rows]


@dataclass(frozen=True, slots=True)
class VisitCounts:
    """Visits counted by verdict and by how they were verified (keys as stored: "admit", "offline")."""

    by_decision: Mapping[str, int]
    by_path: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_decision.values())


def visits_since(db: Database, since: float, until: float | None = None) -> VisitCounts:
    """Visits with since <= scanned_at (< until when given): "visits today" from local midnight."""
    # Read as bytes: one damaged row must not stop the status bar's count.
    rows = db.query(
        "SELECT CAST(decision AS BLOB) AS d, CAST(verified_by AS BLOB) AS p, count(*) AS n FROM visits "
        "WHERE scanned_at >= :since AND (:until IS NULL OR scanned_at < :until) GROUP BY d, p",
        {"since": since, "until": until},
    )
    by_decision: dict[str, int] = {}
    by_path: dict[str, int] = {}
    for r in rows:
        decision, path, n = lenient_text(r["d"]), lenient_text(r["p"]), int(r["n"])
        by_decision[decision] = by_decision.get(decision, 0) + n
        by_path[path] = by_path.get(path, 0) + n
    return VisitCounts(by_decision, by_path)


def visits_per_hour(db: Database, since: float, until: float) -> tuple[int, ...]:
    """Visits in each hour from `since` (the last one may be short), up to `until` (exclusive)."""
    buckets = [0] * math.ceil((until - since) / 3600)
    rows = db.query(
        "SELECT CAST((scanned_at - ?) / 3600 AS INTEGER) AS h, count(*) AS n FROM visits "
        "WHERE scanned_at >= ? AND scanned_at < ? GROUP BY h",
        (since, since, until),
    )
    for r in rows:
        h = int(r["h"])
        if 0 <= h < len(buckets):
            buckets[h] += int(r["n"])
    return tuple(buckets)
