"""Each injected fault, observed from a real client over a real socket."""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from kiosk.simulator.faults import Faults
from kiosk.simulator.server import Simulator
from tests.polling import wait_until
from tests.simulator.conftest import AUTH, TIMEOUT


def set_faults(http: requests.Session, sim: Simulator, **faults: object) -> None:
    r = http.post(sim.url + "/_sim/faults", json=faults, timeout=TIMEOUT)
    assert r.status_code == 200, r.text


def health(http: requests.Session, sim: Simulator, timeout: float = TIMEOUT) -> requests.Response:
    return http.get(sim.url + "/v1/health", timeout=timeout)


def visit(vid: str) -> dict:
    return {
        "id": vid,
        "scanned_at": 1_780_000_000,
        "kind": "token",
        "pass_hash": hashlib.sha256(vid.encode()).hexdigest(),
        "decision": "manual",
        "reason": "upstream_unavailable",
        "verified_by": "staff",
    }


def test_latency_makes_a_short_client_timeout_fire(sim: Simulator, http: requests.Session) -> None:
    set_faults(http, sim, latency_ms=400)
    with pytest.raises(requests.Timeout):
        health(http, sim, timeout=0.1)
    assert health(http, sim, timeout=TIMEOUT).status_code == 200


def test_error_rate_one_answers_503_json(sim: Simulator, http: requests.Session) -> None:
    set_faults(http, sim, error_rate=1.0, retry_after_s=2)
    r = health(http, sim)
    assert r.status_code == 503
    assert r.json()["error"] == "unavailable"
    assert r.headers["Retry-After"] == "2"


def test_partial_error_rate_mixes_answers(sim: Simulator, http: requests.Session) -> None:
    set_faults(http, sim, error_rate=0.5)
    codes = [health(http, sim).status_code for _ in range(40)]
    assert set(codes) == {200, 503}
    assert 8 <= codes.count(503) <= 32


def test_throttle_answers_429_with_retry_after_rounded_up(sim: Simulator, http: requests.Session) -> None:
    set_faults(http, sim, throttle_rate=1.0, retry_after_s=1.2)
    r = health(http, sim)
    assert r.status_code == 429
    assert r.headers["Retry-After"] == "2"
    assert r.json()["error"] == "throttled"


def test_hang_fires_the_client_timeout_without_holding_threads(
    sim: Simulator, http: requests.Session
) -> None:
    set_faults(http, sim, hang=True, max_hang_s=1.0)
    baseline = threading.active_count()
    for _ in range(5):
        with pytest.raises(requests.Timeout), requests.Session() as own:
            own.get(sim.url + "/v1/health", timeout=0.1)
    stats = lambda: http.get(sim.url + "/_sim/stats", timeout=TIMEOUT).json()  # noqa: E731
    assert stats()["hung_connections"] == 5
    # One reaper thread, not one thread per hung request.
    assert wait_until(lambda: threading.active_count() <= baseline + 1)
    assert wait_until(lambda: stats()["hung_connections"] == 0)


def test_hung_connection_is_closed_unanswered_after_max_hang(sim: Simulator, http: requests.Session) -> None:
    set_faults(http, sim, hang=True, max_hang_s=0.2)
    with pytest.raises(requests.ConnectionError):
        health(http, sim, timeout=TIMEOUT)


def test_stop_releases_hung_connections(shared_state) -> None:
    sim = Simulator(state=shared_state, faults=Faults(hang=True, max_hang_s=60)).start()
    sock = socket.create_connection(("127.0.0.1", sim.port), timeout=TIMEOUT)
    try:
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert wait_until(lambda: len(sim.hangs) == 1)
        sim.stop()
        assert sock.recv(100) == b""  # closed, never answered
    finally:
        sock.close()
        sim.stop()


@pytest.mark.parametrize("kind", ["html", "json-wrong"])
def test_garbage_bodies_with_200(sim: Simulator, http: requests.Session, kind: str) -> None:
    set_faults(http, sim, garbage=kind)
    r = http.post(
        sim.url + "/v1/verify",
        json={"kiosk_id": "k", "pass": "KP1:x", "scanned_at": 1},
        headers=AUTH,
        timeout=TIMEOUT,
    )
    assert r.status_code == 200
    if kind == "html":
        assert r.headers["Content-Type"].startswith("text/html")
        with pytest.raises(ValueError):
            r.json()
    else:
        body = r.json()
        assert not (isinstance(body, dict) and "result" in body)


def test_truncated_body_breaks_the_read(sim: Simulator, http: requests.Session) -> None:
    set_faults(http, sim, garbage="truncated")
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.ConnectionError)):
        http.post(sim.url + "/v1/tokens", headers=AUTH, timeout=TIMEOUT)


def test_reset_is_a_connection_error(sim: Simulator, http: requests.Session) -> None:
    set_faults(http, sim, reset=True)
    with pytest.raises(requests.ConnectionError):
        health(http, sim)


def test_reset_sends_a_real_rst(sim: Simulator, http: requests.Session) -> None:
    set_faults(http, sim, reset=True)
    with socket.create_connection(("127.0.0.1", sim.port), timeout=TIMEOUT) as sock:
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        with pytest.raises(ConnectionResetError):
            # An orderly close would return b"" here; only an RST raises.
            while sock.recv(100):
                pass


def test_drop_after_ack_then_retry_stores_once(sim: Simulator, http: requests.Session) -> None:
    set_faults(http, sim, drop_after_ack=True)
    body = {"kiosk_id": "k-1", "visits": [visit("a"), visit("b")]}
    headers = {**AUTH, "Idempotency-Key": "batch-1"}
    with pytest.raises(requests.ConnectionError):
        http.post(sim.url + "/v1/visits:batch", json=body, headers=headers, timeout=TIMEOUT)
    assert sim.state.counters().stored == 2  # stored although the client never heard back
    set_faults(http, sim)
    retry = http.post(sim.url + "/v1/visits:batch", json=body, headers=headers, timeout=TIMEOUT)
    assert retry.status_code == 200
    assert retry.json() == {"accepted": ["a", "b"], "rejected": []}
    assert retry.headers["Idempotent-Replayed"] == "true"
    # A client that lost its key and re-sends under a new one still creates no duplicates.
    headers["Idempotency-Key"] = "batch-2"
    again = http.post(sim.url + "/v1/visits:batch", json=body, headers=headers, timeout=TIMEOUT)
    assert again.json()["accepted"] == ["a", "b"]
    counters = sim.state.counters()
    assert (counters.stored, counters.duplicates) == (2, 2)


def test_drop_after_ack_only_touches_uploads(sim: Simulator, http: requests.Session) -> None:
    set_faults(http, sim, drop_after_ack=True)
    assert health(http, sim).status_code == 200


def test_paths_filter(sim: Simulator, http: requests.Session) -> None:
    set_faults(http, sim, error_rate=1.0, paths=["/v1/verify"])
    assert health(http, sim).status_code == 200
    r = http.post(sim.url + "/v1/verify", json={}, headers=AUTH, timeout=TIMEOUT)
    assert r.status_code == 503


def test_control_plane_is_never_faulted(sim: Simulator, http: requests.Session) -> None:
    set_faults(http, sim, hang=True, error_rate=1.0)
    assert http.get(sim.url + "/_sim/faults", timeout=TIMEOUT).json()["hang"] is True
    set_faults(http, sim)
    assert health(http, sim).status_code == 200


def test_concurrency_limit_sheds_load_with_retry_after(sim: Simulator, http: requests.Session) -> None:
    set_faults(http, sim, max_concurrency=2, latency_ms=300, retry_after_s=3)

    def call(_: int) -> requests.Response:
        with requests.Session() as own:
            return own.get(sim.url + "/v1/health", timeout=TIMEOUT)

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(call, range(8)))
    codes = [r.status_code for r in answers]
    shed = [r for r in answers if r.status_code == 503]
    assert codes.count(200) >= 2  # both slots served
    assert len(shed) >= 4  # without the limit all eight would be 200
    assert all(r.headers["Retry-After"] == "3" and r.json()["error"] == "overloaded" for r in shed)


def test_rate_limit_sheds_beyond_capacity(sim: Simulator, http: requests.Session) -> None:
    set_faults(http, sim, capacity_rps=5)
    codes = [health(http, sim).status_code for _ in range(15)]
    assert codes[:5] == [200] * 5
    assert codes.count(503) >= 8


def test_slow_overload_mode_queues_instead_of_shedding(sim: Simulator, http: requests.Session) -> None:
    set_faults(http, sim, max_concurrency=1, latency_ms=120, overload_mode="slow")

    def call(_: int) -> int:
        with requests.Session() as own:
            return own.get(sim.url + "/v1/health", timeout=TIMEOUT).status_code

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(call, range(4)))
    took = time.monotonic() - started
    assert codes == [200] * 4
    # One at a time, each holding the only slot for its 120 ms: the four cannot finish
    # sooner than their latencies end to end (a per-request time would depend on when
    # each thread happened to start).
    assert took >= 4 * 0.12


def test_faults_change_at_run_time_and_reset(sim: Simulator, http: requests.Session) -> None:
    set_faults(http, sim, error_rate=1.0)
    assert health(http, sim).status_code == 503
    assert http.get(sim.url + "/_sim/faults", timeout=TIMEOUT).json()["error_rate"] == 1.0
    set_faults(http, sim, throttle_rate=1.0)  # replaces: the error rate is gone
    assert health(http, sim).status_code == 429
    assert http.post(sim.url + "/_sim/reset", timeout=TIMEOUT).status_code == 200
    assert health(http, sim).status_code == 200


def test_bad_fault_settings_are_rejected_with_a_clear_message(sim: Simulator, http: requests.Session) -> None:
    r = http.post(sim.url + "/_sim/faults", json={"latncy_ms": 5}, timeout=TIMEOUT)
    assert r.status_code == 400
    assert "latncy_ms" in r.json()["message"]
    assert http.get(sim.url + "/_sim/faults", timeout=TIMEOUT).json() == Faults().to_json()


def test_faults_given_at_start(shared_state, http: requests.Session) -> None:
    with Simulator(state=shared_state, faults=Faults(error_rate=1.0)) as sim:
        assert health(http, sim).status_code == 503
        http.post(sim.url + "/_sim/faults", json={}, timeout=TIMEOUT)
        assert health(http, sim).status_code == 200
        http.post(sim.url + "/_sim/reset", timeout=TIMEOUT)
        assert health(http, sim).status_code == 503  # reset returns to the start-up faults


def test_fault_rate_applies_connection_faults_to_a_share(sim: Simulator, http: requests.Session) -> None:
    set_faults(http, sim, reset=True, fault_rate=0.5)
    outcomes = []
    for _ in range(30):
        with requests.Session() as own:
            try:
                outcomes.append(own.get(sim.url + "/v1/health", timeout=TIMEOUT).status_code)
            except requests.ConnectionError:
                outcomes.append("reset")
    assert set(outcomes) == {200, "reset"}
