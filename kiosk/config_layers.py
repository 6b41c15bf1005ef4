"""Where config.toml files are and how two of them make one: the machine's, then the user's.

An installer writes the machine-wide file (`/etc/xdg/venue-pass-kiosk/config.toml`,
`C:\\ProgramData\\venue-pass-kiosk\\config.toml`); the set-up wizard and the admin screen
write the user's. The user's file overrides the machine's key by key, table by table, so
an installer's upstream URL stays in force while the owner picks a camera.
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import platformdirs

from kiosk.errors import ConfigError
from kiosk.paths import APP_NAME

CONFIG_FILE = "config.toml"
MAX_CONFIG_BYTES = 1024 * 1024


def user_config_path() -> Path:
    """The per-user file (e.g. ~/.config/venue-pass-kiosk/config.toml; honours XDG_CONFIG_HOME)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / CONFIG_FILE


def machine_config_path() -> Path:
    """The machine-wide file an installer writes (honours the first of XDG_CONFIG_DIRS)."""
    return platformdirs.site_config_path(APP_NAME, appauthor=False) / CONFIG_FILE


def read_config_bytes(path: Path) -> bytes:
    """The file's bytes, refused (ConfigError) unless a regular file of at most 1 MB.

    Raises OSError (FileNotFoundError included) as reading does. A device such as
    /dev/zero would otherwise be read until memory runs out, and a FIFO would block.
    """
    # O_NONBLOCK: opening a FIFO waits for a writer; the check below refuses it instead.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ConfigError(f"{path}: not a regular file; give a config.toml file", key="config.unreadable")
        raw = file.read(MAX_CONFIG_BYTES + 1)
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: larger than 1 MB; not a config file", key="config.unreadable")
    return raw


def read_layer(path: Path, *, required: bool) -> bytes | None:
    """The bytes of one config file; None when it is absent and not `required`. Raises ConfigError."""
    try:
        return read_config_bytes(path)
    except FileNotFoundError:
        if required:
            raise ConfigError(f"{path}: config file not found", key="config.not_found") from None
        return None
    except OSError as exc:
        message = f"{path}: cannot read the config file ({exc.strerror})"
        raise ConfigError(message, key="config.unreadable") from None


def merge_layers(lower: Mapping[str, Any], upper: Mapping[str, Any]) -> dict[str, Any]:
    """`upper` over `lower`: a table present in both keeps `lower`'s keys that `upper` does not set."""
    merged: dict[str, Any] = {name: dict(table) for name, table in lower.items()}
    for name, table in upper.items():
        if isinstance(table, Mapping) and isinstance(merged.get(name), dict):
            merged[name].update(table)
        else:
            merged[name] = table
    return merged


def machine_settings() -> dict[str, dict[str, Any]]:
    """The keys the machine-wide file sets, by table (empty without a readable, valid file)."""
    try:
        raw = read_config_bytes(machine_config_path())
        data = tomllib.loads(raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8"))
    except (OSError, ConfigError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    return {name: dict(table) for name, table in data.items() if isinstance(table, dict)}
