"""Waiting for a background thread or server to reach a state, without a fixed sleep."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_until(predicate: Callable[[], bool], within_s: float = 5.0) -> bool:
    """True as soon as `predicate` holds; its last answer once `within_s` has passed."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()
