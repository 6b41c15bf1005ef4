"""What the admin screen shows, read in one go from the data file (no Qt).

A frozen `AdminSnapshot` is built on a worker thread and handed to the widgets,
which only render it: the GUI thread never waits on SQLite. Every value is a count,
a time, a masked name or an error cause; no pass text and no phone number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, tzinfo

from kiosk.decision import Health
from kiosk.store import outbox
from kiosk.store.database import Database
from kiosk.store.health_log import HealthEvent, health_events, last_health
from kiosk.store.issuer_store import IssuerStore
from kiosk.store.trust_age import TrustAge, trust_lists_updated_at
from kiosk.store.trust_store import TrustStore

DAY_S = 24 * 3600.0
MAX_LISTED = 200  # rows listed on screen (quarantined uploads, reconciliation); counts stay exact


@dataclass(frozen=True, slots=True)
class Quarantined:
    visit_id: str
    scanned_at: float
    holder_masked: str
    cause: str  # the outbox's last error: a problem, never personal data


@dataclass(frozen=True, slots=True)
class ReconciliationIssue:
    scanned_at: float
    holder_masked: str
    result: str  # what upstream said later: "revoked", "invalid", ...


@dataclass(frozen=True, slots=True)
class HealthSpan:
    """One stretch of the timeline at one state (`unknown` before the first known event)."""

    start: float
    end: float
    state: str
    cause: str | None


@dataclass(frozen=True, slots=True)
class AdminSnapshot:
    at: float
    today_by_decision: dict[str, int]
    today_by_path: dict[str, int]
    pending: int
    held: int  # pending uploads waiting out a backoff or upstream's Retry-After
    quarantined: int
    quarantined_items: tuple[Quarantined, ...]
    reconciliation: tuple[ReconciliationIssue, ...]
    trust_count: int
    trust_age: TrustAge
    trust_source: str  # the upstream address, or "" when certificates were only imported
    health: tuple[HealthSpan, ...]  # the last 24 hours, oldest first, covering [at - 24 h, at]
    scans_per_hour: tuple[int, ...]  # 24 buckets over the same window

    @property
    def today_total(self) -> int:
        return sum(self.today_by_decision.values())


def local_day_start(now: float, tz: tzinfo) -> float:
    day = datetime.fromtimestamp(now, tz).date()
    return datetime.combine(day, time(0), tzinfo=tz).timestamp()


def _grouped(db: Database, column: str, since: float, until: float) -> dict[str, int]:
    # `column` is one of two fixed names chosen below, never input.
    rows = db.query(
        f"SELECT {column} AS k, count(*) AS n FROM visits "
        "WHERE scanned_at >= ? AND scanned_at < ? GROUP BY k",
        (since, until),
    )
    return {str(r["k"]): int(r["n"]) for r in rows}


def health_spans(
    before: HealthEvent | None, events: Sequence[HealthEvent], since: float, until: float
) -> tuple[HealthSpan, ...]:
    """Turn transitions into spans covering [since, until]; `before` is the state in force at `since`."""
    spans: list[HealthSpan] = []
    state = str(before.state) if before is not None else "unknown"
    cause = before.cause if before is not None else None
    start = since
    for event in events:
        if event.at > start:
            spans.append(HealthSpan(start, event.at, state, cause))
        start = max(start, event.at)
        state, cause = str(event.state), event.cause
    if until > start:
        spans.append(HealthSpan(start, until, state, cause))
    return tuple(spans)


def _state_before(db: Database, at: float) -> HealthEvent | None:
    rows = db.query(
        "SELECT at, state, cause FROM health_events WHERE at < ? ORDER BY at DESC, id DESC LIMIT 1", (at,)
    )
    if not rows:
        return None
    r = rows[0]
    return HealthEvent(float(r["at"]), Health(r["state"]), r["cause"])


def _scans_per_hour(db: Database, since: float, until: float) -> tuple[int, ...]:
    buckets = [0] * 24
    rows = db.query(
        "SELECT CAST((scanned_at - ?) / 3600 AS INTEGER) AS h, count(*) AS n FROM visits "
        "WHERE scanned_at >= ? AND scanned_at < ? GROUP BY h",
        (since, since, until),
    )
    for r in rows:
        h = int(r["h"])
        if 0 <= h < 24:
            buckets[h] += int(r["n"])
    return tuple(buckets)


def _text(value: object) -> str:
    # Read as bytes: a row is often quarantined *because* its text is not UTF-8.
    if value is None:
        return ""
    return bytes(value).decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)


def _quarantined_items(db: Database) -> tuple[Quarantined, ...]:
    rows = db.query(
        "SELECT CAST(o.visit_id AS BLOB) AS id, v.scanned_at AS at, CAST(v.holder_masked AS BLOB) AS holder, "
        "CAST(o.last_error AS BLOB) AS cause FROM outbox o LEFT JOIN visits v ON v.id = o.visit_id "
        "WHERE o.state = 'quarantined' ORDER BY v.scanned_at, o.rowid LIMIT ?",
        (MAX_LISTED,),
    )
    out = []
    for r in rows:
        at = r["at"] if isinstance(r["at"], int | float) else 0.0
        out.append(Quarantined(_text(r["id"]), float(at), _text(r["holder"]), _text(r["cause"])))
    return tuple(out)


def _reconciliation_issues(db: Database) -> tuple[ReconciliationIssue, ...]:
    # The newest MAX_LISTED, shown oldest first; text read as bytes (see _text).
    rows = db.query(
        "SELECT scanned_at AS at, CAST(holder_masked AS BLOB) AS holder, "
        "CAST(reconciliation AS BLOB) AS result FROM visits "
        "WHERE reconciliation IS NOT NULL AND reconciliation != 'valid' "
        "ORDER BY scanned_at DESC, id DESC LIMIT ?",
        (MAX_LISTED,),
    )
    return tuple(
        ReconciliationIssue(float(r["at"]), _text(r["holder"]), _text(r["result"])) for r in reversed(rows)
    )


def read_admin_snapshot(
    db: Database,
    *,
    now: float,
    tz: tzinfo,
    warn_age_s: float,
    stale_age_s: float,
    upstream_url: str = "",
) -> AdminSnapshot:
    today = local_day_start(now, tz)
    window = now - DAY_S
    quarantined = _quarantined_items(db)
    issues = _reconciliation_issues(db)
    hold = outbox.earliest_hold(db, now)
    trust = TrustStore(db)
    # The state in force at the window's start, then every transition inside it.
    before = _state_before(db, window)
    events = health_events(db, since=window, until=now + 1)
    if before is None and not events:
        latest = last_health(db)  # events only in the future (clock set back): show nothing known
        before = None if latest is None or latest.at > now else latest
    return AdminSnapshot(
        at=now,
        today_by_decision=_grouped(db, "decision", today, now + 1),
        today_by_path=_grouped(db, "verified_by", today, now + 1),
        pending=outbox.pending_count(db),
        held=hold.count if hold else 0,
        quarantined=outbox.quarantined_count(db),
        quarantined_items=quarantined,
        reconciliation=issues,
        trust_count=len(trust),
        trust_age=TrustAge.at(trust_lists_updated_at(trust, IssuerStore(db)), now, warn_age_s, stale_age_s),
        trust_source=upstream_url,
        health=health_spans(before, events, window, now),
        scans_per_hour=_scans_per_hour(db, window, now),
    )


def retry_uploads(db: Database, now: float) -> int:
    """The owner's "retry now": quarantined uploads go back in the queue and held ones become due.

    Returns how many uploads were made due. A quarantined row the uploader cannot read
    is quarantined again on its next round (with its cause), so retrying is always safe.
    """
    # One statement per table rather than `outbox.requeue` per item: an unreadable row
    # (the usual reason for quarantine) must not stop the others.
    with db.transaction() as conn:
        conn.execute(
            "UPDATE visits SET upstream_state = 'pending' "
            "WHERE id IN (SELECT visit_id FROM outbox WHERE state = 'quarantined')"
        )
        requeued = conn.execute(
            "UPDATE outbox SET state = 'pending', next_attempt_at = ? WHERE state = 'quarantined'", (now,)
        ).rowcount
    return requeued + outbox.release_holds(db, now)
