"""The settings an owner may change on the admin screen, written into config.toml (no Qt).

Only the five keys below change; `kiosk.ui.config_edit` says how the file is kept whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.config import Config, parse_config
from kiosk.config_layers import read_config_bytes
from kiosk.errors import ConfigError
from kiosk.ui.config_edit import save_values


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


def save_settings(path: Path, settings: OwnerSettings) -> Config:
    """Write the owner's settings into `path` (created if missing); returns the config now in force.

    Raises ConfigError for a bad value or an unparsable file, OutputError when it cannot be written.
    """
    return save_values(path, settings.as_toml())
