"""Adapters between the app's real classes and the upstream model, for both policies.

Virtual time: a call asks the model at the kiosk clock's current time and then
advances that clock by the call's latency (or the timeout), exactly as a blocking
HTTP call would have taken that long.
"""

from __future__ import annotations

import base64
import functools
import random
from collections.abc import Mapping, Sequence
from typing import Any

from kiosk.clock import ManualClock
from kiosk.simulator.fleet_upstream import Outcome, UpstreamModel
from kiosk.store import outbox
from kiosk.store.database import Database
from kiosk.upstream.client import BatchResult, IssuerList, RevocationList, TrustStatus, TrustUpdate
from kiosk.upstream.uploader import StopReason, UploadReport
from kiosk.verify.breaker import CircuitBreaker
from kiosk.verify.online import FailureCause, OnlineResult, OnlineVerdict, UpstreamFailure


@functools.lru_cache(maxsize=4)
def _encoded(trust_list: tuple[tuple[bytes, bytes], ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The published list as the wire has it, encoded once for all kiosks (10 KB each)."""
    kids = tuple(base64.b64encode(kid).decode("ascii") for kid, _ in trust_list)
    ders = tuple(base64.b64encode(der).decode("ascii") for _, der in trust_list)
    return kids, ders


def _failure(outcome: Outcome) -> UpstreamFailure:
    cause = outcome.cause or FailureCause.TIMEOUT
    return UpstreamFailure(cause, f"simulated upstream: {cause}", retry_after_s=outcome.retry_after_s)


class ModelChecker:
    """Our policy's `OnlineChecker`: one call carrying the visit; failures go to the engine."""

    def __init__(self, model: UpstreamModel, client: str, clock: ManualClock) -> None:
        self._model = model
        self._client = client
        self._clock = clock

    def verify(
        self, text: str, *, scanned_at: float, timeout_s: float, visit: Mapping[str, Any] | None = None
    ) -> OnlineVerdict:
        record_id = None if visit is None else str(visit["id"])
        outcome = self._model.verify(self._client, self._clock.monotonic(), timeout_s, record_id)
        self._clock.advance(outcome.latency_s)
        if not outcome.ok:
            raise _failure(outcome)
        # The model answers every pass valid, so a carried record is always stored.
        recorded = visit is not None
        return OnlineVerdict(OnlineResult.VALID, latency_s=outcome.latency_s, visit_recorded=recorded)


class RetryingChecker:
    """A baseline client: on any failure retry at once, `tries` calls, each `per_try_s` at most.

    Naive: 3 tries with the full timeout each (blows the budget by construction).
    Commercial: half the verdict budget per try and one retry (always within budget).
    """

    def __init__(
        self,
        model: UpstreamModel,
        client: str,
        clock: ManualClock,
        *,
        tries: int,
        per_try_s: float | None = None,
    ) -> None:
        self._model = model
        self._client = client
        self._clock = clock
        self._tries = tries
        self._per_try_s = per_try_s

    def verify(
        self, text: str, *, scanned_at: float, timeout_s: float, visit: Mapping[str, Any] | None = None
    ) -> OnlineVerdict:
        outcome: Outcome | None = None
        left = timeout_s
        for _ in range(self._tries):
            try_s = timeout_s if self._per_try_s is None else min(self._per_try_s, left)
            if try_s <= 0:
                break
            outcome = self._model.verify(self._client, self._clock.monotonic(), try_s)
            self._clock.advance(outcome.latency_s)
            left -= outcome.latency_s
            if outcome.ok:
                return OnlineVerdict(OnlineResult.VALID, latency_s=outcome.latency_s)
        raise _failure(outcome or Outcome(False, 0.0))


class ModelMaintenanceSource:
    """The maintenance service's client against the model: health, trust list, revocations.

    Plain: the DGCA protocol without conditions (status, then every certificate) and the
    whole issuer list every time. The conditional subclass adds `trust_status_if_changed`
    and `trust_issuers_if_changed`, which the real client has too.
    """

    def __init__(
        self,
        model: UpstreamModel,
        client: str,
        clock: ManualClock,
        trust_list: Sequence[tuple[bytes, bytes]],
        epoch: float,
    ) -> None:
        self._model = model
        self._client = client
        self._clock = clock
        self._kids, self._ders = _encoded(tuple(trust_list))
        self._epoch = epoch  # upstream's clock, for the revocation cursor

    def _call(self, outcome: Outcome) -> Outcome:
        self._clock.advance(outcome.latency_s)
        if not outcome.ok:
            raise _failure(outcome)
        return outcome

    def health(self, *, timeout_s: float = 2.0) -> float:
        return self._call(self._model.health(self._client, self._clock.monotonic(), timeout_s)).latency_s

    def trust_status(self, *, timeout_s: float = 10.0) -> list[str]:
        at = self._clock.monotonic()
        self._call(self._model.trust_status(self._client, at, timeout_s, unchanged=False))
        return list(self._kids)

    def trust_update(self, resume_token: str | None, *, timeout_s: float = 10.0) -> TrustUpdate | None:
        self._call(self._model.trust_update(self._client, self._clock.monotonic(), timeout_s))
        index = 0 if resume_token is None else int(resume_token) + 1
        if index >= len(self._kids):
            return None
        return TrustUpdate(self._kids[index], self._ders[index], str(index))

    def revocations(self, since: float | None = None, *, timeout_s: float = 10.0) -> RevocationList:
        self._call(self._model.revocations(self._client, self._clock.monotonic(), timeout_s))
        return RevocationList((), self._epoch + self._clock.monotonic())

    def trust_issuers(self, *, timeout_s: float = 10.0) -> list[dict[str, Any]]:
        at = self._clock.monotonic()
        self._call(self._model.trust_issuers(self._client, at, timeout_s, unchanged=False))
        return []  # the scenario's passes are DCCs and tokens: upstream mirrors no NZCP/SHC issuer


# The published lists never change in the scenario: one ETag for each.
TRUST_ETAG = '"fleet-trust-list-1"'
ISSUERS_ETAG = '"fleet-issuer-list-1"'


class ConditionalMaintenanceSource(ModelMaintenanceSource):
    def trust_status_if_changed(self, etag: str | None, *, timeout_s: float = 10.0) -> TrustStatus | None:
        unchanged = etag == TRUST_ETAG
        outcome = self._call(
            self._model.trust_status(self._client, self._clock.monotonic(), timeout_s, unchanged=unchanged)
        )
        return None if outcome.not_modified else TrustStatus(self._kids, TRUST_ETAG)

    def trust_issuers_if_changed(self, etag: str | None, *, timeout_s: float = 10.0) -> IssuerList | None:
        unchanged = etag == ISSUERS_ETAG
        outcome = self._call(
            self._model.trust_issuers(self._client, self._clock.monotonic(), timeout_s, unchanged=unchanged)
        )
        return None if outcome.not_modified else IssuerList((), ISSUERS_ETAG)


class KidComparingMaintenanceSource(ModelMaintenanceSource):
    """A DGCA-style client (the commercial baseline): no ETag, but it compares the status's
    kids with its stored list and downloads certificates only when they differ. The issuer
    list it downloads in full every time (inherited `trust_issuers`)."""

    def trust_status_if_changed(self, etag: str | None, *, timeout_s: float = 10.0) -> TrustStatus | None:
        at = self._clock.monotonic()
        self._call(self._model.trust_status(self._client, at, timeout_s, unchanged=False))
        return TrustStatus(self._kids, None)


class NeverOpenBreaker(CircuitBreaker):
    """The naive policy has no breaker; the engine still wants one, so this one never opens."""

    def __init__(self, clock: ManualClock) -> None:
        super().__init__(clock, random.Random(0))

    def allow_request(self) -> bool:
        return True

    def may_call(self) -> bool:
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

    Each batch is tried up to `tries` times in a row (naive 3, commercial 2); a batch
    that still fails stays pending and is sent again at the next round. It still marks
    what was acknowledged, so it is judged on load, not on forgetting its own
    acknowledgements.
    """

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
        tries: int = 3,
    ) -> None:
        self._tries = tries
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
            for _ in range(self._tries):
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
