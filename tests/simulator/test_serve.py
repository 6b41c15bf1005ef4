"""`serve()`: the foreground runner behind `kiosk simulator serve`."""

from __future__ import annotations

import io
import re
import threading
from pathlib import Path

import pytest
import requests

from kiosk.simulator.faults import FaultsError
from kiosk.simulator.serve import serve
from tests.simulator.conftest import TIMEOUT


def test_serve_prints_the_url_applies_the_faults_file_and_stops(tmp_path: Path) -> None:
    faults = tmp_path / "faults.json"
    faults.write_text('{"error_rate": 1.0, "paths": ["/v1/verify"]}', encoding="utf-8")
    out = io.StringIO()
    ready, stop = threading.Event(), threading.Event()
    result: list[int] = []
    runner = threading.Thread(
        target=lambda: result.append(serve("127.0.0.1", 0, faults, ["k-1"], out=out, ready=ready, stop=stop))
    )
    runner.start()
    try:
        assert ready.wait(10)
        url = re.search(r"http://127\.0\.0\.1:\d+", out.getvalue()).group(0)  # type: ignore[union-attr]
        assert requests.get(url + "/v1/health", timeout=TIMEOUT).status_code == 200
        verify = requests.post(
            url + "/v1/verify", json={}, headers={"Authorization": "Bearer k-1"}, timeout=TIMEOUT
        )
        assert verify.status_code == 503
        assert "error_rate=1.0" in out.getvalue()
        assert "k-1" not in out.getvalue()  # keys are secrets: counted, not printed
        assert "[trust] signing_key = " in out.getvalue()  # public: what a kiosk pins
    finally:
        stop.set()
        runner.join(10)
    assert result == [0]
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/v1/health", timeout=TIMEOUT)


def test_bad_faults_file_fails_before_binding(tmp_path: Path) -> None:
    faults = tmp_path / "faults.json"
    faults.write_text('{"hang": "sometimes"}', encoding="utf-8")
    with pytest.raises(FaultsError, match="hang"):
        serve("127.0.0.1", 0, faults, [], out=io.StringIO())
