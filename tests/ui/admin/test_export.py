"""Export and outage report from the admin screen, run on a worker against a real seeded data file."""

from __future__ import annotations

import csv
import dataclasses
import json
import random
import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt

from kiosk.config import parse_config
from kiosk.owner.manual_entry import ManualAnswer, ManualRecorder
from kiosk.ui.admin.export_tab import ExportTab
from kiosk.ui.admin.fields import day_of
from kiosk.ui.admin.jobs import Job
from kiosk.ui.admin.report_tab import ReportTab
from kiosk.ui.admin.screen import AdminScreen
from tests.owner.support import GOOD_PIN, OTHER_PIN
from tests.owner_tools.conftest import bulk_visits
from tests.ui.admin.seed import MIDNIGHT, Seeded, export_tab, services_for


def rows_of(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_export_writes_todays_visits_with_progress(qtbot, seeded: Seeded, tmp_path: Path) -> None:
    tab = export_tab(qtbot, seeded, tmp_path)
    assert tab.fmt.currentData() == "csv"
    seen: list[tuple[int, int]] = []
    tab.job_created.connect(lambda job: job.progress.connect(lambda d, t: seen.append((d, t))))
    qtbot.mouseClick(tab.export, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.export.isEnabled() and tab.status.property("state") == "ok", timeout=10000)
    target = tmp_path / "usb" / "visits-2026-05-28-2026-05-28.csv"
    rows = rows_of(target)
    assert len(rows) - 1 == len(seeded.today) == 7  # header + today's visits; yesterday's is not in
    assert tab.status.text().startswith("7 visit")
    assert seen and seen[0] == (0, 7)  # the bar knew the total from the start
    assert tab.progress.value() == tab.progress.maximum()
    assert not any("phone" in h.lower() for h in rows[0])  # no phones unless asked for with the PIN


def test_cancel_stops_the_export_and_leaves_no_file(qtbot, seeded: Seeded, tmp_path: Path) -> None:
    bulk_visits(seeded.db_path, 30_000, MIDNIGHT + 60, step=0.5)
    tab = export_tab(qtbot, seeded, tmp_path)
    gate = threading.Event()

    def hold_after_first_rows(done: int, _total: int) -> None:
        if done > 0:  # on the worker: rows are streaming into the temporary file
            gate.wait(10)

    jobs: list[Job] = []

    def follow(job: Job) -> None:
        jobs.append(job)
        job.progress.connect(hold_after_first_rows, Qt.ConnectionType.DirectConnection)

    tab.job_created.connect(follow)
    qtbot.mouseClick(tab.export, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.progress.value() > 0, timeout=10000)  # mid-way, the bar moved
    assert any((tmp_path / "usb").iterdir())  # a temporary file is being written
    qtbot.mouseClick(tab.cancel, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: tab.export.isEnabled(), timeout=10000)
    assert "cancelled" in tab.status.text()
    assert list((tmp_path / "usb").iterdir()) == []  # neither the file nor its temporary part
    assert jobs[0].wait(5)


def test_a_reversed_range_is_refused_before_any_work(qtbot, seeded: Seeded, tmp_path: Path) -> None:
    tab = export_tab(qtbot, seeded, tmp_path)
    tab.first.setDate(QDate(2026, 5, 28))
    tab.last.setDate(QDate(2026, 5, 20))
    qtbot.mouseClick(tab.export, Qt.MouseButton.LeftButton)
    assert tab.job is None
    assert "first day is after the last day" in tab.status.text() and tab.status.property("state") == "error"


def test_unwritable_folder_is_a_clear_message(qtbot, seeded: Seeded, tmp_path: Path) -> None:
    tab = export_tab(qtbot, seeded, tmp_path)
    tab.folder.set_folder(tmp_path / "no such folder")
    qtbot.mouseClick(tab.export, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.status.property("state") == "error", timeout=10000)
    assert "does not exist" in tab.status.text()
    assert "Traceback" not in tab.status.text()


def test_phone_numbers_only_after_the_pin(qtbot, seeded: Seeded, tmp_path: Path) -> None:
    recorder = ManualRecorder(
        seeded.db,
        clock=seeded.clock,
        rng=random.Random(1),
        kiosk_id="kiosk-7",
        sealing_key=seeded.account.sealing_key,
    )
    recorder.record_manual(ManualAnswer(admit=True, phone="010-1234-5678"))
    tab = export_tab(qtbot, seeded, tmp_path)
    tab.phones.setChecked(True)
    qtbot.mouseClick(tab.export, Qt.MouseButton.LeftButton)
    assert tab.pages.currentWidget() is tab.pin_pad and tab.job is None  # nothing runs before the PIN
    tab.pin_pad.pin_entered.emit(OTHER_PIN)
    qtbot.waitUntil(lambda: "Wrong PIN" in tab.pin_pad.message.text(), timeout=10000)
    assert list((tmp_path / "usb").iterdir()) == []
    assert tab.pages.currentWidget() is tab.pin_pad
    tab.pin_pad.pin_entered.emit(GOOD_PIN)
    qtbot.waitUntil(lambda: tab.status.property("state") == "ok", timeout=10000)
    rows = rows_of(tmp_path / "usb" / "visits-2026-05-28-2026-05-28.csv")
    assert any("010-1234-5678" in row for row in rows)
    assert tab.pages.currentIndex() == 0


def test_outage_report_json_lists_the_seeded_outage(qtbot, seeded: Seeded, tmp_path: Path) -> None:
    tab = ReportTab(services_for(seeded, tmp_path / "config.toml"))
    qtbot.addWidget(tab)
    tab.folder.set_folder(tmp_path)
    tab.fmt.setCurrentIndex(tab.fmt.findData("json"))
    qtbot.mouseClick(tab.write, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.status.property("state") == "ok", timeout=10000)
    body = json.loads((tmp_path / f"outages-{date(2026, 5, 28).isoformat()}.json").read_text("utf-8"))
    assert [(p["start"][:16], p["end"][:16], p["cause"]) for p in body] == [
        ("2026-05-28T11:00", "2026-05-28T11:30", "timeout")
    ]
    assert body[0]["verified_offline"] == 2 and body[0]["logged_manually"] == 1
    assert "SHA-256" in tab.status.text()


def test_report_days_say_why_they_are_off_while_the_whole_history_is_chosen(
    qtbot, seeded: Seeded, tmp_path: Path
) -> None:
    tab = ReportTab(services_for(seeded, tmp_path / "config.toml"))
    qtbot.addWidget(tab)
    tab.show()
    assert not tab.first.isEnabled() and not tab.last.isEnabled()
    assert "untick" in tab.first.toolTip() and tab.last.toolTip() == tab.first.toolTip()
    assert tab.days_why.isVisible()
    tab.whole.setChecked(False)
    assert tab.first.isEnabled() and tab.last.isEnabled() and not tab.days_why.isVisible()


def test_open_to_print_writes_the_html_in_the_kiosks_language_and_opens_it(
    qtbot, seeded: Seeded, tmp_path: Path
) -> None:
    opened: list[Path] = []
    config = parse_config('[kiosk]\nid = "kiosk-7"\nlanguage = "ko"\n', source="test")
    tab = ReportTab(services_for(seeded, tmp_path / "config.toml", config), opener=opened.append)
    qtbot.addWidget(tab)
    tab.folder.set_folder(tmp_path)
    tab.fmt.setCurrentIndex(tab.fmt.findData("json"))  # the button prints, whatever the file format
    qtbot.mouseClick(tab.open, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=10000)
    assert opened == [tmp_path / "outages-2026-05-28.html"]
    html = opened[0].read_text("utf-8")
    assert "<h1>장애 보고서 — 키오스크 kiosk-7</h1>" in html
    assert "<td>2026-05-28 11:00:00</td><td>2026-05-28 11:30:00</td><td>응답 없음</td>" in html
    assert tab.open.isEnabled() and tab.write.isEnabled()


@pytest.mark.parametrize(
    ("preset", "first", "last"),
    [
        ("today", date(2026, 5, 28), date(2026, 5, 28)),
        ("yesterday", date(2026, 5, 27), date(2026, 5, 27)),
        ("last_7", date(2026, 5, 22), date(2026, 5, 28)),
        ("last_28", date(2026, 5, 1), date(2026, 5, 28)),
    ],
)
def test_a_preset_button_fills_the_day_range(qtbot, seeded: Seeded, tmp_path: Path, preset, first, last):
    tab = export_tab(qtbot, seeded, tmp_path)
    tab.first.setDate(QDate(2020, 1, 1))
    tab.last.setDate(QDate(2020, 1, 2))
    qtbot.mouseClick(tab.presets[preset], Qt.MouseButton.LeftButton)
    assert (day_of(tab.first), day_of(tab.last)) == (first, last)


def test_yesterday_exports_only_yesterdays_visit(qtbot, seeded: Seeded, tmp_path: Path) -> None:
    tab = export_tab(qtbot, seeded, tmp_path)
    qtbot.mouseClick(tab.presets["yesterday"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.export, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.status.property("state") == "ok", timeout=10000)
    assert len(rows_of(tmp_path / "usb" / "visits-2026-05-27-2026-05-27.csv")) == 2


def test_phone_export_without_an_owner_account_says_why_it_is_off(qtbot, seeded: Seeded, tmp_path: Path):
    services = dataclasses.replace(services_for(seeded, tmp_path / "config.toml"), account=None)
    tab = ExportTab(services)
    qtbot.addWidget(tab)
    tab.show()
    assert not tab.phones.isEnabled()
    assert "no owner account" in tab.phones.toolTip().lower()
    assert tab.phones_why.isVisible() and tab.phones_why.text() == tab.phones.toolTip()


def test_xlsx_export_reads_back(qtbot, seeded: Seeded, tmp_path: Path) -> None:
    import openpyxl

    tab = export_tab(qtbot, seeded, tmp_path)
    tab.fmt.setCurrentIndex(tab.fmt.findData("xlsx"))
    qtbot.mouseClick(tab.export, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.status.property("state") == "ok", timeout=10000)
    book = openpyxl.load_workbook(tmp_path / "usb" / "visits-2026-05-28-2026-05-28.xlsx", read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    assert len(rows) == 1 + 7
    assert "홍*동" in rows[1]


def test_leaving_the_screen_cancels_a_running_export(qtbot, seeded: Seeded, tmp_path: Path) -> None:
    bulk_visits(seeded.db_path, 30_000, MIDNIGHT + 60, step=0.5)
    screen = AdminScreen(services_for(seeded, tmp_path / "config.toml"))
    qtbot.addWidget(screen)
    out = tmp_path / "usb"
    out.mkdir()
    screen.export.folder.set_folder(out)
    gate = threading.Event()

    def hold(done: int, _total: int) -> None:
        if done > 0:
            gate.wait(10)

    screen.export.job_created.connect(
        lambda job: job.progress.connect(hold, Qt.ConnectionType.DirectConnection)
    )
    screen.export.start()
    qtbot.waitUntil(lambda: screen.export.progress.value() > 0, timeout=10000)
    with qtbot.waitSignal(screen.closed, timeout=15000):
        qtbot.mouseClick(screen.close_button, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: screen.export.export.isEnabled(), timeout=10000)
    assert list(out.iterdir()) == []
    screen.shutdown()
