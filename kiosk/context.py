"""What every command needs: the config, the data folder and, opened on demand, the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kiosk.config import Config, load_config
from kiosk.paths import data_dir, database_path
from kiosk.store.database import Database
from kiosk.store.opening import open_database


@dataclass
class Context:
    config: Config
    data_dir: Path
    db_path: Path
    _db: Database | None = field(default=None, repr=False)

    def db(self) -> Database:
        if self._db is None:
            self._db = open_database(self.db_path)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def open_context(config_path: Path | None, data: Path | None, db: Path | None = None) -> Context:
    config = load_config(config_path)
    folder = data_dir(data, config.kiosk.data_dir)
    return Context(config=config, data_dir=folder, db_path=db or database_path(folder))
