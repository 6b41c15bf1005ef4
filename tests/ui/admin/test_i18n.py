"""The open admin screen follows a language switch completely, and keeps what the owner entered.

Real parts: the committed translations, a seeded SQLite file, real widgets offscreen. The
check is a comparison: every text of the screen switched while open must equal the text of
a screen built afresh in the new language (with the same data and the same status lines
on show), and the two languages' fresh screens must differ, so the check cannot pass by
leaving everything as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QTableWidget,
    QWidget,
)

from kiosk.ui.admin.screen import AdminScreen
from tests.owner.support import OTHER_PIN
from tests.ui.admin.seed import Seeded, seed, shown_screen
from tests.ui.conftest import speak

EXPORT_TAB = 3


@pytest.fixture
def seeds(tmp_path: Path) -> Iterator[list[Seeded]]:
    """A fresh copy of the seeded data file per screen: a wrong PIN on one counts on no other."""
    made: list[Seeded] = []
    yield made
    for s in made:
        s.db.close()


def open_screen(qtbot, seeds: list[Seeded], tmp_path: Path) -> AdminScreen:
    folder = tmp_path / f"screen{len(seeds)}"
    folder.mkdir()
    seeds.append(seeded := seed(folder))
    return shown_screen(qtbot, seeded, folder / "config.toml")


def show_status_lines(qtbot, screen: AdminScreen) -> None:
    """Put a status line on show in several tabs, the way an owner would."""
    # An export whose range ends before it starts: refused with the error's own sentence.
    screen.export.first.setDate(QDate(2026, 5, 20))
    screen.export.last.setDate(QDate(2026, 5, 10))
    qtbot.mouseClick(screen.export.export, Qt.MouseButton.LeftButton)
    assert screen.export.status.property("state") == "error"
    # A wrong current PIN on the PIN tab: the pad says how many tries are left.
    pad = screen.pin.pad
    for pin in (OTHER_PIN, "905812", "905812"):
        qtbot.keyClicks(pad, pin)
        qtbot.keyClick(pad, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: pad.message.property("state") == "error", timeout=15000)
    assert pad.message.text()
    # Showing a tab raises its page, which reorders the widget tree: the same tab on every screen.
    screen.tabs.setCurrentIndex(EXPORT_TAB)


def screen_texts(screen: AdminScreen) -> list[tuple[str, str]]:
    """Every text the owner can read on the screen, in widget order, with what it belongs to."""
    found: list[tuple[str, str]] = []
    widgets: list[QWidget] = [screen, *screen.findChildren(QWidget)]
    for w in widgets:
        where = w.objectName() or type(w).__name__
        if w.toolTip():
            found.append((f"{where} tooltip", w.toolTip()))
        if isinstance(w, (QLabel, QAbstractButton)):
            found.append((where, w.text()))
        elif isinstance(w, QGroupBox):
            found.append((where, w.title()))
        elif isinstance(w, QTabBar):
            found.extend((f"{where} tab", w.tabText(i)) for i in range(w.count()))
        elif isinstance(w, QTableWidget):
            for c in range(w.columnCount()):
                item = w.horizontalHeaderItem(c)
                found.append((f"{where} header", item.text() if item else ""))
            for r in range(w.rowCount()):
                found.extend((f"{where} cell", w.item(r, c).text()) for c in range(w.columnCount()))
        elif isinstance(w, QLineEdit) and not isinstance(w.parent(), QAbstractSpinBox):
            found.append((f"{where} placeholder", w.placeholderText()))
        elif isinstance(w, QComboBox):
            found.extend((f"{where} item", w.itemText(i)) for i in range(w.count()))
        elif isinstance(w, QDoubleSpinBox):
            found.append((f"{where} suffix", w.suffix()))
    return found


def differences(got: list[tuple[str, str]], want: list[tuple[str, str]]) -> list[str]:
    assert len(got) == len(want), "the two screens hold different widgets"
    return [f"{a[0]}: {a[1]!r} instead of {b[1]!r}" for a, b in zip(got, want, strict=True) if a != b]


def reference(qtbot, seeds: list[Seeded], tmp_path: Path) -> list[tuple[str, str]]:
    """The texts of a screen built afresh in the language now installed, with the same lines on show."""
    fresh = open_screen(qtbot, seeds, tmp_path)
    show_status_lines(qtbot, fresh)
    texts = screen_texts(fresh)
    fresh.shutdown()
    fresh.close()
    return texts


def test_open_admin_screen_follows_a_language_switch_and_keeps_the_owners_input(
    qtbot, qapp, seeds: list[Seeded], tmp_path: Path, english_after: None
) -> None:
    speak(qapp, "ko")
    korean = reference(qtbot, seeds, tmp_path)
    speak(qapp, "en")
    english = reference(qtbot, seeds, tmp_path)
    # The languages really differ almost everywhere (so equal texts below prove a switch).
    assert len(differences(korean, english)) > 60
    assert ("adminTitle", "Owner") in english and ("adminTitle", "점주") in korean

    speak(qapp, "ko")
    screen = open_screen(qtbot, seeds, tmp_path)
    show_status_lines(qtbot, screen)
    screen.settings.camera.setText("2")  # half-typed, not saved
    screen.export.first.setDate(QDate(2026, 5, 1))
    screen.export.last.setDate(QDate(2026, 5, 28))
    screen.export.fmt.setCurrentIndex(1)
    assert differences(screen_texts(screen), korean) == []

    speak(qapp, "en")
    assert differences(screen_texts(screen), english) == []
    assert screen.settings.camera.text() == "2"
    assert screen.tabs.currentIndex() == EXPORT_TAB
    assert screen.export.first.date().toPython() == date(2026, 5, 1)
    assert screen.export.last.date().toPython() == date(2026, 5, 28)
    assert screen.export.fmt.currentData() == "xlsx"

    speak(qapp, "ko")
    assert differences(screen_texts(screen), korean) == []
    assert screen.settings.camera.text() == "2" and screen.tabs.currentIndex() == EXPORT_TAB
    screen.shutdown()
