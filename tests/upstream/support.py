"""Helpers for the upstream tests: a scripted HTTP server, a skewed clock, a closed port.

Everything listens on real sockets on 127.0.0.1; nothing in `requests` is mocked.
(Not a conftest.py: this folder is shared, and only these tests should see these.)
"""

from __future__ import annotations

import base64
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from kiosk.clock import SystemClock
from kiosk.decision import PassKind, Reason, Verdict, VerifiedBy
from kiosk.pass_hash import pass_hash, uci_hash
from kiosk.simulator.server import Simulator
from kiosk.store.database import Database
from kiosk.store.visits import UpstreamState, VisitRecord, get_visit, new_visit_id, record_visit
from kiosk.upstream.client import UpstreamClient


class SkewedClock(SystemClock):
    """Real time, but the wall clock is `offset_s` off: a kiosk whose clock was never set."""

    def __init__(self, offset_s: float) -> None:
        self.offset_s = offset_s

    def now(self) -> float:
        return time.time() + self.offset_s


Script = Callable[[BaseHTTPRequestHandler], None]


class ScriptedServer:
    """A tiny HTTP server whose every answer is written by the test: for wire behaviour
    the simulator has no fault for (trickled bodies, HTTP-date Retry-After, odd JSON)."""

    def __init__(self, script: Script) -> None:
        self.hits = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _any(self) -> None:
                outer.hits += 1
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                with suppress(OSError):
                    script(self)

            do_GET = do_POST = _any

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def scripted_server(script: Script) -> Iterator[ScriptedServer]:
    server = ScriptedServer(script)
    try:
        yield server
    finally:
        server.close()


def send_json(handler: BaseHTTPRequestHandler, status: int, body: bytes, **headers: str) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.end_headers()
    handler.wfile.write(body)


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


START = 1_790_000_000.0


def recorded_visit(
    db: Database,
    uci: str | None,
    rng: random.Random,
    *,
    verified_by: VerifiedBy = VerifiedBy.OFFLINE,
    decision: Verdict = Verdict.ADMIT,
    scanned_at: float = START,
) -> str:
    """A visit as the engine records it; by default an offline admission of the pass with `uci`."""
    vid = new_visit_id(scanned_at + rng.random(), rng)
    record_visit(
        db,
        VisitRecord(
            id=vid,
            scanned_at=scanned_at,
            kind=PassKind.DCC,
            pass_hash=pass_hash(f"HC1:{vid}"),
            uci_hash=None if uci is None else uci_hash(uci),
            holder_masked=None,
            decision=decision,
            reason=Reason.VALID if decision is Verdict.ADMIT else Reason.BAD_SIGNATURE,
            verified_by=verified_by,
            upstream_state=UpstreamState.PENDING,
            kiosk_id="kiosk-t",
        ),
    )
    return vid


def reconciliation(db: Database, vid: str) -> str | None:
    record = get_visit(db, vid)
    assert record is not None
    return record.reconciliation


class Counting:
    """The real client, counting the calls the maintenance service makes through it."""

    def __init__(self, client: UpstreamClient) -> None:
        self._client = client
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if not callable(attr):
            return attr

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return attr(*args, **kwargs)

        return counted


def pinned(sim: Simulator, key: bytes | None = None) -> UpstreamClient:
    """A client pinned to `key`, by default the simulator's own list key."""
    der = base64.b64decode(sim.state.list_signing_key) if key is None else key
    return UpstreamClient(sim.url, "demo-key", connect_timeout_s=0.3, clock=SystemClock(), list_key=der)
