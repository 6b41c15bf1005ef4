"""The admin screen on a real seeded SQLite file: what it shows matches the data file, and its actions
change the file (retry now, settings, PIN). Export and the outage report: test_admin_export.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk.owner.account import PinOutcome
from kiosk.ui.admin.screen import AdminScreen
from tests.owner.support import GOOD_PIN, OTHER_PIN
from tests.ui.admin.seed import Seeded, services_for


@pytest.fixture
def screen(qtbot, seeded: Seeded, tmp_path: Path) -> Iterator[AdminScreen]:
    w = AdminScreen(services_for(seeded, tmp_path / "config.toml"))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitUntil(lambda: w.snapshot is not None, timeout=15000)
    yield w
    w.shutdown()


def db_count(seeded: Seeded, sql: str) -> int:
    return int(seeded.db.scalar(sql))


def test_todays_counts_match_the_data_file(screen: AdminScreen, seeded: Seeded) -> None:
    today = (seeded.clock.now() - 12 * 3600, seeded.clock.now() + 1)
    for decision, label in screen.today.decision_counts.items():
        expected = db_count(
            seeded,
            f"SELECT count(*) FROM visits WHERE decision = '{decision}' "
            f"AND scanned_at >= {today[0]} AND scanned_at < {today[1]}",
        )
        assert label.text() == str(expected), decision
    for path, label in screen.today.path_counts.items():
        expected = db_count(
            seeded,
            f"SELECT count(*) FROM visits WHERE verified_by = '{path}' "
            f"AND scanned_at >= {today[0]} AND scanned_at < {today[1]}",
        )
        assert label.text() == str(expected), path
    # Seven visits today; yesterday's is in the file but not in today's figures.
    assert screen.today.total.text() == "7"
    assert db_count(seeded, "SELECT count(*) FROM visits") == 8


def test_upload_queue_and_reconciliation_shown(screen: AdminScreen, seeded: Seeded) -> None:
    up = screen.uploads
    assert up.pending.text() == str(db_count(seeded, "SELECT count(*) FROM outbox WHERE state = 'pending'"))
    assert up.pending.text() == "3"
    assert up.held.text() == "1"
    assert up.quarantined.text() == "1"
    assert up.quarantine_table.rowCount() == 1
    assert up.quarantine_table.item(0, 1).text() == "홍*동"
    assert up.quarantine_table.item(0, 2).text() == "http 422"
    assert up.recon_table.rowCount() == 1
    assert up.recon_table.item(0, 0).text() == "05-28 11:00"  # local time of the visit
    assert up.recon_table.item(0, 2).text() == "revoked"
    assert "1 visit" in up.recon_summary.text()


def test_trust_list_age_and_missing_upstream(screen: AdminScreen) -> None:
    assert screen.today.trust_count.text() == "0"
    assert "No trust list" in screen.today.trust_age.text()
    assert screen.today.trust_age.property("level") == "missing"
    assert not screen.today.update_trust.isEnabled()  # no upstream configured: nothing to update from


def test_health_timeline_covers_the_last_24_hours(screen: AdminScreen, seeded: Seeded) -> None:
    snap = screen.snapshot
    assert snap is not None
    assert snap.health[0].start == seeded.clock.now() - 24 * 3600
    assert snap.health[-1].end == seeded.clock.now()
    offline = [s for s in snap.health if s.state == "offline"]
    assert len(offline) == 1 and offline[0].end - offline[0].start == 1800 and offline[0].cause == "timeout"
    assert sum(snap.scans_per_hour) == 8  # yesterday 23:00 is inside the last 24 hours
    assert "30 minutes" in screen.health.summary.text()
    screen.tabs.setCurrentWidget(screen.health)
    picture = screen.health.timeline.grab().toImage()
    # The band is painted: the offline stretch is red somewhere on the first rows.
    assert any(picture.pixelColor(x, 20).name() == "#c62828" for x in range(picture.width()))


def test_retry_now_makes_quarantined_and_held_uploads_due(qtbot, screen: AdminScreen, seeded: Seeded) -> None:
    now = seeded.clock.now()
    assert (
        db_count(seeded, f"SELECT count(*) FROM outbox WHERE state = 'pending' AND next_attempt_at <= {now}")
        == 2
    )
    assert screen.uploads.retry.isEnabled()
    qtbot.mouseClick(screen.uploads.retry, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.uploads.quarantined.text() == "0", timeout=15000)
    assert db_count(seeded, "SELECT count(*) FROM outbox WHERE state = 'quarantined'") == 0
    assert (
        db_count(seeded, f"SELECT count(*) FROM outbox WHERE state = 'pending' AND next_attempt_at <= {now}")
        == 4
    )
    state = seeded.db.scalar("SELECT upstream_state FROM visits WHERE id = ?", (seeded.quarantined_id,))
    assert state == "pending"  # owed again, no longer "rejected"
    assert "2 upload" in screen.uploads.note.text()
    assert screen.uploads.held.text() == "0"


def test_change_pin_works_and_a_wrong_old_pin_is_refused(qtbot, screen: AdminScreen, seeded: Seeded) -> None:
    tab = screen.pin
    tab.change(OTHER_PIN, "905812")  # wrong current PIN
    qtbot.waitUntil(lambda: "Wrong PIN" in tab.pad.message.text(), timeout=10000)
    assert seeded.account.check_pin(GOOD_PIN).outcome is PinOutcome.OK  # unchanged
    tab.change(GOOD_PIN, "905812")
    qtbot.waitUntil(lambda: tab.status.text() == "The owner PIN was changed.", timeout=10000)
    assert seeded.account.check_pin("905812").outcome is PinOutcome.OK
    assert seeded.account.check_pin(GOOD_PIN).outcome is PinOutcome.WRONG
