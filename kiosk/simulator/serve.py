"""`kiosk simulator serve`: run the upstream simulator in the foreground until Ctrl-C."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import TextIO

from kiosk.simulator.faults import Faults
from kiosk.simulator.server import DEFAULT_API_KEYS, Simulator


def serve(
    host: str,
    port: int,
    faults_file: Path | None,
    api_keys: list[str],
    *,
    out: TextIO | None = None,
    ready: threading.Event | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Serve until Ctrl-C (or `stop` is set); returns the process exit code.

    Raises `FaultsError` (a `ConfigError`, exit 2 in the CLI) for a bad faults
    file, and `OSError` when the port cannot be bound. `ready`/`stop` let a test
    or an embedding program drive the loop without signals.
    """
    out = out or sys.stdout
    faults = Faults.from_file(faults_file) if faults_file is not None else Faults()
    sim = Simulator(host=host, port=port, api_keys=api_keys or list(DEFAULT_API_KEYS), faults=faults)
    sim.start()
    try:
        print(f"Upstream simulator listening on {sim.url}", file=out)
        print(f"Accepted kiosk keys: {len(sim.api_keys)}; faults: {_describe(faults)}", file=out)
        # Public, and what a kiosk must pin to take the lists this simulator signs.
        print(f"Trust lists signed by: [trust] signing_key = \"{sim.state.list_signing_key}\"", file=out)
        print("Press Ctrl-C to stop.", file=out, flush=True)
        if ready is not None:
            ready.set()
        waiter = stop or threading.Event()
        # wait() with a timeout keeps the main thread responsive to KeyboardInterrupt.
        while not waiter.wait(0.5):
            pass
    except KeyboardInterrupt:
        print("Stopping.", file=out, flush=True)
    finally:
        sim.stop()
    return 0


def _describe(faults: Faults) -> str:
    default = Faults().to_json()
    changed = {k: v for k, v in faults.to_json().items() if v != default[k]}
    return ", ".join(f"{k}={v}" for k, v in changed.items()) or "none"
