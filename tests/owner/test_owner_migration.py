from __future__ import annotations

import sqlite3
from pathlib import Path

from kiosk.clock import ManualClock
from kiosk.owner.account import OwnerAccount
from kiosk.store.migrations import MIGRATIONS, SCHEMA_VERSION, apply_migrations
from kiosk.store.opening import open_database
from tests.owner.support import FAST_SCRYPT, GOOD_PIN


def test_a_data_file_from_before_the_owner_table_upgrades_in_place(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    conn = sqlite3.connect(path, isolation_level=None)
    owner_step = next(i for i, m in enumerate(MIGRATIONS) if m.__name__.endswith("_owner"))
    apply_migrations(conn, MIGRATIONS[:owner_step])
    conn.close()
    with open_database(path) as db:
        assert db.schema_version == SCHEMA_VERSION
        account = OwnerAccount(db, ManualClock(), scrypt=FAST_SCRYPT)
        assert not account.is_set_up()
        account.set_up(GOOD_PIN)
        assert account.check_pin(GOOD_PIN).ok
