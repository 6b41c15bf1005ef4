"""Owner settings: written into config.toml keeping its comments, read back, bad input refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk.config import load_config
from kiosk.errors import ConfigError
from kiosk.owner_tools.atomic import OutputError
from kiosk.ui.admin.settings import OwnerSettings, read_settings, save_settings
from kiosk.ui.admin.settings_tab import SettingsTab
from tests.ui.admin.seed import Seeded, services_for

INSTALLED = """\
# Installed by the shop on 2026-05-01: do not remove the api key.
[kiosk]
id = "kiosk-7"  # printed on the back of the kiosk
language = "ko"

[upstream]
url = "http://127.0.0.1:9/"
api_key = "shop-key"

[ui]
theme = "high_contrast"
"""


def test_settings_saved_from_the_screen_and_reloaded(qtbot, seeded: Seeded, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(INSTALLED, encoding="utf-8")
    tab = SettingsTab(services_for(seeded, path))
    qtbot.addWidget(tab)
    assert tab.entered().language == "ko"  # what the file says, not a default
    tab.language.setCurrentIndex(tab.language.findData("en"))
    tab.camera.setText("2")
    tab.volume.setValue(35)
    tab.verdict.setValue(6.5)
    tab.kiosk_mode.setChecked(True)
    saved: list[object] = []
    tab.saved.connect(saved.append)
    qtbot.mouseClick(tab.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(saved), timeout=15000)

    config = load_config(path)
    assert (config.kiosk.language, config.ui.camera, config.ui.sound_volume) == ("en", "2", 35)
    assert (config.ui.verdict_seconds, config.ui.kiosk) == (6.5, True)
    # Everything else as installed, comments included.
    assert (config.ui.theme, config.upstream.api_key, config.kiosk.id) == (
        "high_contrast",
        "shop-key",
        "kiosk-7",
    )
    text = path.read_text(encoding="utf-8")
    assert "# Installed by the shop" in text and "# printed on the back" in text
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".config.toml")] == []  # no temp left

    again = SettingsTab(services_for(seeded, path))
    qtbot.addWidget(again)
    assert again.entered() == OwnerSettings("en", "2", 35, 6.5, True)


def test_a_config_file_that_does_not_parse_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    broken = '[ui]\nverdict_seconds = "four"\n'
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ConfigError, match="verdict_seconds"):
        save_settings(path, OwnerSettings("en", "", 50, 4.0, False))
    assert path.read_text(encoding="utf-8") == broken


def test_a_value_out_of_range_is_refused_before_writing(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(INSTALLED, encoding="utf-8")
    with pytest.raises(ConfigError, match="sound_volume"):
        save_settings(path, OwnerSettings("en", "", 250, 4.0, False))
    assert path.read_text(encoding="utf-8") == INSTALLED


def test_no_config_file_yet_creates_one(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "config.toml"
    save_settings(path, OwnerSettings("en", "/dev/video1", 0, 3.0, False))
    assert read_settings(path) == OwnerSettings("en", "/dev/video1", 0, 3.0, False)


def test_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "conf"
    blocker.write_text("a file where the config folder should be", encoding="utf-8")
    with pytest.raises(OutputError, match="cannot write"):
        save_settings(blocker / "config.toml", OwnerSettings("en", "", 50, 4.0, False))
    assert blocker.read_text(encoding="utf-8").startswith("a file")
