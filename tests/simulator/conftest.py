"""An in-process simulator on 127.0.0.1:0 per test, sharing one set of signer keys."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
import requests

from kiosk.clock import ManualClock
from kiosk.simulator.server import Simulator, SimulatorState

AUTH = {"Authorization": "Bearer demo-key"}
TIMEOUT = 3.0  # every request is bounded: a broken fault must fail a test, never hang it


@pytest.fixture(scope="session")
def clock() -> ManualClock:
    return ManualClock(start=1_780_000_000.0)


@pytest.fixture(scope="session")
def shared_state(clock: ManualClock) -> SimulatorState:
    # RSA key generation is the slow part of a start: do it once per session.
    return SimulatorState(clock=clock, rng=random.Random(7))


@pytest.fixture
def sim(shared_state: SimulatorState) -> Iterator[Simulator]:
    shared_state.reset()
    with Simulator(state=shared_state, fault_rng=random.Random(11)) as simulator:
        yield simulator


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session
