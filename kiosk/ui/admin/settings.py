"""The settings an owner may change on the admin screen, written into config.toml safely (no Qt).

Edited in place with tomlkit so the installer's comments, ordering and every other
setting stay as they were; only the five keys below change. The new text is checked
with the app's own config parser before anything is written, then written to a
temporary file beside config.toml, fsynced and renamed: a crash or a full disk
leaves the old file whole. A config.toml that does not parse is left alone (the
owner gets the parser's message, which names the line): rewriting it would lose
whatever the installer meant.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from kiosk.config import Config, ConfigError, parse_config
from kiosk.config_layers import read_config_bytes
from kiosk.owner_tools.atomic import atomic_path, output_error


@dataclass(frozen=True, slots=True)
class OwnerSettings:
    language: str  # [kiosk] language: "ko" | "en"
    camera: str  # [ui] camera: "" (first camera), a number, a device, a video file or an image folder
    sound_volume: int  # [ui] sound_volume, 0..100
    verdict_seconds: float  # [ui] verdict_seconds
    kiosk_mode: bool  # [ui] kiosk: full screen, cannot be left without the PIN

    @classmethod
    def of(cls, config: Config) -> OwnerSettings:
        ui = config.ui
        return cls(config.kiosk.language, ui.camera, ui.sound_volume, ui.verdict_seconds, ui.kiosk)

    def as_toml(self) -> dict[str, dict[str, Any]]:
        return {
            "kiosk": {"language": self.language},
            "ui": {
                "camera": self.camera,
                "sound_volume": self.sound_volume,
                "verdict_seconds": self.verdict_seconds,
                "kiosk": self.kiosk_mode,
            },
        }


def read_settings(path: Path) -> OwnerSettings:
    """The settings in `path` (defaults when there is no file). Raises ConfigError."""
    try:
        raw = read_config_bytes(path)
    except FileNotFoundError:
        return OwnerSettings.of(Config())
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot read the config file ({exc.strerror})", key="config.unreadable"
        ) from None
    return OwnerSettings.of(parse_config(raw, source=str(path), base_dir=path.parent))


def updated_text(current: str, settings: OwnerSettings, *, source: str) -> str:
    """`current` TOML text with the owner's settings set; ConfigError if either text is invalid."""
    parse_config(current, source=source)  # a broken file is reported, never overwritten
    try:
        doc = tomlkit.parse(current)
    except TOMLKitError as exc:  # tomllib accepted it, tomlkit did not: do not guess
        raise ConfigError(
            f"{source}: cannot edit this file safely ({type(exc).__name__})", key="config.uneditable"
        ) from None
    for section, values in settings.as_toml().items():
        table = doc.get(section)
        if table is None:
            table = tomlkit.table()
            doc.add(section, table)
        for key, value in values.items():
            table[key] = value
    text = tomlkit.dumps(doc)
    parse_config(text, source=f"{source} (new settings)")  # e.g. a verdict time out of range
    return text


def save_settings(path: Path, settings: OwnerSettings) -> Config:
    """Write the owner's settings into `path` (created if missing); returns the config now in force.

    Raises ConfigError for a bad value or an unparsable file, OutputError when it cannot be written.
    """
    try:
        raw = read_config_bytes(path)
    except FileNotFoundError:
        raw = b""
    except OSError as exc:
        raise output_error(exc, path) from None
    try:
        current = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8", key="config.not_utf8"
        ) from None
    text = updated_text(current, settings, source=str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(exc, path) from None
    with atomic_path(path) as temp:
        temp.write_text(text, encoding="utf-8")
    return parse_config(text, source=str(path), base_dir=path.parent)
