"""UpstreamClient against the real simulator (and a scripted server) over real sockets."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler

import pytest

from kiosk.clock import SystemClock
from kiosk.simulator.faults import Faults
from kiosk.simulator.server import Simulator
from kiosk.upstream.client import UpstreamClient
from kiosk.verify.online import FailureCause, OnlineResult, UpstreamFailure
from tests.upstream.support import SkewedClock, closed_port, scripted_server, send_json

# Small timeouts keep the file fast; the slack covers scheduling on a busy 2-core box.
TIMEOUT_S = 0.4
SLACK_S = 0.25


def make_client(url: str, *, key: str = "demo-key", clock: SystemClock | None = None) -> UpstreamClient:
    return UpstreamClient(url, key, connect_timeout_s=0.3, clock=clock or SystemClock(), kiosk_id="kiosk-t")


@pytest.fixture
def client(fresh_sim: Simulator) -> Iterator[UpstreamClient]:
    with make_client(fresh_sim.url) as c:
        yield c


def fail(call: object) -> tuple[UpstreamFailure, float]:
    """Run `call`, expect UpstreamFailure, return it with the elapsed time."""
    start = time.monotonic()
    with pytest.raises(UpstreamFailure) as info:
        call()  # type: ignore[operator]
    return info.value, time.monotonic() - start


# --- answers ------------------------------------------------------------------------------


def test_token_is_redeemed_once(client: UpstreamClient, fresh_sim: Simulator) -> None:
    token = fresh_sim.state.issue_token().token
    first = client.verify(token, scanned_at=time.time(), timeout_s=TIMEOUT_S)
    second = client.verify(token, scanned_at=time.time(), timeout_s=TIMEOUT_S)
    assert first.result is OnlineResult.VALID
    assert second.result is OnlineResult.INVALID
    assert second.reason == "already_used"
    assert 0 < first.latency_s < TIMEOUT_S


def test_unknown_token_is_unknown(client: UpstreamClient) -> None:
    verdict = client.verify("KP1:bm90LWEtcmVhbC10b2tlbg", scanned_at=time.time(), timeout_s=TIMEOUT_S)
    assert verdict.result is OnlineResult.UNKNOWN


def test_health_returns_latency(client: UpstreamClient) -> None:
    assert 0 < client.health(timeout_s=TIMEOUT_S) < TIMEOUT_S


def test_latency_within_timeout_still_answers(client: UpstreamClient, fresh_sim: Simulator) -> None:
    fresh_sim.set_faults(Faults(latency_ms=150))
    token = fresh_sim.state.issue_token().token
    verdict = client.verify(token, scanned_at=time.time(), timeout_s=1.0)
    assert verdict.result is OnlineResult.VALID
    assert verdict.latency_s >= 0.15


# --- timeouts: the total deadline holds whatever the server does -----------------------------


def test_latency_over_timeout_times_out_on_time(client: UpstreamClient, fresh_sim: Simulator) -> None:
    fresh_sim.set_faults(Faults(latency_ms=1500))
    exc, elapsed = fail(lambda: client.verify("KP1:x", scanned_at=time.time(), timeout_s=TIMEOUT_S))
    assert exc.cause is FailureCause.TIMEOUT
    assert TIMEOUT_S - 0.05 <= elapsed < TIMEOUT_S + SLACK_S


def test_hang_times_out_on_time(client: UpstreamClient, fresh_sim: Simulator) -> None:
    fresh_sim.set_faults(Faults(hang=True, max_hang_s=5))
    exc, elapsed = fail(lambda: client.verify("KP1:x", scanned_at=time.time(), timeout_s=TIMEOUT_S))
    assert exc.cause is FailureCause.TIMEOUT
    assert elapsed < TIMEOUT_S + SLACK_S


def test_trickled_body_cannot_stretch_the_deadline() -> None:
    # Each byte arrives well within a per-read timeout; only a total deadline stops this.
    def trickle(h: BaseHTTPRequestHandler) -> None:
        body = b'{"result":"valid","reason":"' + b"x" * 40 + b'"}'
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        for i in range(len(body)):
            h.wfile.write(body[i : i + 1])
            h.wfile.flush()
            time.sleep(0.05)

    with scripted_server(trickle) as server, make_client(server.url) as c:
        exc, elapsed = fail(lambda: c.verify("KP1:x", scanned_at=time.time(), timeout_s=TIMEOUT_S))
    assert exc.cause is FailureCause.TIMEOUT
    assert elapsed < TIMEOUT_S + SLACK_S


def test_overloaded_slow_server_times_out(client: UpstreamClient, fresh_sim: Simulator) -> None:
    fresh_sim.set_faults(Faults(capacity_rps=1, overload_mode="slow"))
    client.health(timeout_s=TIMEOUT_S)  # takes the only slot of this second
    exc, elapsed = fail(lambda: client.health(timeout_s=TIMEOUT_S))
    assert exc.cause is FailureCause.TIMEOUT
    assert elapsed < TIMEOUT_S + SLACK_S


# --- HTTP status mapping ------------------------------------------------------------------


def test_503_is_server_error_with_retry_after(client: UpstreamClient, fresh_sim: Simulator) -> None:
    fresh_sim.set_faults(Faults(error_rate=1.0, retry_after_s=4))
    exc, _ = fail(lambda: client.verify("KP1:x", scanned_at=time.time(), timeout_s=TIMEOUT_S))
    assert exc.cause is FailureCause.SERVER_ERROR
    assert exc.retry_after_s == 4


def test_429_is_throttled_with_retry_after(client: UpstreamClient, fresh_sim: Simulator) -> None:
    fresh_sim.set_faults(Faults(throttle_rate=1.0, retry_after_s=7))
    exc, _ = fail(lambda: client.health(timeout_s=TIMEOUT_S))
    assert exc.cause is FailureCause.THROTTLED
    assert exc.retry_after_s == 7


def test_capacity_reject_is_503_with_retry_after(client: UpstreamClient, fresh_sim: Simulator) -> None:
    fresh_sim.set_faults(Faults(capacity_rps=1, retry_after_s=2))
    client.health(timeout_s=TIMEOUT_S)
    exc, _ = fail(lambda: client.health(timeout_s=TIMEOUT_S))
    assert exc.cause is FailureCause.SERVER_ERROR
    assert exc.retry_after_s == 2


def test_wrong_key_is_auth(fresh_sim: Simulator) -> None:
    with make_client(fresh_sim.url, key="stolen-key") as c:
        exc, _ = fail(lambda: c.verify("KP1:x", scanned_at=time.time(), timeout_s=TIMEOUT_S))
    assert exc.cause is FailureCause.AUTH
    assert "stolen-key" not in exc.message


def test_other_4xx_is_client_error(fresh_sim: Simulator) -> None:
    with make_client(fresh_sim.url + "/no-such-prefix") as c:
        exc, _ = fail(lambda: c.verify("KP1:x", scanned_at=time.time(), timeout_s=TIMEOUT_S))
    assert exc.cause is FailureCause.CLIENT_ERROR


def test_no_automatic_retries() -> None:
    def unavailable(h: BaseHTTPRequestHandler) -> None:
        send_json(h, 503, b'{"error":"unavailable"}')

    with scripted_server(unavailable) as server, make_client(server.url) as c:
        exc, _ = fail(lambda: c.health(timeout_s=TIMEOUT_S))
        assert exc.cause is FailureCause.SERVER_ERROR
        assert exc.retry_after_s is None
        assert server.hits == 1


# --- bodies -------------------------------------------------------------------------------


@pytest.mark.parametrize("garbage", ["html", "json-wrong", "truncated"])
def test_garbage_bodies_are_bad_body(client: UpstreamClient, fresh_sim: Simulator, garbage: str) -> None:
    fresh_sim.set_faults(Faults(garbage=garbage))  # type: ignore[arg-type]
    token = fresh_sim.state.issue_token().token
    exc, _ = fail(lambda: client.verify(token, scanned_at=time.time(), timeout_s=TIMEOUT_S))
    assert exc.cause is FailureCause.BAD_BODY
    assert token not in exc.message


@pytest.mark.parametrize(
    "body",
    [
        b'{"result":"maybe","reason":"x"}',
        b'{"reason":"valid"}',
        b'{"result":"valid","holder":42}',
        b'"valid"',
        b"\xff\xfe not utf-8",
    ],
)
def test_unexpected_json_is_bad_body(body: bytes) -> None:
    with scripted_server(lambda h: send_json(h, 200, body)) as server, make_client(server.url) as c:
        exc, _ = fail(lambda: c.verify("KP1:x", scanned_at=time.time(), timeout_s=TIMEOUT_S))
    assert exc.cause is FailureCause.BAD_BODY


def test_redirect_is_not_followed() -> None:
    def captive_portal(h: BaseHTTPRequestHandler) -> None:
        h.send_response(302)
        h.send_header("Location", "http://login.example/")
        h.send_header("Content-Length", "0")
        h.end_headers()

    with scripted_server(captive_portal) as server, make_client(server.url) as c:
        exc, _ = fail(lambda: c.health(timeout_s=TIMEOUT_S))
        assert server.hits == 1
    assert exc.cause is FailureCause.BAD_BODY


# --- the network itself ---------------------------------------------------------------------


def test_reset_is_reset(client: UpstreamClient, fresh_sim: Simulator) -> None:
    fresh_sim.set_faults(Faults(reset=True))
    exc, _ = fail(lambda: client.verify("KP1:x", scanned_at=time.time(), timeout_s=TIMEOUT_S))
    assert exc.cause is FailureCause.RESET


def test_dns_failure_is_dns() -> None:
    with make_client("https://kiosk-upstream.invalid") as c:
        exc, _ = fail(lambda: c.health(timeout_s=TIMEOUT_S))
    assert exc.cause is FailureCause.DNS


def test_closed_port_is_refused() -> None:
    with make_client(f"http://127.0.0.1:{closed_port()}") as c:
        exc, _ = fail(lambda: c.health(timeout_s=TIMEOUT_S))
    assert exc.cause is FailureCause.REFUSED


def test_https_to_plain_http_is_tls(fresh_sim: Simulator) -> None:
    with make_client(fresh_sim.url.replace("http://", "https://")) as c:
        exc, _ = fail(lambda: c.health(timeout_s=TIMEOUT_S))
    assert exc.cause is FailureCause.TLS


def test_pool_recovers_after_a_fault(client: UpstreamClient, fresh_sim: Simulator) -> None:
    fresh_sim.set_faults(Faults(reset=True))
    fail(lambda: client.health(timeout_s=TIMEOUT_S))
    fresh_sim.set_faults(Faults())
    assert client.health(timeout_s=TIMEOUT_S) > 0


# --- clocks -------------------------------------------------------------------------------


def test_kiosk_clock_hours_off_still_verifies(fresh_sim: Simulator) -> None:
    skewed = SkewedClock(-5 * 3600)
    token = fresh_sim.state.issue_token().token
    with make_client(fresh_sim.url, clock=skewed) as c:
        verdict = c.verify(token, scanned_at=skewed.now(), timeout_s=TIMEOUT_S)
    assert verdict.result is OnlineResult.VALID


def test_retry_after_http_date_is_measured_on_the_server_clock() -> None:
    def throttled(h: BaseHTTPRequestHandler) -> None:
        server_now = time.time()
        h.send_response(429)
        h.send_header("Retry-After", formatdate(server_now + 120, usegmt=True))
        h.send_header("Content-Length", "0")
        h.end_headers()

    # BaseHTTPRequestHandler sends its own Date header: the server's clock.
    for offset in (-6 * 3600, 0, 6 * 3600):
        with scripted_server(throttled) as server, make_client(server.url, clock=SkewedClock(offset)) as c:
            exc, _ = fail(lambda c=c: c.health(timeout_s=TIMEOUT_S))
        assert exc.cause is FailureCause.THROTTLED
        assert exc.retry_after_s is not None
        assert 115 <= exc.retry_after_s <= 125


# --- privacy ------------------------------------------------------------------------------


def test_failures_never_carry_the_pass_text(
    client: UpstreamClient, fresh_sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "HC1:SECRET-PASS-TEXT-MUSTERFRAU"
    caplog.set_level(logging.DEBUG)
    for faults in (Faults(reset=True), Faults(garbage="html"), Faults(error_rate=1.0), Faults(hang=True)):
        fresh_sim.set_faults(faults)
        exc, _ = fail(lambda: client.verify(secret, scanned_at=time.time(), timeout_s=TIMEOUT_S))
        assert "SECRET" not in str(exc)
        assert exc.__cause__ is None or "SECRET" not in str(exc.__cause__)
    assert "SECRET" not in caplog.text


# --- the other endpoints ----------------------------------------------------------------------


def test_trust_status_and_update_stream(client: UpstreamClient, fresh_sim: Simulator) -> None:
    kids = client.trust_status(timeout_s=TIMEOUT_S)
    assert len(kids) == len(fresh_sim.state.trust_list()) >= 1
    seen: list[str] = []
    token: str | None = None
    while (update := client.trust_update(token, timeout_s=TIMEOUT_S)) is not None:
        seen.append(update.kid)
        token = update.resume_token
    assert seen == kids


def test_revocations_since(client: UpstreamClient, fresh_sim: Simulator) -> None:
    digest = fresh_sim.state.revoke("URN:UVCI:01:XA:TESTREVOKED")
    listing = client.revocations(timeout_s=TIMEOUT_S)
    assert digest in listing.uci_hashes
    assert listing.until is not None
    later = client.revocations(listing.until + 1, timeout_s=TIMEOUT_S)
    assert later.uci_hashes == ()


def test_upload_batch_partial_acceptance(client: UpstreamClient, fresh_sim: Simulator) -> None:
    good = {
        "id": "v-good",
        "scanned_at": time.time(),
        "kind": "token",
        "pass_hash": "a" * 64,
        "decision": "admit",
        "reason": "valid",
        "verified_by": "online",
    }
    bad = {**good, "id": "v-bad", "pass_hash": "not-a-hash"}
    result = client.upload_batch([good, bad], "key-1", timeout_s=TIMEOUT_S)
    assert result.accepted == ("v-good",)
    assert [(r.id, r.reason) for r in result.rejected] == [("v-bad", "invalid_pass_hash")]


def test_dcc_verdicts_and_revocation(client: UpstreamClient, fresh_sim: Simulator) -> None:
    issued = fresh_sim.state.issue_dcc({"type": "v"})
    first = client.verify(issued.text, scanned_at=time.time(), timeout_s=1.0)
    assert first.result is OnlineResult.VALID
    fresh_sim.state.revoke(issued.uci)
    again = client.verify(issued.text, scanned_at=time.time(), timeout_s=1.0)
    assert again.result is OnlineResult.REVOKED
