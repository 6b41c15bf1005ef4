"""The admin screen on a real seeded SQLite file: what it shows matches the data file, and its actions
change the file (retry now, settings, PIN). Export and the outage report: test_admin_export.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk.decision import Health
from kiosk.owner.account import PinOutcome
from kiosk.owner_tools.outage_report import build_outage_report
from kiosk.store.health_log import record_health
from kiosk.store.manual import resolve_manual
from kiosk.store.visits import visits_for_review
from kiosk.ui.admin.screen import AdminScreen
from tests.owner.support import GOOD_PIN, OTHER_PIN
from tests.ui.admin.seed import MIDNIGHT, SEOUL, Seeded, services_for, shown_screen


@pytest.fixture
def screen(qtbot, seeded: Seeded, tmp_path: Path) -> Iterator[AdminScreen]:
    w = shown_screen(qtbot, seeded, tmp_path / "config.toml")
    yield w
    w.shutdown()


def db_count(seeded: Seeded, sql: str) -> int:
    return int(seeded.db.scalar(sql))


def test_todays_counts_match_the_data_file(screen: AdminScreen, seeded: Seeded) -> None:
    today = (seeded.clock.now() - 12 * 3600, seeded.clock.now() + 1)
    by_column = {"decision": screen.today.decision_counts, "verified_by": screen.today.path_counts}
    for column, labels in by_column.items():
        for value, label in labels.items():
            expected = db_count(
                seeded,
                f"SELECT count(*) FROM visits WHERE {column} = '{value}' "
                f"AND scanned_at >= {today[0]} AND scanned_at < {today[1]}",
            )
            assert label.text() == str(expected), value
    # Seven visits today; yesterday's is in the file but not in today's figures.
    assert screen.today.total.text() == "7"
    assert db_count(seeded, "SELECT count(*) FROM visits") == 8


def column(screen: AdminScreen, c: int) -> list[str]:
    table = screen.today.visits
    return [table.item(r, c).text() for r in range(table.rowCount())]


def test_today_lists_every_visit_with_unanswered_staff_checks_first(
    qtbot, screen: AdminScreen, seeded: Seeded
) -> None:
    # The 11:02 visit is a staff check nobody answered; the others follow newest first.
    assert column(screen, 0) == ["11:02", "11:03", "11:01", "11:00", "10:00", "09:05", "09:00"]
    assert column(screen, 1)[:3] == ["Staff check, not answered", "Not admitted", "Admitted"]
    assert column(screen, 2)[0] == "홍*동" and column(screen, 3)[:2] == ["Checked by staff", "Not checked"]
    assert screen.today.visits.item(0, 1).font().bold()
    assert "1 staff check" in screen.today.unanswered.text() and screen.today.unanswered.isVisible()

    resolve_manual(seeded.db, seeded.today[5].id, admitted=True, at=seeded.clock.now())
    screen.refresh()
    qtbot.waitUntil(lambda: column(screen, 0)[0] == "11:03", timeout=10000)
    assert column(screen, 0)[1] == "11:02" and column(screen, 1)[1] == "Admitted"
    assert not screen.today.unanswered.isVisible()


def test_the_list_limit_never_hides_an_unanswered_check(seeded: Seeded) -> None:
    first = visits_for_review(seeded.db, MIDNIGHT, MIDNIGHT + 86_400, limit=2)
    assert [v.id for v in first] == [seeded.today[5].id, seeded.today[6].id]


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
    # A disabled button says why, on a tap-and-hold tooltip and in a line that is always visible.
    assert "nothing to update from" in screen.today.update_trust.toolTip()
    assert screen.today.update_why.isVisible() and screen.today.update_why.text() == (
        screen.today.update_trust.toolTip()
    )


def test_health_timeline_covers_the_last_24_hours(screen: AdminScreen, seeded: Seeded) -> None:
    snap = screen.snapshot
    assert snap is not None
    assert snap.health[0].start == seeded.clock.now() - 24 * 3600
    assert snap.health[-1].end == seeded.clock.now()
    offline = [s for s in snap.health if s.state == "offline"]
    assert len(offline) == 1 and offline[0].end - offline[0].start == 1800 and offline[0].cause == "timeout"
    assert sum(snap.scans_per_hour) == 8  # yesterday 23:00 is inside the last 24 hours
    assert "1 outage" in screen.health.summary.text() and "30 minute" in screen.health.summary.text()
    screen.tabs.setCurrentWidget(screen.health)
    picture = screen.health.timeline.grab().toImage()
    # The band is painted: the offline stretch is red somewhere on the first rows.
    assert any(picture.pixelColor(x, 20).name() == "#c62828" for x in range(picture.width()))


def test_health_tab_counts_outages_as_the_outage_report_does(qtbot, seeded: Seeded, tmp_path: Path) -> None:
    # A 20-second unstable blip, then unstable turning offline: two outages for the report.
    at = MIDNIGHT + 8 * 3600
    for offset, state, cause in ((0, Health.DEGRADED, "timeout"), (20, Health.ONLINE, None),
                                 (600, Health.DEGRADED, "5xx"), (660, Health.OFFLINE, "5xx"),
                                 (900, Health.ONLINE, None)):
        record_health(seeded.db, at + offset, state, cause)
    report = build_outage_report(
        seeded.db_path, date(2026, 5, 28), date(2026, 5, 28), now=seeded.clock.now(), tz=SEOUL
    )
    assert len(report.periods) == 3  # with the seeded half hour at 11:00
    w = AdminScreen(services_for(seeded, tmp_path / "config.toml"))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.snapshot is not None, timeout=15000)
    summary = w.health.summary.text()
    assert summary.startswith("3 outage")
    assert "35 minute" in summary  # 20 s + 5 min + 30 min
    w.shutdown()


def test_a_blip_is_an_outage_of_less_than_a_minute_not_of_zero(qtbot, seeded: Seeded, tmp_path: Path) -> None:
    with seeded.db.transaction() as conn:
        conn.execute("DELETE FROM health_events")
    record_health(seeded.db, MIDNIGHT + 3600, Health.DEGRADED, "timeout")
    record_health(seeded.db, MIDNIGHT + 3620, Health.ONLINE)
    w = AdminScreen(services_for(seeded, tmp_path / "config.toml"))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.snapshot is not None, timeout=15000)
    assert w.health.summary.text().startswith("1 outage")
    assert "less than a minute" in w.health.summary.text()
    w.shutdown()


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
    # Nothing left to retry: the button is off and says so.
    assert not screen.uploads.retry.isEnabled() and not screen.uploads.retry_why.isHidden()
    assert screen.uploads.retry.toolTip().startswith("Nothing to retry")


def test_change_pin_works_and_a_wrong_old_pin_is_refused(qtbot, screen: AdminScreen, seeded: Seeded) -> None:
    tab = screen.pin
    tab.change(OTHER_PIN, "905812")  # wrong current PIN
    qtbot.waitUntil(lambda: "Wrong PIN" in tab.pad.message.text(), timeout=10000)
    assert seeded.account.check_pin(GOOD_PIN).outcome is PinOutcome.OK  # unchanged
    tab.change(GOOD_PIN, "905812")
    qtbot.waitUntil(lambda: tab.status.text() == "The owner PIN was changed.", timeout=10000)
    assert seeded.account.check_pin("905812").outcome is PinOutcome.OK
    assert seeded.account.check_pin(GOOD_PIN).outcome is PinOutcome.WRONG
