"""The [ui] section: defaults, accepted forms and one clear message per malformed value."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import UiConfig, load_config, parse_config
from kiosk.errors import ConfigError
from kiosk.ui.model import UiSettings


def test_defaults() -> None:
    ui = parse_config("").ui
    assert ui == UiConfig()
    assert (ui.verdict_seconds, ui.cooldown_s, ui.kiosk, ui.theme) == (4.0, 5.0, False, "standard")
    assert (ui.large_text, ui.sound_volume, ui.camera) == (False, 80, "")
    assert ui.mirror_preview is True  # visitors see a mirror unless the installer says otherwise
    assert parse_config("[ui]\nmirror_preview = false\n").ui.mirror_preview is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", "1"),
        ('"2"', "2"),
        ('""', ""),
        ('"demo/passes"', "demo/passes"),
        ('"C:\\\\cam.mp4"', "C:\\cam.mp4"),
    ],
)
def test_camera_takes_a_number_or_a_path(value: str, expected: str) -> None:
    assert parse_config(f"[ui]\ncamera = {value}\n").ui.camera == expected


def test_all_keys_together() -> None:
    ui = parse_config(
        '[ui]\nverdict_seconds = 6\ncooldown_s = 0\nkiosk = true\ntheme = "high_contrast"\n'
        "large_text = true\nsound_volume = 0\nchunk_timeout_s = 30\n"
    ).ui
    assert UiSettings.from_config(ui) == UiSettings(6.0, 0.0, chunk_timeout_s=30.0)
    assert (ui.verdict_seconds, ui.cooldown_s, ui.kiosk, ui.theme, ui.large_text, ui.sound_volume) == (
        6.0,
        0.0,
        True,
        "high_contrast",
        True,
        0,
    )


@pytest.mark.parametrize(
    ("text", "line", "fragments"),
    [
        ("[ui]\nverdict_seconds = 0\n", 2, ["[ui] verdict_seconds", "from 1 to 60", "seconds", "got 0"]),
        ('[ui]\nverdict_seconds = "4"\n', 2, ["[ui] verdict_seconds", "a number", 'got "4"']),
        ("[ui]\ncooldown_s = -1\n", 2, ["[ui] cooldown_s", "from 0 to 600", "got -1"]),
        ("[ui]\nchunk_timeout_s = 2\n", 2, ["[ui] chunk_timeout_s", "from 5 to 120", "got 2"]),
        ('[ui]\n\nkiosk = "yes"\n', 3, ["[ui] kiosk", "true or false", 'got "yes"']),
        ("[ui]\nkiosk = 1\n", 2, ["[ui] kiosk", "true or false", "got 1"]),
        ('[ui]\ntheme = "dark"\n', 2, ["[ui] theme", '"standard", "high_contrast"', 'got "dark"']),
        ("[ui]\nlarge_text = 2\n", 2, ["[ui] large_text", "true or false"]),
        ("[ui]\nsound_volume = 101\n", 2, ["[ui] sound_volume", "from 0 to 100", "percent", "got 101"]),
        ("[ui]\nsound_volume = 50.5\n", 2, ["[ui] sound_volume", "a whole number", "got 50.5"]),
        ("[ui]\ncamera = -1\n", 2, ["[ui] camera", "got -1"]),
        ("[ui]\ncamera = true\n", 2, ["[ui] camera", "got true"]),
        ('[ui]\ncamera = " 0"\n', 2, ["[ui] camera", "a camera number"]),
        ('[ui]\nlanguage = "en"\n', 2, ["unknown key [ui] language"]),
    ],
)
def test_malformed_values_name_file_line_and_key(
    tmp_path: Path, text: str, line: int, fragments: list[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = info.value.message
    assert message.startswith(f"{path}:{line}:")
    for fragment in fragments:
        assert fragment in message
