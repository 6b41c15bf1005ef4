"""Translations: the pipeline (update -> translate -> build -> check) and the runtime language swap."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QDialogButtonBox

from kiosk.ui.resources import assets
from kiosk.ui.resources.i18n import install_language
from tests.ui.resources import i18n_seed
from tests.ui.resources.i18n_seed import SEED_KO, SeedPrompt
from tests.ui.resources.ts_edit import set_translation

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / "scripts" / "i18n.py"


def i18n(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, timeout=120
    )


def translate_ts(path: Path, table: dict[str, str]) -> None:
    """Fill a .ts the way a translator does in Qt Linguist: each unfinished entry gets its text."""
    tree = ET.parse(path)
    for msg in tree.getroot().iter("message"):
        tr = msg.find("translation")
        if tr.get("type") != "unfinished":
            continue
        set_translation(tr, table[msg.findtext("source", "")])
    tree.write(path, encoding="utf-8", xml_declaration=True)


@pytest.fixture
def pipeline(tmp_path: Path) -> tuple[Path, Path]:
    """A scratch copy of the window's layout: the seed view as the only source, an empty i18n folder."""
    src, out = tmp_path / "src", tmp_path / "i18n"
    src.mkdir()
    shutil.copy(i18n_seed.__file__, src / "seed_view.py")
    return src, out


def test_committed_translations_pass_the_check() -> None:
    done = i18n("check")
    assert done.returncode == 0, done.stderr
    assert all(
        (assets.i18n_dir() / f"{lang}.{ext}").is_file() for lang in ("ko", "en") for ext in ("ts", "qm")
    )


def switch(qapp, lang: str, folder: Path | None = None) -> bool:
    loaded = install_language(qapp, lang, folder=folder)
    QCoreApplication.processEvents()  # Qt posts LanguageChange to the windows; the event loop delivers it
    return loaded


def test_pipeline_from_code_to_a_korean_window(pipeline, qapp, english_after) -> None:
    src, out = pipeline
    assert i18n("update", "--src", src, "--i18n", out).returncode == 0
    first = i18n("check", "--src", src, "--i18n", out)
    assert first.returncode == 1  # Korean not translated yet, nothing built
    assert "ko.ts: SeedPrompt: 'Scan the pass': unfinished" in first.stderr
    assert not [
        line for line in first.stderr.splitlines() if line.startswith("en.ts")
    ]  # complete by construction

    translate_ts(out / "ko.ts", SEED_KO)
    assert i18n("build", "--i18n", out).returncode == 0
    final = i18n("check", "--src", src, "--i18n", out)
    assert final.returncode == 0, final.stderr

    view = SeedPrompt(visits=3)
    shown = lambda: (view.prompt.text(), view.verdict.text(), view.count.text())  # noqa: E731
    assert shown() == ("Scan the pass", "Admitted", "3 visit(s) today")
    assert switch(qapp, "ko", out) is True
    assert shown() == ("증명서를 스캔하세요", "입장", "오늘 방문 3명")
    assert switch(qapp, "en", out) is True
    assert shown() == ("Scan the pass", "Admitted", "3 visit(s) today")
    switch(qapp, "ko", out)  # and back, at run time, with no restart
    assert shown()[0] == "증명서를 스캔하세요"
    assert len(qapp.findChildren(QTranslator, "kiosk-translator")) == 2  # ours + Qt's; old ones gone


def test_qt_own_strings_follow_the_language(qapp, english_after) -> None:
    switch(qapp, "ko")
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert sorted(b.text() for b in buttons.buttons()) == ["취소", "확인"]
    assert QLocale().language() == QLocale.Language.Korean
    switch(qapp, "en")
    assert sorted(b.text() for b in buttons.buttons()) == ["Cancel", "OK"]


def test_a_missing_translation_is_english_and_one_info_line(qapp, tmp_path, caplog, english_after) -> None:
    caplog.set_level(logging.INFO, logger="kiosk.ui.resources.i18n")
    assert install_language(qapp, "ko", folder=tmp_path) is False
    assert QCoreApplication.translate("Seed", "Admitted") == "Admitted"
    assert [r.getMessage() for r in caplog.records] == [
        "translation ko.qm could not be loaded: texts stay in English"
    ]
    with pytest.raises(ValueError, match="choose one of ko, en"):
        install_language(qapp, "fr")


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        ({"Admitted": ""}, "ko.ts: Seed: 'Admitted': empty translation"),
        ({"%n visit(s) today": "오늘 방문"}, "ko.ts: SeedPrompt: '%n visit(s) today': placeholders differ"),
    ],
)
def test_check_names_each_bad_translation(pipeline, damage, expected) -> None:
    src, out = pipeline
    i18n("update", "--src", src, "--i18n", out)
    translate_ts(out / "ko.ts", {**SEED_KO, **damage})
    i18n("build", "--i18n", out)
    done = i18n("check", "--src", src, "--i18n", out)
    assert done.returncode == 1 and expected in done.stderr


def test_check_catches_code_and_files_drifting_apart(pipeline) -> None:
    src, out = pipeline
    i18n("update", "--src", src, "--i18n", out)
    translate_ts(out / "ko.ts", SEED_KO)
    i18n("build", "--i18n", out)
    # A new string in the code that nobody ran `update` for, and a .ts edited after `build`.
    view = src / "seed_view.py"
    view.write_text(
        view.read_text(encoding="utf-8").replace(
            'self.tr("Scan the pass")', 'self.tr("Hold the pass still")'
        ),
        encoding="utf-8",
    )
    ko = out / "ko.ts"
    ko.write_text(ko.read_text(encoding="utf-8").replace("입장 불가", "입장불가"), encoding="utf-8")
    done = i18n("check", "--src", src, "--i18n", out)
    assert done.returncode == 1
    assert "ko.ts: SeedPrompt: 'Hold the pass still': not in the file" in done.stderr
    assert "en.ts: SeedPrompt: 'Hold the pass still': not in the file" in done.stderr
    assert "ko.qm: not built from ko.ts" in done.stderr
    assert "note: ko.ts: SeedPrompt: 'Scan the pass': no longer used" in done.stdout

    # `update` carries the rest over: only the new string is left to translate.
    assert i18n("update", "--src", src, "--i18n", out).returncode == 0
    translate_ts(out / "ko.ts", {"Hold the pass still": "증명서를 움직이지 마세요"})
    i18n("build", "--i18n", out)
    assert i18n("check", "--src", src, "--i18n", out).returncode == 0
