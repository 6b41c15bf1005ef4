"""Retry delays: exponential backoff with full or equal jitter, and the server's Retry-After.

Full jitter (a uniform draw between 0 and the exponential ceiling) spreads a fleet's
retries over the whole window, so kiosks that failed together do not retry together.
Equal jitter (the upper half of the window) is for the breaker's probes.
"""

from __future__ import annotations

import math
import random
from datetime import UTC
from email.utils import parsedate_to_datetime

# A server asking for more than this is misconfigured or hostile; an hour still
# keeps the kiosk probing often enough to notice a recovery the same day.
MAX_RETRY_AFTER_S = 3600.0


def backoff_ceiling(attempt: int, base_s: float, cap_s: float) -> float:
    """The exponential ceiling `min(cap, base * 2**attempt)` without overflowing on huge attempts."""
    if attempt < 0:
        raise ValueError("attempt must be >= 0")
    if base_s < 0 or cap_s < 0:
        raise ValueError("base and cap must be >= 0")
    # 2**attempt overflows a float beyond ~1024; the cap is reached long before that.
    if attempt >= 64:
        return cap_s
    return min(cap_s, base_s * float(2**attempt))


def full_jitter_delay(attempt: int, base_s: float, cap_s: float, rng: random.Random) -> float:
    """A delay drawn uniformly from [0, min(cap, base * 2**attempt)]; `attempt` counts from 0."""
    return rng.uniform(0.0, backoff_ceiling(attempt, base_s, cap_s))


def equal_jitter_delay(attempt: int, base_s: float, cap_s: float, rng: random.Random) -> float:
    """A delay drawn uniformly from the upper half of [0, min(cap, base * 2**attempt)].

    For a probe of a service that may be down: the longest wait is the same as with full
    jitter, so a recovery is noticed as soon, but no draw is short, so a long outage costs
    a third fewer probes (mean 3/4 of the ceiling instead of 1/2), still spread over a window.
    """
    ceiling = backoff_ceiling(attempt, base_s, cap_s)
    return rng.uniform(ceiling / 2, ceiling)


def retry_after_seconds(header_value: str | None, now: float) -> float | None:
    """Seconds to wait according to a Retry-After header (delta-seconds or HTTP-date).

    `now` is wall-clock epoch seconds, needed for the HTTP-date form. Returns None when
    the header is absent or unreadable; clamps to [0, MAX_RETRY_AFTER_S].
    """
    if header_value is None:
        return None
    value = header_value.strip()
    if not value:
        return None
    seconds: float | None
    try:
        seconds = float(value)
    except ValueError:
        seconds = _http_date_delta(value, now)
    if seconds is None or math.isnan(seconds):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_S)


def _http_date_delta(value: str, now: float) -> float | None:
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        # RFC 9110 dates are always GMT; a zone-less parse means "-0000", i.e. UTC.
        when = when.replace(tzinfo=UTC)
    try:
        return when.timestamp() - now
    except (OverflowError, OSError, ValueError):
        return None
