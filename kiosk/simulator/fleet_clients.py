"""Adapters between the app's real classes and the upstream model, for both policies.

Virtual time: a call asks the model at the kiosk clock's current time and then
advances that clock by the call's latency (or the timeout), exactly as a blocking
HTTP call would have taken that long.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from kiosk.clock import ManualClock
from kiosk.simulator.fleet_upstream import Outcome, UpstreamModel
from kiosk.store import outbox
from kiosk.store.database import Database
from kiosk.upstream.client import BatchResult
from kiosk.upstream.uploader import StopReason, UploadReport
from kiosk.verify.breaker import CircuitBreaker
from kiosk.verify.online import FailureCause, OnlineResult, OnlineVerdict, UpstreamFailure


def _failure(outcome: Outcome) -> UpstreamFailure:
    cause = outcome.cause or FailureCause.TIMEOUT
    return UpstreamFailure(cause, f"simulated upstream: {cause}", retry_after_s=outcome.retry_after_s)


class ModelChecker:
    """Our policy's `OnlineChecker`: one call, failures go to the engine (and its breaker)."""

    def __init__(self, model: UpstreamModel, client: str, clock: ManualClock) -> None:
        self._model = model
        self._client = client
        self._clock = clock

    def verify(self, text: str, *, scanned_at: float, timeout_s: float) -> OnlineVerdict:
        outcome = self._model.verify(self._client, self._clock.monotonic(), timeout_s)
        self._clock.advance(outcome.latency_s)
        if not outcome.ok:
            raise _failure(outcome)
        return OnlineVerdict(OnlineResult.VALID, latency_s=outcome.latency_s)


class NaiveChecker:
    """The naive client: on any failure retry at once, 3 tries, each with the full timeout."""

    TRIES = 3

    def __init__(self, model: UpstreamModel, client: str, clock: ManualClock) -> None:
        self._model = model
        self._client = client
        self._clock = clock

    def verify(self, text: str, *, scanned_at: float, timeout_s: float) -> OnlineVerdict:
        outcome: Outcome | None = None
        for _ in range(self.TRIES):
            outcome = self._model.verify(self._client, self._clock.monotonic(), timeout_s)
            self._clock.advance(outcome.latency_s)
            if outcome.ok:
                return OnlineVerdict(OnlineResult.VALID, latency_s=outcome.latency_s)
        assert outcome is not None
        raise _failure(outcome)


class NeverOpenBreaker(CircuitBreaker):
    """The naive policy has no breaker; the engine still wants one, so this one never opens."""

    def __init__(self, clock: ManualClock) -> None:
        super().__init__(clock, random.Random(0))

    def allow_request(self) -> bool:
        return True

    def cancel(self) -> None:
        return None

    def record_success(self, latency_s: float) -> None:
        return None

    def record_failure(
        self,
        cause: FailureCause | str,
        *,
        retry_after_s: float | None = None,
        latency_s: float | None = None,
    ) -> None:
        return None


class ModelBatchClient:
    """Our policy's `BatchUploader` for the real `Uploader`."""

    def __init__(self, model: UpstreamModel, client: str, clock: ManualClock) -> None:
        self._model = model
        self._client = client
        self._clock = clock

    def upload_batch(
        self, visits: Sequence[Mapping[str, Any]], idempotency_key: str, *, timeout_s: float = 5.0
    ) -> BatchResult:
        ids = [str(v["id"]) for v in visits]
        outcome = self._model.upload(self._client, self._clock.monotonic(), ids, timeout_s)
        self._clock.advance(outcome.latency_s)
        if not outcome.ok:
            raise _failure(outcome)
        return BatchResult(accepted=tuple(ids), rejected=(), latency_s=outcome.latency_s)


class NaiveUploader:
    """Drains the same outbox with no backoff, no rate cap, no breaker and no Retry-After.

    Each batch is tried up to 3 times in a row; a batch that still fails stays pending
    and is sent again at the next round. It still marks what was acknowledged, so it
    is judged on load, not on forgetting its own acknowledgements.
    """

    TRIES = 3

    def __init__(
        self,
        db: Database,
        model: UpstreamModel,
        client: str,
        clock: ManualClock,
        *,
        batch_size: int = 50,
        max_batches_per_run: int = 10,
        timeout_s: float = 5.0,
    ) -> None:
        self._db = db
        self._model = model
        self._client = client
        self._clock = clock
        self._batch_size = batch_size
        self._max_batches = max_batches_per_run
        self._timeout_s = timeout_s

    def run_once(self, now: float | None = None) -> UploadReport:
        now = self._clock.now() if now is None else now
        batches = sent = 0
        for _ in range(self._max_batches):
            ids = self._due_ids(now, self._batch_size)
            if not ids:
                return UploadReport(batches, sent, 0, 0, StopReason.DRAINED)
            outcome: Outcome | None = None
            for _ in range(self.TRIES):
                batches += 1
                outcome = self._model.upload(self._client, self._clock.monotonic(), ids, self._timeout_s)
                self._clock.advance(outcome.latency_s)
                if outcome.ok:
                    break
            assert outcome is not None
            if not outcome.ok:
                return UploadReport(batches, sent, 0, len(ids), StopReason.FAILED, outcome.cause)
            sent += outbox.mark_sent(self._db, ids)
        more = bool(self._due_ids(now, 1))
        return UploadReport(batches, sent, 0, 0, StopReason.ROUND_LIMIT if more else StopReason.DRAINED)

    def _due_ids(self, now: float, limit: int) -> list[str]:
        # Only the ids: the naive client sends them and nothing else (keeps the storm cheap to simulate).
        rows = self._db.query(
            "SELECT visit_id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? "
            "ORDER BY next_attempt_at, visit_id LIMIT ?",
            (now, limit),
        )
        return [r[0] for r in rows]
