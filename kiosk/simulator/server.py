"""The reference upstream simulator: a real HTTP server on a real socket, in-process.

`Simulator` starts and stops the server (wire.py serves the socket and plays the
faults), routes each request to its endpoint (routes.py) and answers the `/_sim/*`
control plane tests and the demo use to change faults at run time.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Iterable
from typing import Any

from kiosk.clock import Clock, SystemClock
from kiosk.errors import KioskError
from kiosk.simulator.faults import Faults
from kiosk.simulator.hangs import HangPark
from kiosk.simulator.messages import Request, Response, error_response, json_response
from kiosk.simulator.overload import OverloadGate
from kiosk.simulator.routes import ROUTES, visits_batch
from kiosk.simulator.state import SimulatorState, b64, describe_signers
from kiosk.simulator.wire import WireServer

__all__ = ["DEFAULT_API_KEYS", "Simulator", "SimulatorState"]

log = logging.getLogger(__name__)

DEFAULT_API_KEYS: tuple[str, ...] = ("demo-key",)


class Simulator:
    """The upstream service, in-process: `with Simulator() as sim: requests.get(sim.url + ...)`."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        api_keys: Iterable[str] = DEFAULT_API_KEYS,
        faults: Faults | None = None,
        state: SimulatorState | None = None,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        fault_rng: random.Random | None = None,
        transport_clock: Clock | None = None,
        date_offset_s: float = 0.0,
    ) -> None:
        """`date_offset_s`: every answer's `Date` header is this far from the real time, as a
        kiosk whose clock is that far off sees it (the kiosk warns beyond 5 minutes)."""
        self.host = host
        self.date_offset_s = date_offset_s
        self.port = port
        self.api_keys = frozenset(api_keys)
        if not self.api_keys:
            raise ValueError("the simulator needs at least one accepted API key")
        self.state = state or SimulatorState(clock=clock, rng=rng)
        self.fault_rng = fault_rng or random.Random()
        # Latency, capacity and hangs are real network time even when the domain clock is virtual.
        self.transport_clock: Clock = transport_clock or SystemClock()
        self.stopping = threading.Event()
        self.gate = OverloadGate(self.transport_clock, self.stopping)
        self.hangs = HangPark(self.transport_clock)
        self._initial_faults = faults or Faults()
        self._faults = self._initial_faults
        self._faults_lock = threading.Lock()
        self._server: WireServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------

    def start(self) -> Simulator:
        if self._server is not None:
            raise RuntimeError("the simulator is already running")
        self.stopping.clear()
        self.hangs = HangPark(self.transport_clock)
        self._server = WireServer((self.host, self.port), self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="simulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self.stopping.set()
        server.shutdown()
        server.drop_live_connections()
        server.server_close()
        self.hangs.close_all()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the simulator is not running")
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    # --- faults ---------------------------------------------------------------------------

    @property
    def faults(self) -> Faults:
        with self._faults_lock:
            return self._faults

    def set_faults(self, faults: Faults) -> None:
        with self._faults_lock:
            self._faults = faults

    def reset(self) -> None:
        """Back to the start-up faults and an empty runtime state (signer keys are kept)."""
        self.set_faults(self._initial_faults)
        self.state.reset()

    # --- request handling (no sockets: also callable from tests) --------------------------

    def route(self, req: Request, *, partial_batch: bool = False) -> Response:
        matches = [m for (m, p) in ROUTES if p == req.path]
        route = ROUTES.get((req.method, req.path))
        if route is None:
            if matches:
                return error_response(
                    405,
                    "method_not_allowed",
                    f"Use {', '.join(sorted(matches))}.",
                    (("Allow", ", ".join(sorted(matches))),),
                )
            return error_response(404, "not_found", "No such endpoint.")
        scope: str | None = None
        if route.auth:
            scope = self._authorised_key(req)
            if scope is None:
                return error_response(
                    401,
                    "unauthorized",
                    "Send 'Authorization: Bearer <kiosk key>'.",
                    (("WWW-Authenticate", 'Bearer realm="upstream"'),),
                )
        try:
            if partial_batch and route.handler is visits_batch:
                return visits_batch(self.state, req, scope, partial=True)
            return route.handler(self.state, req, scope)
        except KioskError as exc:
            code = exc.key if exc.key not in ("input.invalid", "error") else "bad_request"
            return error_response(400, code, exc.message)
        except Exception:
            # A simulator bug must look like a server fault to the client, not like a network one.
            log.exception("simulator: unhandled error on %s %s", req.method, req.path)
            return error_response(500, "internal_error", "The simulator failed on this request.")

    def _authorised_key(self, req: Request) -> str | None:
        auth = req.header("Authorization") or ""
        scheme, _, key = auth.partition(" ")
        key = key.strip()
        return key if scheme.lower() == "bearer" and key in self.api_keys else None

    def control(self, req: Request) -> Response:
        """`/_sim/*`: change faults, inspect counters, revoke, inject a malformed or tampered certificate."""
        action = (req.method, req.path)
        try:
            if action == ("GET", "/_sim/faults"):
                return json_response(200, self.faults.to_json())
            if action == ("POST", "/_sim/faults"):
                self.set_faults(Faults.from_json(req.body or b"{}"))
                return json_response(200, self.faults.to_json())
            if action == ("POST", "/_sim/reset"):
                self.reset()
                return json_response(200, {"faults": self.faults.to_json()})
            if action == ("GET", "/_sim/stats"):
                return json_response(200, self.stats())
            if action == ("GET", "/_sim/visits"):
                return json_response(200, self.state.stored_visits())
            if action == ("POST", "/_sim/revoke"):
                uci = req.json_object().get("uci")
                if not isinstance(uci, str) or not uci:
                    return error_response(400, "bad_request", "'uci' must be a non-empty string.")
                return json_response(200, {"uci_hash": self.state.revoke(uci)})
            if action == ("POST", "/_sim/trust/malformed"):
                entry = self.state.add_malformed_cert()
                return json_response(200, {"id": entry.id, "kid": b64(entry.kid)})
            if action == ("POST", "/_sim/trust/tampered"):
                entry = self.state.add_tampered_entry()
                return json_response(200, {"id": entry.id, "kid": b64(entry.kid)})
        except KioskError as exc:
            return error_response(400, "bad_request", exc.message)
        return error_response(404, "not_found", "No such control endpoint.")

    def stats(self) -> dict[str, Any]:
        counters = self.state.counters()
        return {
            "visits": {
                "batches": counters.batches,
                "replays": counters.replays,
                "received": counters.received,
                "stored": counters.stored,
                "duplicates": counters.duplicates,
                "rejected": counters.rejected,
                "recorded_by_verify": counters.recorded_by_verify,
                "superseded": counters.superseded,
                "amended": counters.amended,
            },
            "in_flight": self.gate.in_flight,
            "hung_connections": len(self.hangs),
            "signers": describe_signers(self.state.signers),
            "list_signing_key": self.state.list_signing_key,
        }
