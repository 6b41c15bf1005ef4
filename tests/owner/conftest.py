from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from kiosk.clock import ManualClock
from kiosk.owner.account import OwnerAccount
from kiosk.store.database import Database
from tests.owner.support import FAST_SCRYPT


@pytest.fixture
def rng() -> random.Random:
    return random.Random(42)


@pytest.fixture
def make_account(db: Database, clock: ManualClock) -> Callable[..., OwnerAccount]:
    def factory(database: Database | None = None, **kwargs: object) -> OwnerAccount:
        return OwnerAccount(database or db, clock, scrypt=FAST_SCRYPT, **kwargs)  # type: ignore[arg-type]

    return factory
