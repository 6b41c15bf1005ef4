"""The national service at lunchtime: the project's simulator issues the passes and, over its
control endpoint, is told to hang (`POST /_sim/faults`), as an outage looks from the kiosk."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from kiosk.simulator.server import Simulator

from .visitors import Kind


def issue_pass(sim: Simulator, kind: Kind, index: int) -> str:
    if kind is Kind.TOKEN:
        return sim.state.issue_token().token
    body = {"type": "v", "family_name": "Rush", "given_name": f"Visitor{index}", "days_ago": 30 + index % 90}
    return sim.state.issue_dcc(body).text


def set_faults(url: str, faults: dict[str, Any]) -> None:
    """Every API request from now on misbehaves as `faults` says (`{}`: healthy again)."""
    request = urllib.request.Request(
        url.rstrip("/") + "/_sim/faults",
        data=json.dumps(faults).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        answer.read()
