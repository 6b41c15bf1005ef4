"""Where the kiosk keeps its data: one per-user folder shared by the app, the demo and owner commands."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "venue-pass-kiosk"
DB_FILE = "kiosk.db"


def data_dir(override: Path | str | None = None, configured: str = "") -> Path:
    """`--data DIR` wins, then the config's `[kiosk] data_dir`, then the platform's per-user folder."""
    if override:
        return Path(override).expanduser()
    if configured:
        return Path(configured).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_path(folder: Path) -> Path:
    return folder / DB_FILE
