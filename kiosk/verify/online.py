"""The engine's view of the upstream service: one call, a result, or a classified failure.

The real client lives in kiosk/upstream/; the engine only knows this interface, so
it runs offline when none is configured and tests can plug in the real client
against the simulator.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from kiosk.errors import KioskError


class OnlineResult(StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


class FailureCause(StrEnum):
    """Why an upstream call failed; stored in health_events and shown in outage reports."""

    TIMEOUT = "timeout"
    SERVER_ERROR = "5xx"
    THROTTLED = "429"
    DNS = "dns"
    REFUSED = "refused"
    RESET = "reset"
    TLS = "tls"
    BAD_BODY = "bad-body"
    AUTH = "auth"
    CLIENT_ERROR = "4xx"


@dataclass(frozen=True, slots=True)
class OnlineVerdict:
    result: OnlineResult
    reason: str | None = None
    holder: str | None = None  # as sent by upstream; mask before display or storage
    latency_s: float = 0.0
    # Upstream stored the visit record the call carried (same id): no upload needed for it.
    visit_recorded: bool = False
    # The carry extension: ids of the pending visits the call carried that upstream stored;
    # None when the answer had no acknowledgements (an upstream without the extension).
    pending_acked: tuple[str, ...] | None = None


class UpstreamFailure(KioskError):
    key = "upstream.failure"

    def __init__(self, cause: FailureCause, message: str, *, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.cause = cause
        self.retry_after_s = retry_after_s


class OnlineChecker(Protocol):
    def verify(
        self,
        text: str,
        *,
        scanned_at: float,
        timeout_s: float,
        visit: Mapping[str, Any] | None = None,
        pending: Sequence[Mapping[str, Any]] = (),
    ) -> OnlineVerdict:
        """Ask upstream about one pass within `timeout_s`; raise UpstreamFailure on any failure.

        `visit`: the upload record the kiosk will keep if upstream answers valid; upstream
        may store it in the same call (one request per scan) and says so in the verdict.
        `pending`: earlier visits still to upload (the carry extension, kiosk.verify.carry);
        the engine passes it only when there are some.
        """
        ...
