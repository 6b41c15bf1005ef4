"""The upstream suite's client: the app's real HTTP client against the shared simulator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.clock import SystemClock
from kiosk.simulator.server import Simulator
from kiosk.upstream.client import UpstreamClient


@pytest.fixture
def client(fresh_sim: Simulator) -> Iterator[UpstreamClient]:
    with UpstreamClient(fresh_sim.url, "demo-key", connect_timeout_s=0.3, clock=SystemClock()) as c:
        yield c

