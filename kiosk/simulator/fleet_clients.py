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
from kiosk.simulator.fleet_lists import ISSUERS_ETAG, PublishedLists
from kiosk.simulator.fleet_upstream import Outcome, UpstreamModel
from kiosk.store import outbox
from kiosk.store.database import Database
from kiosk.upstream.client import (
    BatchResult,
    IssuerList,
    RevocationList,
    TrustDelta,
    TrustStatus,
    TrustUpdate,
)
from kiosk.upstream.list_news import MAX_NEWS_REVOCATIONS, ListNews, NewsListener
from kiosk.upstream.uploader import StopReason, UploadReport
from kiosk.verify.breaker import CircuitBreaker
from kiosk.verify.online import FailureCause, OnlineResult, OnlineVerdict, UpstreamFailure


def content(visit: Mapping[str, Any]) -> tuple[str, str, str]:
    """What the ledger keeps of a stored visit, to compare with the verdict shown."""
    return (str(visit["decision"]), str(visit["reason"]), str(visit["verified_by"]))


def _failure(outcome: Outcome) -> UpstreamFailure:
    cause = outcome.cause or FailureCause.TIMEOUT
    return UpstreamFailure(cause, f"simulated upstream: {cause}", retry_after_s=outcome.retry_after_s)


class ModelChecker:
    """Our policy's `OnlineChecker`: one call carrying the visit; failures go to the engine.

    With `news` set (the list-news extension, as `UpstreamClient.news`), a valid answer
    brings the lists' ETags and the revocations since the listener's cursor.
    """

    def __init__(
        self, model: UpstreamModel, client: str, clock: ManualClock, lists: PublishedLists, epoch: float
    ) -> None:
        self._model = model
        self._client = client
        self._clock = clock
        self._lists = lists
        self._epoch = epoch
        self.recorded = False  # the last call's answer said upstream stored the visit it carried
        self.news: NewsListener | None = None
        self.news_wants_round = False  # the last answer's news left work for the maintenance round
        self.news_noted = False  # news was noted since the kiosk's last maintenance round
        self.carry = False  # upstream takes pending visits with a verification (the carry extension)
        self.acked = 0  # pending visits the last answer acknowledged

    def verify(
        self,
        text: str,
        *,
        scanned_at: float,
        timeout_s: float,
        visit: Mapping[str, Any] | None = None,
        pending: Sequence[Mapping[str, Any]] = (),
    ) -> OnlineVerdict:
        self.recorded = False
        self.acked = 0
        at = self._clock.monotonic()
        result = self._lists.answer(text, at)
        # Upstream stores a carried record only with a valid answer (the record proposes one).
        proposed = visit if visit is not None and result is OnlineResult.VALID else None
        carried = [(str(p["id"]), content(p)) for p in pending] if self.carry else []
        outcome = self._model.verify(
            self._client,
            at,
            timeout_s,
            None if proposed is None else (str(proposed["id"]), content(proposed)),
            carried,
        )
        self._clock.advance(outcome.latency_s)
        if not outcome.ok:
            raise _failure(outcome)
        self.recorded = proposed is not None
        if self.news is not None:
            self.news_wants_round = self.news.note_news(self._news(at), self._epoch + at)
            self.news_noted = True
        acks = tuple(i for i, _ in carried) if self.carry and pending else None
        self.acked = len(acks or ())
        return OnlineVerdict(
            result, latency_s=outcome.latency_s, visit_recorded=self.recorded, pending_acked=acks
        )

    def _news(self, at: float) -> ListNews:
        assert self.news is not None
        hashes, until = self._lists.revocations(self.news.news_cursor(), at)
        if len(hashes) > MAX_NEWS_REVOCATIONS:
            return ListNews(self._lists.trust_at(at).etag, ISSUERS_ETAG, None, None)
        return ListNews(self._lists.trust_at(at).etag, ISSUERS_ETAG, hashes, until)


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
        lists: PublishedLists,
        *,
        tries: int,
        per_try_s: float | None = None,
    ) -> None:
        self._model = model
        self._client = client
        self._clock = clock
        self._lists = lists
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
            at = self._clock.monotonic()
            outcome = self._model.verify(self._client, at, try_s)
            self._clock.advance(outcome.latency_s)
            left -= outcome.latency_s
            if outcome.ok:
                return OnlineVerdict(self._lists.answer(text, at), latency_s=outcome.latency_s)
        raise _failure(outcome or Outcome(False, 0.0))


class ModelMaintenanceSource:
    """The maintenance service's client against the model: health, trust list, revocations.

    Plain: the DGCA protocol without conditions (status, then every certificate) and the
    whole issuer list every time. The conditional subclass adds `trust_status_if_changed`
    and `trust_issuers_if_changed`, which the real client has too. What it downloads is
    what upstream publishes at the time (`PublishedLists`).
    """

    def __init__(
        self,
        model: UpstreamModel,
        client: str,
        clock: ManualClock,
        lists: PublishedLists,
        *,
        health_says_when: bool = False,
    ) -> None:
        self._model = model
        self._client = client
        self._clock = clock
        self._lists = lists
        self._says_when = health_says_when  # the health-wait extension

    def _call(self, outcome: Outcome) -> Outcome:
        self._clock.advance(outcome.latency_s)
        if not outcome.ok:
            raise _failure(outcome)
        return outcome

    def health(self, *, timeout_s: float = 2.0) -> float:
        at = self._clock.monotonic()
        outcome = self._model.health(self._client, at, timeout_s, says_when=self._says_when)
        return self._call(outcome).latency_s

    def trust_status(self, *, timeout_s: float = 10.0) -> list[str]:
        at = self._clock.monotonic()
        self._call(self._model.trust_status(self._client, at, timeout_s, unchanged=False))
        return list(self._lists.trust_at(at).kids)

    def trust_update(self, resume_token: str | None, *, timeout_s: float = 10.0) -> TrustUpdate | None:
        at = self._clock.monotonic()
        self._call(self._model.trust_update(self._client, at, timeout_s))
        found = self._lists.trust_update(at, resume_token)
        return None if found is None else TrustUpdate(*found)

    def revocations(self, since: float | None = None, *, timeout_s: float = 10.0) -> RevocationList:
        at = self._clock.monotonic()
        self._call(self._model.revocations(self._client, at, timeout_s))
        return RevocationList(*self._lists.revocations(since, at))

    def trust_issuers(self, *, timeout_s: float = 10.0) -> list[dict[str, Any]]:
        at = self._clock.monotonic()
        self._call(self._model.trust_issuers(self._client, at, timeout_s, unchanged=False))
        return []  # the scenario's passes are DCCs and tokens: upstream mirrors no NZCP/SHC issuer


class ConditionalMaintenanceSource(ModelMaintenanceSource):
    def trust_status_if_changed(self, etag: str | None, *, timeout_s: float = 10.0) -> TrustStatus | None:
        at = self._clock.monotonic()
        published = self._lists.trust_at(at)
        unchanged = etag == published.etag
        outcome = self._call(self._model.trust_status(self._client, at, timeout_s, unchanged=unchanged))
        return None if outcome.not_modified else TrustStatus(published.kids, published.etag)

    def trust_issuers_if_changed(self, etag: str | None, *, timeout_s: float = 10.0) -> IssuerList | None:
        unchanged = etag == ISSUERS_ETAG
        outcome = self._call(
            self._model.trust_issuers(self._client, self._clock.monotonic(), timeout_s, unchanged=unchanged)
        )
        return None if outcome.not_modified else IssuerList((), ISSUERS_ETAG)


class DeltaMaintenanceSource(ConditionalMaintenanceSource):
    """Ours with the delta extension: the changed part of the trust list in one request."""

    def trust_delta(
        self, after: str | None, etag: str | None, *, timeout_s: float = 10.0
    ) -> TrustDelta | None:
        at = self._clock.monotonic()
        version, fresh, token = self._lists.delta(at, after)
        unchanged = etag == version.etag
        outcome = self._call(
            self._model.trust_delta(self._client, at, timeout_s, unchanged=unchanged, certs=len(fresh))
        )
        if outcome.not_modified:
            return None
        updates = tuple(TrustUpdate(kid, der, None) for kid, der in fresh)
        return TrustDelta(version.kids, updates, token, version.etag)


class KidComparingMaintenanceSource(ModelMaintenanceSource):
    """A DGCA-style client (the commercial baseline): no ETag, but it compares the status's
    kids with its stored list and downloads certificates only when they differ. The issuer
    list it downloads in full every time (inherited `trust_issuers`)."""

    def trust_status_if_changed(self, etag: str | None, *, timeout_s: float = 10.0) -> TrustStatus | None:
        return TrustStatus(tuple(self.trust_status(timeout_s=timeout_s)), None)


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

    def record_failure(self, *args: object, **kwargs: object) -> None:
        return None  # whatever failed, the naive policy calls upstream again


class ModelBatchClient:
    """Our policy's `BatchUploader` for the real `Uploader`."""

    def __init__(self, model: UpstreamModel, client: str, clock: ManualClock) -> None:
        self._model = model
        self._client = client
        self._clock = clock

    def upload_batch(
        self, visits: Sequence[Mapping[str, Any]], idempotency_key: str, *, timeout_s: float = 5.0
    ) -> BatchResult:
        records = [(str(v["id"]), content(v)) for v in visits]
        outcome = self._model.upload(self._client, self._clock.monotonic(), records, timeout_s)
        self._clock.advance(outcome.latency_s)
        if not outcome.ok:
            raise _failure(outcome)
        return BatchResult(accepted=tuple(r[0] for r in records), rejected=(), latency_s=outcome.latency_s)


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
            records = self._due(now, self._batch_size)
            ids = [r[0] for r in records]
            if not ids:
                return UploadReport(batches, sent, 0, 0, StopReason.DRAINED)
            outcome: Outcome | None = None
            for _ in range(self._tries):
                batches += 1
                outcome = self._model.upload(self._client, self._clock.monotonic(), records, self._timeout_s)
                self._clock.advance(outcome.latency_s)
                if outcome.ok:
                    break
            assert outcome is not None
            if not outcome.ok:
                return UploadReport(batches, sent, 0, len(ids), StopReason.FAILED, outcome.cause)
            sent += outbox.mark_sent(self._db, ids)
        more = bool(self._due(now, 1))
        return UploadReport(batches, sent, 0, 0, StopReason.ROUND_LIMIT if more else StopReason.DRAINED)

    def _due(self, now: float, limit: int) -> list[tuple[str, tuple[str, str, str]]]:
        # Only the ids and outcomes (keeps the storm cheap to simulate).
        rows = self._db.query(
            "SELECT o.visit_id, v.decision, v.reason, v.verified_by FROM outbox o "
            "JOIN visits v ON v.id = o.visit_id WHERE o.state = 'pending' AND o.next_attempt_at <= ? "
            "ORDER BY o.next_attempt_at, o.visit_id LIMIT ?",
            (now, limit),
        )
        return [(r[0], (r[1], r[2], r[3])) for r in rows]
