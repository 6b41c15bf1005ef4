"""The client's total deadline covers the whole exchange, not only the body.

A server trickling its status line and headers a byte every 50 ms answers every single
socket read in time, so per-read timeouts never fire; only a deadline enforced on every
socket operation stops it. Real sockets against the simulator's trickle faults.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.clock import SystemClock
from kiosk.simulator.faults import Faults
from kiosk.simulator.server import Simulator
from kiosk.upstream.client import UpstreamClient
from kiosk.upstream.deadline import Resolver
from kiosk.verify.online import FailureCause, OnlineResult, UpstreamFailure

TIMEOUT_S = 0.4
# Wide on purpose: this bounds a hang (the old code took over 5 s), it does not measure speed.
SLACK_S = 0.25


@pytest.fixture
def client(fresh_sim: Simulator) -> Iterator[UpstreamClient]:
    with UpstreamClient(fresh_sim.url, "demo-key", connect_timeout_s=0.3, clock=SystemClock()) as c:
        yield c


def timed_failure(call: Callable[[], object]) -> tuple[UpstreamFailure, float]:
    start = time.monotonic()
    with pytest.raises(UpstreamFailure) as info:
        call()
    return info.value, time.monotonic() - start


@pytest.mark.parametrize("call", ["verify", "health"])
def test_trickled_headers_time_out_within_the_deadline(
    client: UpstreamClient, fresh_sim: Simulator, call: str
) -> None:
    fresh_sim.set_faults(Faults(trickle_headers=True, trickle_interval_ms=50, max_hang_s=10))
    if call == "verify":
        action: Callable[[], object] = lambda: client.verify(  # noqa: E731
            "KP1:dHJpY2tsZQ", scanned_at=time.time(), timeout_s=TIMEOUT_S
        )
    else:
        action = lambda: client.health(timeout_s=TIMEOUT_S)  # noqa: E731
    exc, elapsed = timed_failure(action)
    assert exc.cause is FailureCause.TIMEOUT
    assert elapsed < TIMEOUT_S + SLACK_S


def test_trickled_body_times_out_within_the_deadline(client: UpstreamClient, fresh_sim: Simulator) -> None:
    fresh_sim.set_faults(Faults(trickle_body=True, trickle_interval_ms=50, max_hang_s=10))
    exc, elapsed = timed_failure(lambda: client.health(timeout_s=TIMEOUT_S))
    assert exc.cause is FailureCause.TIMEOUT
    assert elapsed < TIMEOUT_S + SLACK_S


def test_a_fast_trickle_within_the_deadline_still_answers(
    client: UpstreamClient, fresh_sim: Simulator
) -> None:
    # The deadline is total, not "no slow reads": a head that arrives in time is read in full.
    fresh_sim.set_faults(Faults(trickle_headers=True, trickle_interval_ms=1, max_hang_s=10))
    token = fresh_sim.state.issue_token().token
    verdict = client.verify(token, scanned_at=time.time(), timeout_s=5.0)
    assert verdict.result is OnlineResult.VALID


def test_pooled_connection_serves_the_next_call_after_a_deadline(
    client: UpstreamClient, fresh_sim: Simulator
) -> None:
    fresh_sim.set_faults(Faults(trickle_headers=True, max_hang_s=10))
    timed_failure(lambda: client.health(timeout_s=0.2))
    fresh_sim.set_faults(Faults())
    # A new deadline per call: a shrunken socket timeout left by the last call must not leak.
    for _ in range(3):
        assert client.health(timeout_s=TIMEOUT_S) < TIMEOUT_S


# --- the same over TLS: the deadline must survive the socket being wrapped ------------------


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def test_trickled_headers_over_tls_time_out_within_the_deadline(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)

    class Trickle(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
            with contextlib.suppress(OSError):
                for i in range(len(head)):
                    self.wfile.write(head[i : i + 1])
                    self.wfile.flush()
                    time.sleep(0.05)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    session = requests.Session()
    session.verify = str(cert)
    url = f"https://127.0.0.1:{server.server_address[1]}"
    try:
        with UpstreamClient(
            url, "demo-key", session=session, connect_timeout_s=0.3, clock=SystemClock()
        ) as c:
            exc, elapsed = timed_failure(lambda: c.health(timeout_s=TIMEOUT_S))
    finally:
        session.close()
        server.shutdown()
        server.server_close()
    assert exc.cause is FailureCause.TIMEOUT
    assert elapsed < TIMEOUT_S + SLACK_S


# --- name lookup: cannot be interrupted, so the caller stops waiting ---------------------------


def test_a_stuck_name_lookup_is_abandoned_at_the_deadline_on_bounded_threads() -> None:
    release = threading.Event()

    def stuck_lookup(host: str, port: int) -> list[object]:
        release.wait(10)  # like a resolver whose DNS server never answers
        return []

    resolver = Resolver(threads=2, lookup=stuck_lookup)
    before = threading.active_count()
    try:
        for _ in range(6):
            started = time.monotonic()
            with pytest.raises(socket.gaierror):
                resolver.resolve("upstream.example", 443, 0.1)
            assert time.monotonic() - started < 0.1 + SLACK_S
        assert threading.active_count() - before <= 2  # a fixed pool, not a thread per lookup
    finally:
        release.set()


def test_ip_literals_skip_the_lookup_threads() -> None:
    def never(host: str, port: int) -> list[object]:
        raise AssertionError("an IP literal needs no lookup")

    addresses = Resolver(lookup=never).resolve("127.0.0.1", 80, 0.1)
    assert addresses[0][4] == ("127.0.0.1", 80)
