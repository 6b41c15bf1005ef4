"""What the owner's admin screen shows, read in one go from the data file (no Qt).

A frozen `AdminSnapshot` is built on a worker thread and handed to the widgets,
which only render it: the GUI thread never waits on SQLite. Every value is a count,
a time, a masked name or an error cause; no pass text and no phone number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo

from kiosk.owner_tools.outages import Transition, outages_within
from kiosk.store import outbox
from kiosk.store.database import Database
from kiosk.store.health_log import HealthEvent, health_events, last_health
from kiosk.store.issuer_store import IssuerStore
from kiosk.store.outbox import Quarantined
from kiosk.store.reconciliation import ReconciliationIssue, latest_reconciliation_issues
from kiosk.store.trust_age import TrustAge, trust_lists_updated_at
from kiosk.store.trust_store import TrustStore
from kiosk.store.visits import VisitCounts, VisitRecord, visits_for_review, visits_per_hour, visits_since
from kiosk.timefmt import local_day_start

DAY_S = 24 * 3600.0
MAX_LISTED = 200  # rows listed on screen (quarantined uploads, reconciliation); counts stay exact


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
    today: VisitCounts  # since local midnight in the kiosk's zone
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
    # The outage report's outages in the same window, clipped to it: (start, end).
    outages: tuple[tuple[float, float], ...] = ()
    # Today's visits, unanswered staff checks first (see visits_for_review); at most MAX_LISTED.
    today_visits: tuple[VisitRecord, ...] = ()


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


def read_admin_snapshot(
    db: Database,
    *,
    now: float,
    tz: tzinfo,
    warn_age_s: float,
    stale_age_s: float,
    upstream_url: str = "",
) -> AdminSnapshot:
    window = now - DAY_S
    hold = outbox.earliest_hold(db, now)
    trust = TrustStore(db)
    # The state in force at the window's start, then every transition inside it.
    before = last_health(db, before=window)
    events = health_events(db, since=window, until=now + 1)
    if before is None and not events:
        latest = last_health(db)  # events only in the future (clock set back): show nothing known
        before = None if latest is None or latest.at > now else latest
    midnight = local_day_start(now, tz)
    return AdminSnapshot(
        at=now,
        today=visits_since(db, midnight, now + 1),
        pending=outbox.pending_count(db),
        held=hold.count if hold else 0,
        quarantined=outbox.quarantined_count(db),
        quarantined_items=outbox.quarantined_list(db, MAX_LISTED),
        reconciliation=latest_reconciliation_issues(db, MAX_LISTED),
        trust_count=len(trust),
        trust_age=TrustAge.at(trust_lists_updated_at(trust, IssuerStore(db)), now, warn_age_s, stale_age_s),
        trust_source=upstream_url,
        health=health_spans(before, events, window, now),
        scans_per_hour=visits_per_hour(db, window, now),
        outages=tuple(outages_within(_transitions(before, events), window, now)),
        today_visits=tuple(visits_for_review(db, midnight, now + 1, MAX_LISTED)),
    )


def _transitions(before: HealthEvent | None, events: Sequence[HealthEvent]) -> list[Transition]:
    return [Transition(e.at, str(e.state), e.cause) for e in ([before] if before else []) + list(events)]
