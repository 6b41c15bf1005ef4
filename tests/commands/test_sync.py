"""`kiosk sync` against the real simulator: what it says and returns when nothing can be sent."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.simulator.faults import Faults
from kiosk.simulator.server import Simulator
from kiosk.store.opening import open_database
from tests.upstream.support import closed_port, recorded_visit

VISITS = 43


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator() as simulator:
        yield simulator


@pytest.fixture
def kiosk(tmp_path: Path, sim: Simulator) -> Iterator[tuple[Path, Path]]:
    """A data folder with VISITS pending visits and a config pointing at the simulator."""
    sim.reset()
    data = tmp_path / "data"
    data.mkdir()
    with open_database(data / "kiosk.db") as db:
        rng = random.Random(9)
        for n in range(VISITS):
            recorded_visit(db, f"URN:UVCI:01:XA:S{n}", rng)
    config = tmp_path / "config.toml"
    write_config(config, sim.url, "demo-key")
    yield config, data
    sim.reset()


def write_config(path: Path, url: str, key: str) -> None:
    path.write_text(f'[upstream]\nurl = "{url}"\napi_key = "{key}"\n')


def sync(capsys: pytest.CaptureFixture[str], kiosk: tuple[Path, Path], *extra: str) -> tuple[int, str, str]:
    config, data = kiosk
    code = main(["sync", "--config", str(config), "--data", str(data), *extra])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def local_minutes(start: float, end: float) -> set[str]:
    moments = range(int(start), int(end) + 61, 30)
    return {datetime.fromtimestamp(t).astimezone().strftime("%H:%M") for t in moments}


def test_retry_after_hold_is_explained_and_now_sends(
    capsys: pytest.CaptureFixture[str], kiosk: tuple[Path, Path], sim: Simulator
) -> None:
    sim.set_faults(Faults(throttle_rate=1.0, retry_after_s=300))
    started = time.time()
    code, out, err = sync(capsys, kiosk)
    assert code == 2
    assert f"uploaded 0 visits; {VISITS} still pending" in out
    assert "slow down (HTTP 429)" in err and "stay queued" in err

    # Upstream is healthy again, but the kiosk still honours the Retry-After it was given.
    sim.set_faults(Faults())
    code, out, err = sync(capsys, kiosk)
    assert code == 0
    assert f"uploaded 0 visits; {VISITS} still pending" in out
    held = re.search(rf"{VISITS} visits are held until (\d\d:\d\d) \(local time\)", out)
    assert held is not None, out
    # Retry-After 300 s plus the first backoff's jitter (a few seconds).
    assert held.group(1) in local_minutes(started + 300, started + 320)
    assert "HTTP 429" in out and "kiosk sync --now" in out
    assert sim.state.counters().received == 0  # it did not try behind upstream's back

    code, out, err = sync(capsys, kiosk, "--now")
    assert code == 0
    assert f"uploaded {VISITS} visits; 0 still pending" in out
    assert "held" not in out
    assert sim.state.counters().stored == VISITS


def test_rejected_key_is_an_error_with_the_fix(
    capsys: pytest.CaptureFixture[str], kiosk: tuple[Path, Path], sim: Simulator
) -> None:
    write_config(kiosk[0], sim.url, "not-this-kiosks-key")
    code, out, err = sync(capsys, kiosk)
    assert code == 2
    assert f"uploaded 0 visits; {VISITS} still pending" in out
    assert "rejects this kiosk's key" in err and "api_key" in err
    assert "not-this-kiosks-key" not in out + err


@pytest.mark.parametrize("fault", ["down", "hang", "503"])
def test_unavailable_upstream_is_an_error(
    capsys: pytest.CaptureFixture[str], kiosk: tuple[Path, Path], sim: Simulator, fault: str
) -> None:
    if fault == "down":
        write_config(kiosk[0], f"http://127.0.0.1:{closed_port()}", "demo-key")
    elif fault == "hang":
        sim.set_faults(Faults(hang=True, max_hang_s=10))
    else:
        sim.set_faults(Faults(error_rate=1.0, retry_after_s=60))
    code, out, err = sync(capsys, kiosk)
    assert code == 2
    assert f"uploaded 0 visits; {VISITS} still pending" in out
    expected = {"down": "could not be reached", "hang": "did not answer in time", "503": "HTTP 5xx"}[fault]
    assert expected in err
    assert "next automatic try is after" in err


def test_everything_sent_says_so(capsys: pytest.CaptureFixture[str], kiosk: tuple[Path, Path]) -> None:
    code, out, err = sync(capsys, kiosk)
    assert (code, err) == (0, "")
    assert out.strip() == f"uploaded {VISITS} visits; 0 still pending"
