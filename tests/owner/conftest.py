from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from kiosk.owner.account import OwnerAccount
from kiosk.store.database import Database, open_database
from tests.owner.support import FAST_SCRYPT


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "kiosk.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(start=1_780_000_000.0)


@pytest.fixture
def rng() -> random.Random:
    return random.Random(42)


@pytest.fixture
def make_account(db: Database, clock: ManualClock) -> Callable[..., OwnerAccount]:
    def factory(database: Database | None = None, **kwargs: object) -> OwnerAccount:
        return OwnerAccount(database or db, clock, scrypt=FAST_SCRYPT, **kwargs)  # type: ignore[arg-type]

    return factory
