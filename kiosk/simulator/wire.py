"""The simulator's side of the socket: HTTP/1.1 served, and faults played, on the wire.

Built on the standard library's `ThreadingHTTPServer` + `BaseHTTPRequestHandler`
on purpose. It adds no dependency, and it leaves the raw TCP socket in our hands,
which the fault injection needs: a hang must keep the connection open and
silent, a reset must send a TCP RST (SO_LINGER 0, then close), a truncated body
must promise more bytes than it sends. WSGI/ASGI stacks hide the socket and
"helpfully" finish or close responses, so they cannot produce these failures
faithfully. One thread per connection is fine for a test and demo server; hung
connections are parked off-thread (see hangs.py) so they cannot exhaust threads.

Wire behaviour: HTTP/1.1 with keep-alive (clients pool connections), every
response carries Content-Length, bodies over 1 MiB get 413, errors are JSON
`{error, message}`. Faults (faults.py) apply to the API, never to `/_sim/*`,
the control plane tests and the demo use to change them at run time.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from kiosk.simulator.faults import Faults
from kiosk.simulator.messages import MAX_BODY_BYTES, Request, Response, error_response, retry_after
from kiosk.simulator.routes import HEALTH_PATH, VISITS_BATCH_PATH, down_response

if TYPE_CHECKING:
    from kiosk.simulator.server import Simulator

log = logging.getLogger(__name__)

IDLE_KEEPALIVE_S = 30.0
_MAX_DRAIN_BYTES = 16 * MAX_BODY_BYTES

_HTML_BODY = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    b"<body><h1>Bad Gateway</h1><p>The proxy received an invalid response.</p></body></html>"
)
_WRONG_JSON_BODY = b'[{"unexpected":true,"items":null}]'


class WireServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], sim: Simulator) -> None:
        self.sim = sim
        self._live: set[socket.socket] = set()
        self._detached: set[socket.socket] = set()
        self._conn_lock = threading.Lock()
        super().__init__(address, _Handler)

    def track(self, sock: socket.socket) -> None:
        with self._conn_lock:
            self._live.add(sock)

    def untrack(self, sock: socket.socket) -> None:
        with self._conn_lock:
            self._live.discard(sock)

    def detach(self, sock: socket.socket) -> None:
        """Keep `sock` open after its handler returns (a parked hang)."""
        with self._conn_lock:
            self._detached.add(sock)

    def shutdown_request(self, request: Any) -> None:
        with self._conn_lock:
            if request in self._detached:
                self._detached.discard(request)
                return
        super().shutdown_request(request)

    def drop_live_connections(self) -> None:
        # Idle keep-alive connections would otherwise still be served after stop().
        with self._conn_lock:
            live = list(self._live)
        for sock in live:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("simulator connection error from %s", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "VenuePassSimulator/1"
    timeout = IDLE_KEEPALIVE_S
    server: WireServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without NODELAY, Nagle + delayed ACK add ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        self.server.untrack(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        # Request lines carry paths and status codes only: no pass text, no names.
        log.debug("simulator: " + format, *args)

    def date_time_string(self, timestamp: float | None = None) -> str:
        # The Date header: real time, moved by the simulator's date offset if one is set.
        if timestamp is None:
            timestamp = time.time() + self.server.sim.date_offset_s
        return super().date_time_string(timestamp)

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    # --- request handling -----------------------------------------------------------------

    def _dispatch(self, method: str) -> None:
        sim = self.server.sim
        split = urlsplit(self.path)
        path = split.path
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            self._send(error_response(411, "length_required", "Send the body with a Content-Length."))
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self._send(error_response(400, "bad_content_length", "Content-Length is not a valid number."))
            return
        if length > MAX_BODY_BYTES:
            # Drain (up to a bound) so the client reads the 413 instead of a broken pipe; then close,
            # since whatever is left unread would poison the keep-alive stream.
            self.close_connection = True
            self._drain(min(length, _MAX_DRAIN_BYTES))
            self._send(
                error_response(
                    413, "body_too_large", "Request bodies are limited to 1 MiB.", limit_bytes=MAX_BODY_BYTES
                )
            )
            return
        body = self.rfile.read(length) if length else b""
        req = Request(
            method=method,
            path=path,
            query=dict(parse_qsl(split.query)),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        if path.startswith("/_sim/"):
            self._send(sim.control(req))
            return
        faults = sim.faults
        if faults.health_retry_after_s is not None and path == HEALTH_PATH:
            self._send(down_response(faults.health_retry_after_s))
            return
        if not faults.applies_to(path):
            self._send(sim.route(req))
            return
        admission = sim.gate.enter(faults)
        if not admission.admitted:
            self._send(
                error_response(
                    503,
                    "overloaded",
                    "The service is over capacity; retry later.",
                    retry_after(admission.retry_after_s),
                )
            )
            return
        try:
            self._faulty(req, faults)
        finally:
            sim.gate.leave()

    def _drain(self, length: int) -> None:
        remaining = length
        try:
            while remaining > 0:
                chunk = self.rfile.read(min(remaining, 64 * 1024))
                if not chunk:
                    return
                remaining -= len(chunk)
        except OSError:
            return

    def _faulty(self, req: Request, faults: Faults) -> None:
        sim = self.server.sim
        delay_s = (faults.latency_ms + sim.fault_rng.uniform(0.0, faults.latency_jitter_ms)) / 1000.0
        if delay_s > 0 and sim.stopping.wait(delay_s):
            self.close_connection = True
            return
        if faults.throttle_rate and sim.fault_rng.random() < faults.throttle_rate:
            self._send(
                error_response(
                    429, "throttled", "Too many requests; slow down.", retry_after(faults.retry_after_s)
                )
            )
            return
        if faults.error_rate and sim.fault_rng.random() < faults.error_rate:
            self._send(
                error_response(
                    503,
                    "unavailable",
                    "The service is temporarily unavailable.",
                    retry_after(faults.retry_after_s),
                )
            )
            return
        connection_fault = faults.fault_rate >= 1.0 or sim.fault_rng.random() < faults.fault_rate
        if connection_fault and faults.hang:
            self._hang(faults.max_hang_s)
            return
        if connection_fault and faults.reset:
            self._reset()
            return
        partial = connection_fault and faults.partial_batch and req.path == VISITS_BATCH_PATH
        response = sim.route(req, partial_batch=partial)
        if connection_fault and faults.drop_after_ack and req.path == VISITS_BATCH_PATH:
            self._reset()  # the records are stored; the client never learns it
            return
        if connection_fault and faults.garbage == "html":
            response = Response(200, _HTML_BODY, "text/html; charset=utf-8")
        elif connection_fault and faults.garbage == "json-wrong":
            response = Response(200, _WRONG_JSON_BODY, "application/json")
        elif connection_fault and faults.garbage == "truncated":
            self._send_truncated(response)
            return
        if connection_fault and (faults.trickle_headers or faults.trickle_body):
            self._send_trickled(response, faults)
            return
        self._send(response)

    # --- the wire -------------------------------------------------------------------------

    def _send(
        self, response: Response, *, declared_length: int | None = None, body: bytes | None = None
    ) -> None:
        payload = response.body if body is None else body
        self.send_response(response.status)
        if response.content_type and response.status != 204:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers:
            self.send_header(name, value)
        if response.status != 204:
            self.send_header(
                "Content-Length", str(len(response.body) if declared_length is None else declared_length)
            )
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if payload and response.status != 204:
            self.wfile.write(payload)
        self.wfile.flush()

    def _send_truncated(self, response: Response) -> None:
        self.close_connection = True
        full = response.body or b'{"padding":"' + b"x" * 32 + b'"}'
        truncated = Response(
            response.status if response.status != 204 else 200, full, response.content_type, response.headers
        )
        self._send(truncated, declared_length=len(full), body=full[: len(full) // 2])

    def _send_trickled(self, response: Response, faults: Faults) -> None:
        """Send the response a byte at a time: the status line and headers, the body, or both."""
        self.close_connection = True
        # Let BaseHTTPRequestHandler format the head, but take it from its buffer unsent.
        self.send_response(response.status)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers:
            self.send_header(name, value)
        if response.status != 204:
            self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Connection", "close")
        self._headers_buffer.append(b"\r\n")
        head = b"".join(self._headers_buffer)
        self._headers_buffer = []
        interval_s = faults.trickle_interval_ms / 1000.0
        stop_at = self.server.sim.transport_clock.monotonic() + faults.max_hang_s
        for data, slow in ((head, faults.trickle_headers), (response.body, faults.trickle_body)):
            if not slow:
                self.wfile.write(data)
                self.wfile.flush()
                continue
            for i in range(len(data)):
                self.wfile.write(data[i : i + 1])
                self.wfile.flush()
                # Stop on shutdown, and give up after max_hang_s like a hang does.
                if self.server.sim.stopping.wait(interval_s) or (
                    self.server.sim.transport_clock.monotonic() > stop_at
                ):
                    return

    def _hang(self, hold_s: float) -> None:
        self.close_connection = True
        self.server.detach(self.connection)
        self.server.sim.hangs.park(self.connection, hold_s)

    def _reset(self) -> None:
        """Abort the connection with a TCP RST instead of an orderly FIN."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            # The buffered reader holds a reference: close it first or close() is deferred.
            self.rfile.close()
            self.connection.close()
        except OSError:
            pass
