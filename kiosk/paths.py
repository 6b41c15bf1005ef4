"""Where the kiosk keeps its data: one per-user folder shared by the app, the demo and owner commands."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "venue-pass-kiosk"
DB_FILE = "kiosk.db"
# The command owners type in hints: the packages install `venue-pass-kiosk`, pip installs `kiosk`.
COMMAND = APP_NAME if getattr(sys, "frozen", False) else "kiosk"
# An installer or a test may name another trust-list snapshot than the one the package carries.
TRUST_SNAPSHOT_ENV = "KIOSK_TRUST_SNAPSHOT"


def data_dir(override: Path | str | None = None, configured: str = "") -> Path:
    """`--data DIR` wins, then the config's `[kiosk] data_dir`, then the platform's per-user folder."""
    if override:
        return Path(override).expanduser()
    if configured:
        return Path(configured).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_path(folder: Path) -> Path:
    return folder / DB_FILE


def bundled_trust_snapshot(environ: Mapping[str, str] = os.environ) -> Path:
    """The trust-list snapshot the package carries (`./dev package` puts it there), imported on
    first start; `KIOSK_TRUST_SNAPSHOT` names another file."""
    named = environ.get(TRUST_SNAPSHOT_ENV, "")
    if named:
        return Path(named).expanduser()
    return Path(__file__).parent / "assets" / "trust" / "snapshot.json"
