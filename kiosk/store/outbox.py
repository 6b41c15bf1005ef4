"""The upload queue: one row per visit, drained by the uploader.

Nothing is deleted on the way: an acknowledged row stays as 'sent' so a duplicate
acknowledgement is harmless, and a poisoned row is quarantined where the owner
can see it instead of blocking the queue or vanishing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from kiosk.errors import StoreError
from kiosk.store.database import Database, lenient_text
from kiosk.store.errors import UnknownVisitError
from kiosk.store.visits import (
    IDS_PARAM,
    VISIT_COLUMNS,
    VisitRecord,
    ids_param,
    mark_confirmed,
    visit_from_row,
)

_MAX_ERROR_CHARS = 500


class OutboxState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    QUARANTINED = "quarantined"


@dataclass(frozen=True, slots=True)
class OutboxItem:
    visit_id: str
    attempts: int
    next_attempt_at: float
    last_error: str | None
    state: OutboxState
    visit: VisitRecord


# A stored state by direct look-up (calling the enum is a slow path for every row read);
# one it does not know still raises as `OutboxState(value)` does.
_STATES: dict[object, OutboxState] = {m.value: m for m in OutboxState}
_ITEM_COLUMNS = (
    "o.attempts, o.next_attempt_at, o.last_error, o.state, "
    + ", ".join(f"v.{c.strip()}" for c in VISIT_COLUMNS.split(","))
)
# The due rows, oldest scheduled first (the uploader's batch and the visits a verification carries).
_DUE_ROWIDS = (
    "SELECT rowid FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? "
    "ORDER BY next_attempt_at, visit_id LIMIT ?"
)


def _items(db: Database, where: str, params: Sequence[object]) -> list[OutboxItem]:
    rows = db.query(
        f"SELECT {_ITEM_COLUMNS} FROM outbox o JOIN visits v ON v.id = o.visit_id WHERE {where}",
        params,
    )
    # By position (_ITEM_COLUMNS: the outbox's four, then the visit's from 4 on).
    return [
        OutboxItem(
            visit_id=r[4],
            attempts=r[0],
            next_attempt_at=r[1],
            last_error=r[2],
            state=_STATES.get(r[3]) or OutboxState(r[3]),
            visit=visit_from_row(r, 4),
        )
        for r in rows
    ]


def due(db: Database, now: float, limit: int = 100) -> list[OutboxItem]:
    """Pending items whose retry time has come, oldest scheduled first."""
    if limit <= 0:
        return []
    return _items(
        db,
        "o.state = 'pending' AND o.next_attempt_at <= ? ORDER BY o.next_attempt_at, o.visit_id LIMIT ?",
        (now, limit),
    )


@dataclass(frozen=True, slots=True)
class UnreadableItem:
    """A due outbox row whose visit cannot be read back (damaged text, a value this version
    does not know). `cause` names the problem, never the stored values."""

    rowid: int
    visit_id: str | None  # None when the id itself is unreadable
    cause: str


def _read_cause(exc: BaseException) -> str:
    if isinstance(exc, StoreError) and "decode" in str(exc.__cause__ or "").lower():
        return "unreadable row: stored text is not valid UTF-8"
    if isinstance(exc, StoreError):
        return f"unreadable row: {exc.__cause__.__class__.__name__ if exc.__cause__ else exc.key}"
    if isinstance(exc, ValueError):
        # e.g. "'x' is not a valid Reason": keep only which vocabulary did not know the value.
        vocab = str(exc).rsplit(" ", 1)[-1] if "is not a valid" in str(exc) else "value"
        return f"unreadable row: unknown {vocab}"
    return f"unreadable row: {exc.__class__.__name__}"


def due_readable(db: Database, now: float, limit: int = 100) -> tuple[list[OutboxItem], list[UnreadableItem]]:
    """Like `due`, but a row that cannot be read back is reported apart instead of failing the batch.

    One damaged row must not block every upload: the uploader quarantines these.
    """
    if limit <= 0:
        return [], []
    where = f"o.rowid IN ({_DUE_ROWIDS}) ORDER BY o.next_attempt_at, o.visit_id"
    try:
        return _items(db, where, (now, limit)), []
    except (StoreError, ValueError, TypeError, KeyError):
        pass  # find the bad rows one by one
    # Ids as bytes: reading them can never fail, whatever else in the row is damaged.
    keys = db.query(
        "SELECT rowid, CAST(visit_id AS BLOB) FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? "
        "ORDER BY next_attempt_at, visit_id LIMIT ?",
        (now, limit),
    )
    items: list[OutboxItem] = []
    bad: list[UnreadableItem] = []
    for rowid, raw_id in ((int(r[0]), r[1]) for r in keys):
        try:
            items.extend(_items(db, "o.rowid = ?", (rowid,)))
        except (StoreError, ValueError, TypeError, KeyError) as exc:
            try:
                visit_id: str | None = bytes(raw_id).decode("utf-8") if raw_id is not None else None
            except UnicodeDecodeError:
                visit_id = None
            bad.append(UnreadableItem(rowid, visit_id, _read_cause(exc)))
    return items, bad


def quarantine_unreadable(db: Database, item: UnreadableItem) -> None:
    """Set an unreadable row aside (by rowid, as its id may be damaged too); it stays owed."""
    with db.transaction() as conn:
        conn.execute(
            "UPDATE outbox SET state = 'quarantined', last_error = ? WHERE rowid = ? AND state = 'pending'",
            (item.cause[:_MAX_ERROR_CHARS], item.rowid),
        )


def due_count(db: Database, now: float, limit: int) -> int:
    """How many pending items are due at `now`, counting at most `limit`."""
    return int(
        db.scalar(
            "SELECT count(*) FROM "
            "(SELECT 1 FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? LIMIT ?)",
            (now, limit),
        )
    )


def next_due_at(db: Database) -> float | None:
    """When the earliest pending item becomes due (lets the uploader sleep until then)."""
    value = db.scalar("SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending'")
    return None if value is None else float(value)


def ripe_at(db: Database, gather_s: float) -> float | None:
    """When the first pending item is worth a batch of its own: a first try after waiting
    `gather_s` past its due time for company, a retry as soon as it is due (its backoff
    already spread it out; making it wait for company again only delays the drain)."""
    value = db.scalar(
        "SELECT min(CASE WHEN attempts > 0 THEN next_attempt_at ELSE next_attempt_at + ? END) "
        "FROM outbox WHERE state = 'pending'",
        (gather_s,),
    )
    return None if value is None else float(value)


def mark_sent(db: Database, ids: Sequence[str]) -> int:
    """Record upstream's acknowledgement; returns how many rows changed state (repeats count 0)."""
    with db.transaction() as conn:
        return mark_confirmed(conn, ids)


def mark_failed(db: Database, ids: Sequence[str], error: str, next_attempt_at: float) -> int:
    """Count a failed attempt and schedule the next one; only pending rows are touched.

    `error` is a technical cause (e.g. "timeout", "http 503"), never personal data.
    """
    # `+state`: find the rows by id; by the state index SQLite walked every pending row.
    with db.transaction() as conn:
        return int(
            conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? "
                f"WHERE visit_id IN {IDS_PARAM} AND +state = 'pending'",
                (error[:_MAX_ERROR_CHARS], next_attempt_at, ids_param(ids)),
            ).rowcount
        )


def quarantine(db: Database, visit_id: str, reason: str, *, rejected_by_upstream: bool = True) -> None:
    """Take an item out of the queue but keep it visible (e.g. upstream rejected the record).

    When upstream itself rejected it, the visit's upstream_state becomes 'rejected';
    otherwise (e.g. given up locally) it stays 'pending' so it is still owed.
    """
    with db.transaction() as conn:
        updated = conn.execute(
            "UPDATE outbox SET state = 'quarantined', last_error = ? WHERE visit_id = ? AND state != 'sent'",
            (reason[:_MAX_ERROR_CHARS], visit_id),
        ).rowcount
        if updated and rejected_by_upstream:
            conn.execute("UPDATE visits SET upstream_state = 'rejected' WHERE id = ?", (visit_id,))
    if not updated and not db.query("SELECT 1 FROM outbox WHERE visit_id = ?", (visit_id,)):
        raise UnknownVisitError(f"no outbox entry for visit {visit_id}")


def requeue(db: Database, visit_id: str, now: float) -> None:
    """Owner action: give a quarantined item another try."""
    with db.transaction() as conn:
        updated = conn.execute(
            "UPDATE outbox SET state = 'pending', next_attempt_at = ? "
            "WHERE visit_id = ? AND state = 'quarantined'",
            (now, visit_id),
        ).rowcount
        if updated:
            conn.execute("UPDATE visits SET upstream_state = 'pending' WHERE id = ?", (visit_id,))
    if not updated:
        raise UnknownVisitError(f"no quarantined outbox entry for visit {visit_id}")


def quarantined(db: Database) -> list[OutboxItem]:
    return _items(db, "o.state = 'quarantined' ORDER BY v.scanned_at, o.visit_id", ())


@dataclass(frozen=True, slots=True)
class Quarantined:
    """A quarantined upload as the owner's list shows it."""

    visit_id: str
    scanned_at: float
    holder_masked: str
    cause: str  # the outbox's last error: a problem, never personal data


def quarantined_list(db: Database, limit: int) -> tuple[Quarantined, ...]:
    """The first `limit` quarantined uploads, oldest visit first; a row with damaged text still shows
    (it is often quarantined *because* its text is not UTF-8)."""
    rows = db.query(
        "SELECT CAST(o.visit_id AS BLOB) AS id, v.scanned_at AS at, CAST(v.holder_masked AS BLOB) AS holder, "
        "CAST(o.last_error AS BLOB) AS cause FROM outbox o LEFT JOIN visits v ON v.id = o.visit_id "
        "WHERE o.state = 'quarantined' ORDER BY v.scanned_at, o.rowid LIMIT ?",
        (limit,),
    )
    return tuple(
        Quarantined(
            lenient_text(r["id"]),
            float(r["at"]) if isinstance(r["at"], int | float) else 0.0,  # no (readable) visit row
            lenient_text(r["holder"]),
            lenient_text(r["cause"]),
        )
        for r in rows
    )


def retry_uploads(db: Database, now: float) -> int:
    """The owner's "retry now": quarantined uploads go back in the queue and held ones become due.

    Returns how many uploads were made due. A quarantined row the uploader cannot read
    is quarantined again on its next round (with its cause), so retrying is always safe.
    """
    # One statement per table rather than `requeue` per item: an unreadable row
    # (the usual reason for quarantine) must not stop the others.
    with db.transaction() as conn:
        conn.execute(
            "UPDATE visits SET upstream_state = 'pending' "
            "WHERE id IN (SELECT visit_id FROM outbox WHERE state = 'quarantined')"
        )
        requeued = conn.execute(
            "UPDATE outbox SET state = 'pending', next_attempt_at = ? WHERE state = 'quarantined'", (now,)
        ).rowcount
    return requeued + release_holds(db, now)


def pending_count(db: Database) -> int:
    return int(db.scalar("SELECT count(*) FROM outbox WHERE state = 'pending'"))


def quarantined_count(db: Database) -> int:
    return int(db.scalar("SELECT count(*) FROM outbox WHERE state = 'quarantined'"))


@dataclass(frozen=True, slots=True)
class Hold:
    """Why the earliest pending item is not due yet: when it is, and the last failure's cause."""

    until: float
    last_error: str | None
    count: int  # pending items not yet due


def earliest_hold(db: Database, now: float) -> Hold | None:
    """The wait (backoff or upstream's Retry-After) holding back pending items; None if none is held."""
    rows = db.query(
        "SELECT next_attempt_at, last_error FROM outbox WHERE state = 'pending' AND next_attempt_at > ? "
        "ORDER BY next_attempt_at LIMIT 1",
        (now,),
    )
    if not rows:
        return None
    row = rows[0]
    count = db.scalar("SELECT count(*) FROM outbox WHERE state = 'pending' AND next_attempt_at > ?", (now,))
    return Hold(float(row["next_attempt_at"]), row["last_error"], int(count or 0))


def release_holds(db: Database, now: float) -> int:
    """Make every pending item due now (the owner's `kiosk sync --now`); returns how many were held."""
    with db.transaction() as conn:
        return conn.execute(
            "UPDATE outbox SET next_attempt_at = ? WHERE state = 'pending' AND next_attempt_at > ?",
            (now, now),
        ).rowcount
