"""This computer's clock against upstream's `Date` header: the client and `kiosk doctor`.

The simulator serves a `Date` ten minutes off the real time, which is what a kiosk whose
clock is ten minutes off sees. Pass validity and the PIN lockout run on that clock.
(The status bar's side: tests/ui/entrance/test_views.py.)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.clock import SystemClock
from kiosk.simulator.server import Simulator
from kiosk.upstream.client import UpstreamClient

TIMEOUT_S = 2.0
TEN_MINUTES = 600.0


@pytest.fixture(scope="module")
def skewed() -> Iterator[Simulator]:
    with Simulator(date_offset_s=TEN_MINUTES) as simulator:
        yield simulator


@pytest.mark.parametrize("offset", [TEN_MINUTES, -TEN_MINUTES, 0.0])
def test_the_client_reads_the_skew_from_upstreams_date(skewed: Simulator, offset: float) -> None:
    skewed.date_offset_s = offset
    try:
        with UpstreamClient(skewed.url, "demo-key", clock=SystemClock()) as client:
            assert client.clock_skew() is None
            client.health(timeout_s=TIMEOUT_S)
            skew_s = client.clock_skew()
    finally:
        skewed.date_offset_s = TEN_MINUTES
    # Date is whole seconds, and the answer takes a moment to arrive.
    assert skew_s is not None and offset - 2 <= skew_s <= offset + 1


def doctor_checks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, url: str
) -> tuple[int, dict[str, dict[str, str]]]:
    config = tmp_path / "config.toml"
    config.write_text(f'[upstream]\nurl = "{url}"\napi_key = "demo-key"\n')
    code = main(["doctor", "--json", "--config", str(config), "--data", str(tmp_path / "d")])
    out, _ = capsys.readouterr()
    return code, {row["check"]: row for row in map(json.loads, out.splitlines())}


def test_doctor_warns_when_the_clock_is_10_minutes_off(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, skewed: Simulator
) -> None:
    _, checks = doctor_checks(capsys, tmp_path, skewed.url)
    clock = checks["clock"]
    assert clock["status"] == "warn"
    assert clock["detail"] == "this computer's clock is 10 min behind upstream's"
    assert "date and time" in clock["hint"]


def test_doctor_is_content_with_a_clock_that_agrees(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with Simulator() as sim:
        _, checks = doctor_checks(capsys, tmp_path, sim.url)
    assert checks["clock"]["status"] == "ok" and "of upstream's" in checks["clock"]["detail"]

