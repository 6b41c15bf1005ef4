"""The breaker as one maintenance round sees it: asked at most once, its half-open probe spent
on a cheap health call when a job is waiting."""

from __future__ import annotations

import logging

from kiosk.upstream.maintenance_values import Gate, MaintenanceSettings, MaintenanceSource
from kiosk.verify.breaker import BreakerState
from kiosk.verify.online import UpstreamFailure

log = logging.getLogger("kiosk.upstream.maintenance")


class GateCheck:
    """Asks the breaker at most once per round, and only if some job actually wants to run."""

    def __init__(
        self, breaker: Gate | None, client: MaintenanceSource, settings: MaintenanceSettings
    ) -> None:
        self._breaker = breaker
        self._client = client
        self._settings = settings
        self._answer: bool | None = None
        self.probed = False

    def open_for_business(self) -> bool:
        if self._answer is None:
            self._answer = self._ask()
        elif self._answer and self._breaker is not None and self._breaker.state is not BreakerState.CLOSED:
            self._answer = False  # an earlier job's failure in this round opened it
        return self._answer

    def _ask(self) -> bool:
        breaker = self._breaker
        if breaker is None:
            return True
        if breaker.state is BreakerState.CLOSED:
            # Closed hands out no probe slot; False here means a Retry-After still holds.
            return breaker.allow_request()
        if not self._settings.probe_when_open or not breaker.allow_request():
            return False
        # We now hold the single half-open probe slot and must report its outcome.
        self.probed = True
        try:
            latency = self._client.health(timeout_s=self._settings.probe_timeout_s)
        except UpstreamFailure as exc:
            breaker.record_failure(exc.cause, retry_after_s=exc.retry_after_s)
            return False
        except Exception:
            breaker.cancel()
            log.exception("maintenance: health probe raised unexpectedly")
            return False
        breaker.record_success(latency)
        return breaker.state is BreakerState.CLOSED
