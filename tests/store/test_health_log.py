from __future__ import annotations

from kiosk.decision import Health
from kiosk.store.database import Database
from kiosk.store.health_log import HealthEvent, health_events, last_health, record_health
from kiosk.store.opening import open_database


def test_transitions_are_kept_in_order(db: Database) -> None:
    assert last_health(db) is None
    record_health(db, 100.0, Health.ONLINE)
    record_health(db, 160.0, Health.DEGRADED, "timeout")
    record_health(db, 400.0, Health.ONLINE)
    assert health_events(db) == [
        HealthEvent(100.0, Health.ONLINE, None),
        HealthEvent(160.0, Health.DEGRADED, "timeout"),
        HealthEvent(400.0, Health.ONLINE, None),
    ]
    assert [e.at for e in health_events(db, since=160.0)] == [160.0, 400.0]
    assert [e.at for e in health_events(db, since=100.0, until=400.0)] == [100.0, 160.0]
    reopened = open_database(db.path)
    assert last_health(reopened) == HealthEvent(400.0, Health.ONLINE, None)
    reopened.close()


def test_the_state_in_force_before_a_time(db: Database) -> None:
    record_health(db, 100.0, Health.OFFLINE, "dns")
    record_health(db, 100.0, Health.DEGRADED, "timeout")  # same instant: the later row wins
    record_health(db, 300.0, Health.ONLINE)
    assert last_health(db, before=100.0) is None
    assert last_health(db, before=300.0) == HealthEvent(100.0, Health.DEGRADED, "timeout")
    assert last_health(db, before=301.0) == HealthEvent(300.0, Health.ONLINE, None)
