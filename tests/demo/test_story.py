"""The README's demo plays its whole story with real parts and loses nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kiosk.demo.story import LUNCH_ONLINE, OUTAGE, RECOVERY, LunchHourDemo
from kiosk.store.health_log import health_events
from kiosk.store.opening import open_database
from kiosk.store.visits import list_visits


@pytest.mark.slow
def test_lunch_hour_story_degrades_recovers_and_loses_nothing(tmp_path):
    out = io.StringIO()
    figures = LunchHourDemo(tmp_path, out, pace_s=0).run()
    text = out.getvalue()

    scanned = len(LUNCH_ONLINE) + len(OUTAGE) + len(RECOVERY)
    assert figures.scans == scanned
    assert figures.lost == 0 and figures.duplicates == 0
    assert figures.local_visits == figures.stored_upstream == scanned
    # The breaker must have stopped calling upstream during the outage.
    assert figures.online_calls_during_outage < figures.outage_scans
    assert figures.by_source.get("offline", 0) > 0 and figures.by_source.get("online", 0) > 0
    assert figures.by_verdict.get("manual", 0) > 0
    assert figures.within_budget() == 1.0
    assert figures.drain_s is not None
    assert "1 visit admitted offline in this run was later reported revoked" in figures.reconciliation
    assert "degraded" in text and "Figures" in text

    with open_database(tmp_path / "kiosk.db") as db:
        visits = list_visits(db)
        assert len(visits) == scanned
        staff = [v for v in visits if str(v.verified_by) == "staff"]
        assert staff and all(str(v.decision) == "admit" for v in staff)
        states = [e.state for e in health_events(db)]
        assert "degraded" in states and states[-1] == "online"


@pytest.mark.slow
def test_a_second_demo_in_the_same_data_folder_reports_its_own_revoked_visit(tmp_path: Path) -> None:
    first = LunchHourDemo(tmp_path, io.StringIO(), pace_s=0).run()
    again = LunchHourDemo(tmp_path, io.StringIO(), pace_s=0).run()
    assert first.reconciliation.startswith("1 visit admitted offline in this run was")
    assert again.reconciliation.startswith("1 visit admitted offline in this run was")
    assert again.reconciliation.endswith("(2 in this data folder so far)")
