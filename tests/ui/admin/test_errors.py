"""The admin screen says its failures as plain sentences in the owner's language, not CLI messages.

Real parts: the committed translations, a seeded SQLite file, real widgets offscreen, a real
missing folder. The CLI's English message (with `--from`/`--to`) must not reach the screen in
either language; a key without a sentence still shows its message, so nothing is hidden.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QDate, Qt

from kiosk.errors import KioskError
from kiosk.owner_tools.atomic import OutputError
from kiosk.ui.admin.common import error_text
from kiosk.ui.admin.export_tab import ExportTab
from tests.ui.admin.seed import Seeded, export_tab
from tests.ui.conftest import speak

# An English word has a small letter; acronyms Korean writes as they are (PIN, USB) do not.
ENGLISH_WORD = re.compile(r"[A-Za-z]*[a-z][A-Za-z]*")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def reversed_range(qtbot, tab: ExportTab) -> str:
    tab.first.setDate(QDate(2026, 5, 28))
    tab.last.setDate(QDate(2026, 5, 20))
    qtbot.mouseClick(tab.export, Qt.MouseButton.LeftButton)
    assert tab.job is None and tab.status.property("state") == "error"
    return tab.status.text()


def missing_folder(qtbot, tab: ExportTab, folder: Path) -> str:
    tab.folder.set_folder(folder)
    qtbot.mouseClick(tab.export, Qt.MouseButton.LeftButton)
    assert tab.job is not None  # the range was fine: the worker finds the folder missing
    qtbot.waitUntil(lambda: not tab.job.running and tab.export.isEnabled(), timeout=10000)
    assert tab.status.property("state") == "error"
    return tab.status.text()


def test_korean_reversed_range_is_a_korean_sentence(
    qtbot, qapp, english_after, seeded: Seeded, tmp_path: Path
) -> None:
    speak(qapp, "ko")
    text = reversed_range(qtbot, export_tab(qtbot, seeded, tmp_path))
    assert "--from" not in text and "--to" not in text
    assert not ENGLISH_WORD.search(text), text  # no English word, not even the dates' option names
    assert "시작일" in text and "종료일" in text  # the names of the tab's own date fields


def test_korean_missing_folder_is_a_korean_sentence_naming_the_folder(
    qtbot, qapp, english_after, seeded: Seeded, tmp_path: Path
) -> None:
    speak(qapp, "ko")
    folder = tmp_path / "no such folder"
    text = missing_folder(qtbot, export_tab(qtbot, seeded, tmp_path), folder)
    assert str(folder) in text  # the place, so the owner knows which stick or folder
    words = text.replace(str(folder), "")
    assert not ENGLISH_WORD.search(words), text
    assert HANGUL.search(words) and "폴더" in words
    assert "Traceback" not in text


def test_english_says_the_same_failures_as_plain_sentences(qtbot, seeded: Seeded, tmp_path: Path) -> None:
    tab = export_tab(qtbot, seeded, tmp_path)
    text = reversed_range(qtbot, tab)
    assert text == (
        "Not done: The first day is after the last day. Choose a first day on or before the last day."
    )
    tab.first.setDate(QDate(2026, 5, 20))  # the range put right: now the folder is the problem
    folder = tmp_path / "gone"
    text = missing_folder(qtbot, tab, folder)
    assert text == (
        f"Not done: This folder does not exist: {folder}. "
        "Choose another folder or plug the USB stick in again."
    )


def test_a_key_without_a_sentence_still_shows_its_message(qapp, english_after) -> None:
    unknown = KioskError("the widget frobnicator jammed", key="test.no_such_key")
    assert error_text(unknown)() == "Not done: the widget frobnicator jammed"
    speak(qapp, "ko")
    assert error_text(unknown)() == "완료하지 못했습니다: the widget frobnicator jammed"


def test_a_sentence_whose_value_is_missing_shows_the_message_instead(qapp) -> None:
    # A raise site that forgot the folder must not show "This folder does not exist: %2".
    bare = OutputError("cannot write x.csv: the folder . does not exist", key="owner.output_no_folder")
    assert error_text(bare)() == "Not done: cannot write x.csv: the folder . does not exist"
