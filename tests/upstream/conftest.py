"""The upstream suite's client: the app's real HTTP client against the shared simulator."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest

from kiosk.clock import SystemClock
from kiosk.simulator.server import Simulator
from kiosk.upstream.client import UpstreamClient


@pytest.fixture
def client(fresh_sim: Simulator) -> Iterator[UpstreamClient]:
    # Pinned to the simulator's list key, as an installer pins upstream's: every list these
    # tests sync has its signature checked.
    key = base64.b64decode(fresh_sim.state.list_signing_key)
    with UpstreamClient(
        fresh_sim.url, "demo-key", connect_timeout_s=0.3, clock=SystemClock(), list_key=key
    ) as c:
        yield c

