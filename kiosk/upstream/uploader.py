"""Drains the outbox to upstream: batches, idempotency keys, rate cap, breaker, backoff.

`Uploader.run_once` does one bounded round and returns; it never sleeps or starts
threads, so the app (through `UploaderThread`) and the virtual-time fleet simulation
drive the very same code. Nothing leaves the outbox before upstream acknowledged it.
"""

from __future__ import annotations

import json
import logging
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.backoff import full_jitter_delay
from kiosk.clock import Clock
from kiosk.errors import StoreError
from kiosk.store import outbox
from kiosk.store.database import Database
from kiosk.store.journal import merge_journal
from kiosk.store.outbox import OutboxItem
from kiosk.store.visits import upload_record
from kiosk.upstream.client import BatchResult
from kiosk.upstream.periodic import PeriodicThread
from kiosk.upstream.rate_limit import TokenBucket
from kiosk.upstream.upload_key import idempotency_key
from kiosk.verify.breaker import BreakerState
from kiosk.verify.online import FailureCause, UpstreamFailure

if TYPE_CHECKING:
    from kiosk.config import UploaderConfig

log = logging.getLogger(__name__)


class BatchUploader(Protocol):
    def upload_batch(
        self, visits: Sequence[Mapping[str, Any]], idempotency_key: str, *, timeout_s: float = ...
    ) -> BatchResult: ...


class Gate(Protocol):
    """The part of `kiosk.verify.breaker.CircuitBreaker` the uploader uses."""

    def allow_request(self) -> bool: ...

    def may_call(self) -> bool: ...

    def record_success(self, latency_s: float) -> None: ...

    @property
    def state(self) -> BreakerState: ...

    def record_failure(self, cause: FailureCause, *, retry_after_s: float | None = None) -> None: ...


# Upstream refuses larger batches (413); a bigger configured size is capped, not an error.
MAX_BATCH_SIZE = 500
# Online verdicts carry their visits, so what waits for a batch is offline and staff
# visits, which come in bursts: in the fleet's flapping scenario, uploading them at every
# 30 s poll cost 0.3 requests per scan. Two minutes gathers a burst into one batch: the
# default of [uploader] gather_s, and the fleet simulation's.
APP_GATHER_S = 120.0


@dataclass(frozen=True, slots=True)
class UploaderSettings:
    batch_size: int = 50
    max_requests_per_s: float = 2.0
    burst: int = 5
    backoff_base_s: float = 2.0
    backoff_max_s: float = 300.0
    request_timeout_s: float = 5.0
    max_batches_per_run: int = 10  # bounds one round, so a big backlog cannot starve the caller
    # UploaderThread: wait between rounds. Visits are batched on this poll rather than sent
    # one by one: the fleet simulation measured 1.46 upstream requests per scan when
    # every visit woke the uploader, 0.94 with a 30 s poll (`kiosk simulate fleet`).
    poll_interval_s: float = 30.0
    # A due visit waits up to this long for others to share its batch (a full batch goes at
    # once); the app uses [uploader] gather_s, a bare Uploader and `kiosk sync` send at once.
    gather_s: float = 0.0
    # A backlog drains in bigger batches while upstream keeps up: after a batch answered
    # within `fast_s` in this round, the next ones take up to `drain_batch_size` records
    # (upstream's cap). One request per 500 records instead of per 50 is far less fixed
    # work for a service that has just recovered; a slow or failed answer goes back to
    # `batch_size`. 0 turns it off.
    drain_batch_size: int = MAX_BATCH_SIZE
    fast_s: float = 1.0

    @classmethod
    def from_config(cls, config: UploaderConfig) -> UploaderSettings:
        return cls(
            batch_size=min(config.batch_size, MAX_BATCH_SIZE),
            max_requests_per_s=config.max_requests_per_s,
            burst=config.burst,
            backoff_base_s=config.backoff_base_s,
            backoff_max_s=config.backoff_max_s,
            poll_interval_s=config.interval_s,
            gather_s=config.gather_s,
        )

    def __post_init__(self) -> None:
        if not 1 <= self.batch_size <= MAX_BATCH_SIZE:
            raise ValueError(f"batch_size must be between 1 and {MAX_BATCH_SIZE}")
        if self.max_batches_per_run < 1 or self.burst < 1:
            raise ValueError("batch_size, burst and max_batches_per_run must be >= 1")
        if self.max_requests_per_s <= 0 or self.request_timeout_s <= 0 or self.poll_interval_s <= 0:
            raise ValueError("rates, timeouts and intervals must be > 0")
        if not 0 <= self.backoff_base_s <= self.backoff_max_s:
            raise ValueError("need 0 <= backoff_base_s <= backoff_max_s")
        if self.gather_s < 0:
            raise ValueError("gather_s must be >= 0")
        if not 0 <= self.drain_batch_size <= MAX_BATCH_SIZE or self.fast_s <= 0:
            raise ValueError(f"drain_batch_size must be between 0 and {MAX_BATCH_SIZE}, fast_s > 0")


class StopReason(StrEnum):
    DRAINED = "drained"  # nothing (more) due
    BREAKER_OPEN = "breaker_open"
    RATE_LIMITED = "rate_limited"
    FAILED = "failed"  # a request failed; the batch is rescheduled with backoff
    ROUND_LIMIT = "round_limit"  # max_batches_per_run reached with more due


@dataclass(frozen=True, slots=True)
class UploadReport:
    batches: int  # upload requests made
    sent: int  # records upstream acknowledged
    quarantined: int  # records upstream refused as invalid (kept, visible to the owner)
    failed: int  # records rescheduled after a failed request
    stopped: StopReason
    last_cause: FailureCause | None = None
    retry_at: float | None = None  # wall time the failed batch becomes due again


def visit_payload(item: OutboxItem) -> dict[str, Any]:
    """The upload form of a visit: identifiers and outcome only, no personal data."""
    return upload_record(item.visit)


def _record_id(record: Mapping[str, Any]) -> str:
    return str(record["id"])


def _plain_json(record: Mapping[str, object]) -> bool:
    """Values json.dumps(allow_nan=False) surely takes: text, integers, finite floats, None.

    What every readable visit holds, checked without serializing it; anything else is
    serialized to find out (and to name the problem when it fails).
    """
    for value in record.values():
        if value is None or type(value) in (str, int):
            continue
        if not (type(value) is float and math.isfinite(value)):
            return False
    return True


class Uploader:
    def __init__(
        self,
        db: Database,
        client: BatchUploader,
        clock: Clock,
        rng: random.Random,
        settings: UploaderSettings | None = None,
        *,
        breaker: Gate | None = None,
        bucket: TokenBucket | None = None,
    ) -> None:
        self._db = db
        self._client = client
        self._clock = clock
        self._rng = rng
        self._settings = settings or UploaderSettings()
        self._breaker = breaker
        self._bucket = bucket or TokenBucket(clock, self._settings.max_requests_per_s, self._settings.burst)

    @property
    def settings(self) -> UploaderSettings:
        return self._settings

    def run_once(self, now: float | None = None) -> UploadReport:
        """Upload due batches until drained, throttled, blocked or failed; `now` is wall time."""
        now = self._clock.now() if now is None else now
        batches = sent = quarantined = failed = 0
        self._merge_journal()
        if not self.ripe(now):
            return UploadReport(0, 0, 0, 0, StopReason.DRAINED)
        if self._breaker is not None and not self._breaker.may_call():
            # Reading and checking a batch only to find the breaker closed to it cost a kiosk
            # that work at every poll of an outage (half of the fleet simulation's reads).
            return UploadReport(0, 0, 0, 0, StopReason.BREAKER_OPEN)
        size = self._settings.batch_size
        for _ in range(self._settings.max_batches_per_run):
            items, payloads, set_aside = self._due(now, size)
            quarantined += set_aside
            if not items:
                if set_aside:
                    continue
                return UploadReport(batches, sent, quarantined, failed, StopReason.DRAINED)
            # Check the rate cap before the breaker: taking the half-open probe slot and
            # then not using it would stall the breaker until the probe lease expires.
            if self._bucket.wait_time(1) > 0:
                return UploadReport(batches, sent, quarantined, failed, StopReason.RATE_LIMITED)
            probing = self._breaker is not None and self._breaker.state is not BreakerState.CLOSED
            if self._breaker is not None and not self._breaker.allow_request():
                return UploadReport(batches, sent, quarantined, failed, StopReason.BREAKER_OPEN)
            self._bucket.try_acquire(1)
            batches += 1
            try:
                result = self._send(payloads, probing=probing)
            except UpstreamFailure as exc:
                retry_at = self._reschedule(items, exc, now)
                failed += len(items)
                return UploadReport(
                    batches, sent, quarantined, failed, StopReason.FAILED, exc.cause, retry_at
                )
            s, q, f = self._apply(items, result, now)
            sent, quarantined, failed = sent + s, quarantined + q, failed + f
            size = self._next_size(result)
        more = bool(outbox.due(self._db, now, 1))
        return UploadReport(
            batches, sent, quarantined, failed, StopReason.ROUND_LIMIT if more else StopReason.DRAINED
        )

    def release_holds(self, now: float) -> int:
        """Upstream is healthy again (the breaker closed): backoffs from the outage are void.

        Records that failed late in an outage would otherwise wait out backoffs of up to
        `backoff_max_s` after the recovery (the fleet's backlog drained 760 s after it).
        A Retry-After still holds through the breaker. Returns how many were held.
        """
        return outbox.release_holds(self._db, now)

    def ripe(self, now: float) -> bool:
        """Is a batch worth sending now? See `ripe_at`."""
        at = self.ripe_at(now)
        return at is not None and at <= now

    def ripe_at(self, now: float) -> float | None:
        """When a round first finds a batch worth sending (wall time; None: nothing pending).

        A visit's first try waits up to `gather_s` for others to share its batch; a full
        batch, and a retry whose backoff has passed, go at once. A held retry waiting for
        company again added up to `gather_s` to every retry after an outage (the fleet's
        drain with lost answers: 566 s).
        """
        gather = self._settings.gather_s
        if gather <= 0:
            return outbox.next_due_at(self._db)
        size = self._settings.batch_size
        if outbox.due_count(self._db, now, size) >= size:
            return now
        return outbox.ripe_at(self._db, gather)

    def _next_size(self, result: BatchResult) -> int:
        settings = self._settings
        if result.latency_s <= settings.fast_s and settings.drain_batch_size > settings.batch_size:
            return settings.drain_batch_size
        return settings.batch_size

    def _due(self, now: float, size: int) -> tuple[list[OutboxItem], list[dict[str, Any]], int]:
        """The next batch and its upload forms, with rows that cannot be read or serialized
        quarantined on the way (their count last).

        One damaged row (bad text, a value this version does not know) must not block
        every upload: it is set aside with its id and a cause, and the rest goes on.
        """
        items, unreadable = outbox.due_readable(self._db, now, size)
        for bad in unreadable:
            outbox.quarantine_unreadable(self._db, bad)
            log.warning("outbox: visit %s quarantined (%s)", bad.visit_id or "(unreadable id)", bad.cause)
        sendable: list[OutboxItem] = []
        payloads: list[dict[str, Any]] = []
        for item in items:
            try:
                payload = visit_payload(item)
                if not _plain_json(payload):
                    json.dumps(payload, allow_nan=False)
            except (TypeError, ValueError) as exc:
                cause = f"cannot be serialized: {exc.__class__.__name__}"
                outbox.quarantine(self._db, item.visit_id, cause, rejected_by_upstream=False)
                log.warning("outbox: visit %s quarantined (%s)", item.visit_id, cause)
                unreadable.append(outbox.UnreadableItem(-1, item.visit_id, cause))
                continue
            sendable.append(item)
            payloads.append(payload)
        return sendable, payloads, len(unreadable)

    def _merge_journal(self) -> None:
        # Visits journalled while another program held the data file's lock upload too.
        try:
            merge_journal(self._db, wait_s=0.0)
        except StoreError as exc:
            log.info("visit journal not merged this round: %s", exc.message)

    def _send(self, payloads: Sequence[dict[str, Any]], *, probing: bool) -> BatchResult:
        # Sorted so a retry of the same set sends byte-identical JSON under the same key.
        records = sorted(payloads, key=_record_id)
        key = idempotency_key(records)
        try:
            result = self._client.upload_batch(records, key, timeout_s=self._settings.request_timeout_s)
        except UpstreamFailure as exc:
            if self._breaker is not None:
                self._breaker.record_failure(exc.cause, retry_after_s=exc.retry_after_s)
            raise
        # Only a probe's success is news to the breaker: upload latency (big batches) says
        # nothing about the verdict path's latency window, so it must not feed it.
        if probing and self._breaker is not None:
            self._breaker.record_success(result.latency_s)
        return result

    def _backoff(self, items: Sequence[OutboxItem]) -> float:
        attempt = max(i.attempts for i in items)
        settings = self._settings
        return full_jitter_delay(attempt, settings.backoff_base_s, settings.backoff_max_s, self._rng)

    def _reschedule(self, items: Sequence[OutboxItem], exc: UpstreamFailure, now: float) -> float:
        delay = self._backoff(items)
        if exc.retry_after_s is not None:
            # Never earlier than the server asked for, still jittered so a fleet spreads out.
            # The whole backoff on top, not a jitter bounded by the wait: bounding it brought
            # a fleet back to a 10 %-capacity upstream in step and slowed the drain after
            # recovery from 581 s to 822 s (1,000 kiosks, `--capacity-share 0.1`).
            delay = exc.retry_after_s + delay
        retry_at = now + delay
        outbox.mark_failed(self._db, [i.visit_id for i in items], str(exc.cause), retry_at)
        log.info("upload of %d visit(s) failed (%s); next try in %.1f s", len(items), exc.cause, delay)
        return retry_at

    def _apply(self, items: Sequence[OutboxItem], result: BatchResult, now: float) -> tuple[int, int, int]:
        ids = {i.visit_id for i in items}
        accepted = [a for a in result.accepted if a in ids]
        outbox.mark_sent(self._db, accepted)
        rejected = {r.id: r.reason for r in result.rejected if r.id in ids and r.id not in accepted}
        for visit_id, reason in rejected.items():
            outbox.quarantine(self._db, visit_id, f"rejected by upstream: {reason}")
        # Records upstream neither accepted nor rejected by id are still owed: retry later.
        missing = [i for i in items if i.visit_id not in rejected and i.visit_id not in set(accepted)]
        if missing:
            delay = self._backoff(missing)
            outbox.mark_failed(self._db, [i.visit_id for i in missing], "not acknowledged", now + delay)
        return len(accepted), len(rejected), len(missing)


class UploaderThread(PeriodicThread):
    """Runs `Uploader.run_once` in a daemon thread on its poll until `stop()`.

    `wake()` runs a round now: for moments that warrant it (upstream just recovered, the
    owner pressed "sync"), not after every visit — batching on the poll is what keeps
    a fleet's load on an overloaded service down. Back online, the outage's backoffs
    are void (`wake_on_recovery`): the backlog goes at once.
    """

    def __init__(self, uploader: Uploader, clock: Clock, *, name: str = "uploader") -> None:
        super().__init__(name=name, failure_wait_s=uploader.settings.poll_interval_s)
        self._uploader = uploader
        self._clock = clock
        self.last_report: UploadReport | None = None

    def _back_online(self) -> None:
        self._uploader.release_holds(self._clock.now())

    def _round(self) -> float:
        report = self._uploader.run_once(self._clock.now())
        self.last_report = report
        settings = self._uploader.settings
        if report.stopped is StopReason.ROUND_LIMIT:
            return 0.0
        if report.stopped is StopReason.RATE_LIMITED:
            return min(settings.poll_interval_s, 1.0 / settings.max_requests_per_s)
        return settings.poll_interval_s
