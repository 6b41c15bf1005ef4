"""The admin screen's snapshot without a window: today in the kiosk's zone, the 24-hour health
timeline, uploads and trust list, read from a real data file."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from kiosk.decision import Health, Verdict, VerifiedBy
from kiosk.owner_tools.admin_snapshot import DAY_S, HealthSpan, health_spans, read_admin_snapshot
from kiosk.store import outbox
from kiosk.store.database import Database
from kiosk.store.health_log import HealthEvent, record_health
from kiosk.store.trust_age import TrustAgeLevel
from kiosk.store.visits import UpstreamState
from tests.owner_tools.conftest import T0, AddVisit

AUCKLAND = ZoneInfo("Pacific/Auckland")  # T0 is 15:00 there, 03:00 in UTC


def test_spans_cover_the_window_from_the_state_in_force_at_its_start() -> None:
    before = HealthEvent(50.0, Health.OFFLINE, "dns")
    events = [HealthEvent(120.0, Health.ONLINE, None), HealthEvent(150.0, Health.DEGRADED, "timeout")]
    assert health_spans(before, events, 100.0, 200.0) == (
        HealthSpan(100.0, 120.0, "offline", "dns"),
        HealthSpan(120.0, 150.0, "online", None),
        HealthSpan(150.0, 200.0, "degraded", "timeout"),
    )
    assert health_spans(None, [], 100.0, 200.0) == (HealthSpan(100.0, 200.0, "unknown", None),)


def test_the_snapshot_reads_today_in_the_kiosks_zone_and_the_last_24_hours(
    db: Database, add_visit: AddVisit
) -> None:
    midnight = datetime(2026, 5, 28, tzinfo=AUCKLAND).timestamp()  # T0 - 15 h
    add_visit(scanned_at=midnight - 60)  # last night in Auckland: not today
    add_visit(scanned_at=midnight + 60, decision=Verdict.DENY, verified_by=VerifiedBy.ONLINE)
    pending = add_visit(scanned_at=T0 - 120, upstream_state=UpstreamState.PENDING)
    rejected = add_visit(scanned_at=T0 - 60, upstream_state=UpstreamState.PENDING)
    outbox.quarantine(db, rejected.id, "http 422")
    outbox.mark_failed(db, [pending.id], "http 503", T0 + 600)
    record_health(db, T0 - 2 * DAY_S, Health.OFFLINE, "dns")  # in force when the window opens
    record_health(db, T0 - 3600, Health.ONLINE)

    snap = read_admin_snapshot(db, now=T0, tz=AUCKLAND, warn_age_s=3600, stale_age_s=7200)

    assert snap.today.by_decision == {"admit": 2, "deny": 1}
    assert snap.today.by_path == {"offline": 2, "online": 1}
    assert (snap.pending, snap.held, snap.quarantined) == (1, 1, 1)
    assert [q.visit_id for q in snap.quarantined_items] == [rejected.id]
    assert snap.health == (
        HealthSpan(T0 - DAY_S, T0 - 3600, "offline", "dns"),
        HealthSpan(T0 - 3600, T0, "online", None),
    )
    assert len(snap.scans_per_hour) == 24 and sum(snap.scans_per_hour) == 4
    assert snap.trust_age.level is TrustAgeLevel.MISSING and snap.trust_count == 0


def test_health_only_in_the_future_shows_nothing_known(db: Database) -> None:
    record_health(db, T0 + 60, Health.OFFLINE, "timeout")  # the kiosk's clock was set back
    snap = read_admin_snapshot(db, now=T0, tz=AUCKLAND, warn_age_s=3600, stale_age_s=7200)
    assert snap.health == (HealthSpan(T0 - DAY_S, T0, "unknown", None),)
