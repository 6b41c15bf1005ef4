"""Shared fixtures: one simulator per module on 127.0.0.1, reset around each test."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.clock import SystemClock
from kiosk.simulator.server import Simulator
from kiosk.store.database import Database
from kiosk.store.opening import open_database
from kiosk.upstream.client import UpstreamClient


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator() as simulator:
        yield simulator


@pytest.fixture
def fresh_sim(sim: Simulator) -> Iterator[Simulator]:
    sim.reset()
    yield sim
    sim.reset()


@pytest.fixture
def client(fresh_sim: Simulator) -> Iterator[UpstreamClient]:
    # Pinned to the simulator's list key, as an installer pins upstream's: every list these
    # tests sync has its signature checked.
    key = base64.b64decode(fresh_sim.state.list_signing_key)
    with UpstreamClient(
        fresh_sim.url, "demo-key", connect_timeout_s=0.3, clock=SystemClock(), list_key=key
    ) as c:
        yield c


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    with open_database(tmp_path / "kiosk.db") as database:
        yield database
