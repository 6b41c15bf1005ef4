"""The upstream of the fleet simulation: a capacity and queueing model, not a server.

One work queue drains at the current capacity (work units per second): a request
waits behind the queued work, so an overloaded upstream first gets slow; a request
facing more than `shed_queue_s` of queue is refused at once with 503 + Retry-After,
and a kiosk exceeding its own request rate gets 429 + Retry-After. Refusing costs a
little work too, so a retry storm still hurts. During the outage nothing answers and
every caller waits for its own timeout.

Work that was queued is done even when the caller has given up: an upload (or a
verification carrying its visit) whose answer arrives after the client's timeout is
stored, but its acknowledgement is lost; with `lost_ack_share` a share of answered
record-carrying requests also lose their answer in transit. The ledger keeps what
was stored, by record id (idempotent, the first delivery's contents kept), and tells
apart re-deliveries the client could not avoid from those it could.

Every request is counted by kind: verdicts, uploads, health probes, trust status,
trust-list certificates, NZCP/SHC issuer lists and revocation lists (304s of the
conditional trust status and issuer list counted as well).
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from kiosk.simulator.fleet_queue import WorkQueue
from kiosk.verify.online import FailureCause


class RequestKind(StrEnum):
    VERIFY = "verify"
    UPLOAD = "upload"
    HEALTH = "health"
    TRUST_STATUS = "trust_status"
    TRUST_UPDATE = "trust_update"
    TRUST_DELTA = "trust_delta"  # the delta extension: the changed part of the list in one answer
    TRUST_ISSUERS = "trust_issuers"  # the NZCP/SHC issuer documents upstream mirrors
    REVOCATIONS = "revocations"


@dataclass(frozen=True, slots=True)
class UpstreamSettings:
    # Full capacity in verify requests per second, per kiosk of the fleet (0.08 x 1,000 = 80/s),
    # so a small test fleet meets the same pressure as the full one.
    capacity_per_kiosk: float = 0.08
    verify_cost: float = 1.0
    batch_cost: float = 1.0  # fixed part of an upload batch
    record_cost: float = 0.05  # per record of a batch
    reject_cost: float = 0.02  # refusing at the front door is cheap, not free
    rtt_s: float = 0.04  # network round trip
    verify_service_s: float = 0.03
    batch_service_s: float = 0.05
    record_service_s: float = 0.002
    shed_queue_s: float = 1.5  # more queue than this ahead of a request: 503
    retry_after_503_s: float = 10.0
    client_rate_per_s: float = 4.0  # per kiosk; beyond it: 429
    client_burst: float = 8.0
    retry_after_429_s: float = 2.0
    verify_record_cost: float = 0.05  # storing the visit a verification carries
    health_cost: float = 0.05
    # The trust status with its kids, and the issuer list (a 304 of either costs `not_modified_cost`).
    status_cost: float = 0.2
    not_modified_cost: float = 0.05
    trust_update_cost: float = 0.2  # one certificate of the update stream
    delta_cert_cost: float = 0.02  # each certificate of a delta (one answer, no request overhead)
    revocations_cost: float = 0.3
    small_service_s: float = 0.01  # service time of the background calls
    lost_ack_share: float = 0.0  # answered record-carrying requests whose answer never arrives
    # The health-wait extension: while nothing else answers, the front door answers health
    # at once with 503 and this Retry-After (it cannot know when the service is back).
    down_retry_after_s: float = 120.0


# A visit as the ledger keeps it: its id and (decision, reason, verified_by).
Content = tuple[str, str, str]
Record = tuple[str, Content]
# The few distinct contents, each once: a ledger of a million visits keeps a small int per
# visit (the same object for all) instead of a tuple of three fresh strings.
_CODES: dict[Content, int] = {}


def content_code(content: Content) -> int:
    """The same small int for equal contents, for the whole run."""
    code = _CODES.get(content)
    if code is None:
        code = _CODES[content] = len(_CODES)
    return code


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    latency_s: float  # until the caller has its answer, or gives up (its timeout)
    cause: FailureCause | None = None
    retry_after_s: float | None = None
    not_modified: bool = False  # a conditional trust status or issuer list answered 304


@dataclass(slots=True)
class Ledger:
    """What upstream stored and what each kiosk was told.

    `duplicates`: ids delivered again after the client had received an acknowledgement
    for them — avoidable traffic, the client's fault. `redelivered`: ids delivered again
    after a delivery that was stored but whose acknowledgement the client never got
    (a timeout); idempotent storage absorbs these, and no client could have known.
    """

    stored_at: dict[str, float] = field(default_factory=dict)
    acked_at: dict[str, float] = field(default_factory=dict)
    duplicates: set[str] = field(default_factory=set)
    redelivered: set[str] = field(default_factory=set)
    contents: dict[str, int] = field(default_factory=dict)  # what upstream holds for each id (content_code)
    provisional: set[str] = field(default_factory=set)  # stored from a verification's proposal

    def deliver(
        self, records: Sequence[Record], at: float, *, ack_at: float | None, by_verify: bool = False
    ) -> None:
        for raw_id, content in records:
            # One string per id for the ledger and the tally (fleet_results): a visit's id
            # arrives here as a fresh copy read from the kiosk's database.
            visit_id = sys.intern(raw_id)
            if visit_id in self.provisional and not by_verify:
                # As the reference upstream does (simulator/state.py): the kiosk's uploaded
                # record is its final word and replaces the one its verification proposed.
                self.provisional.discard(visit_id)
                self.contents[visit_id] = content_code(content)
            if visit_id in self.acked_at:
                self.duplicates.add(visit_id)
            elif visit_id in self.stored_at:
                self.redelivered.add(visit_id)
            else:
                self.stored_at[visit_id] = at
                self.contents[visit_id] = content_code(content)
                if by_verify:
                    self.provisional.add(visit_id)
            if ack_at is not None and visit_id not in self.acked_at:
                self.acked_at[visit_id] = ack_at


@dataclass(slots=True)
class RequestCounts:
    total: int = 0
    timeouts: int = 0
    shed_503: int = 0
    throttled_429: int = 0
    not_modified_304: int = 0
    by_kind: dict[str, int] = field(default_factory=lambda: dict.fromkeys(map(str, RequestKind), 0))

    @property
    def verify(self) -> int:
        return self.by_kind[RequestKind.VERIFY]

    @property
    def upload(self) -> int:
        return self.by_kind[RequestKind.UPLOAD]

    def add(self, kind: RequestKind) -> None:
        self.total += 1
        self.by_kind[kind] += 1


@dataclass(slots=True)
class _ClientBucket:
    tokens: float
    last: float


class UpstreamModel:
    def __init__(
        self,
        settings: UpstreamSettings,
        kiosks: int,
        capacity_at: Callable[[float], float],
        windows: dict[str, Callable[[float], bool]],
    ) -> None:
        """`capacity_at(t)` is the share of full capacity; `windows` name time ranges to count requests in."""
        self._s = settings
        self._full_rate = settings.capacity_per_kiosk * kiosks
        self._capacity_at = capacity_at
        self._windows = windows
        self._queue = WorkQueue()
        self._clients: dict[str, _ClientBucket] = {}
        self._lost = random.Random(f"lost-acks:{settings.lost_ack_share}")
        self.ledger = Ledger()
        self.arrivals_per_s: dict[int, int] = {}  # requests arriving in each second, every kind
        self.counts: dict[str, RequestCounts] = {"overall": RequestCounts()}
        for name in windows:
            self.counts[name] = RequestCounts()

    @property
    def capacity_per_s(self) -> float:
        """Full capacity in work units per second (a verification costs one)."""
        return self._full_rate

    def verify(
        self,
        client: str,
        at: float,
        timeout_s: float,
        record: Record | None = None,
        carried: Sequence[Record] = (),
    ) -> Outcome:
        """A verification; with `record` it carries the visit upstream stores (a valid answer),
        with `carried` earlier visits (the carry extension: final records, stored like a batch's)."""
        s = self._s
        proposed = () if record is None else (record,)
        cost = s.verify_cost + s.verify_record_cost * (len(proposed) + len(carried))
        return self._request(
            client, at, timeout_s, RequestKind.VERIFY, cost, s.verify_service_s, proposed, carried
        )

    def health(self, client: str, at: float, timeout_s: float, *, says_when: bool = False) -> Outcome:
        """`says_when`: upstream offers the health-wait extension (a down service's front door
        answers with a Retry-After instead of leaving the probe to time out)."""
        s = self._s
        if says_when and self._capacity_at(at) <= 0:
            self._count(at, RequestKind.HEALTH, "503")
            return self._refusal(timeout_s, FailureCause.SERVER_ERROR, s.down_retry_after_s)
        return self._request(client, at, timeout_s, RequestKind.HEALTH, s.health_cost, s.small_service_s)

    def trust_status(self, client: str, at: float, timeout_s: float, *, unchanged: bool) -> Outcome:
        """`unchanged`: the request's If-None-Match matches the published list (a 304 if answered)."""
        return self._conditional(client, at, timeout_s, RequestKind.TRUST_STATUS, unchanged=unchanged)

    def trust_issuers(self, client: str, at: float, timeout_s: float, *, unchanged: bool) -> Outcome:
        """The issuer list; `unchanged` as for `trust_status`."""
        return self._conditional(client, at, timeout_s, RequestKind.TRUST_ISSUERS, unchanged=unchanged)

    def _conditional(
        self, client: str, at: float, timeout_s: float, kind: RequestKind, *, unchanged: bool
    ) -> Outcome:
        s = self._s
        cost = s.not_modified_cost if unchanged else s.status_cost
        outcome = self._request(client, at, timeout_s, kind, cost, s.small_service_s)
        if outcome.ok and unchanged:
            for counts in self._targets(at):
                counts.not_modified_304 += 1
            return Outcome(True, outcome.latency_s, not_modified=True)
        return outcome

    def trust_update(self, client: str, at: float, timeout_s: float) -> Outcome:
        s = self._s
        return self._request(
            client, at, timeout_s, RequestKind.TRUST_UPDATE, s.trust_update_cost, s.small_service_s
        )

    def trust_delta(
        self, client: str, at: float, timeout_s: float, *, unchanged: bool, certs: int
    ) -> Outcome:
        """The delta extension: conditional like the status, plus its certificates' work."""
        s = self._s
        if unchanged:
            return self._conditional(client, at, timeout_s, RequestKind.TRUST_DELTA, unchanged=True)
        cost = s.status_cost + s.delta_cert_cost * certs
        return self._request(client, at, timeout_s, RequestKind.TRUST_DELTA, cost, s.small_service_s)

    def revocations(self, client: str, at: float, timeout_s: float) -> Outcome:
        s = self._s
        return self._request(
            client, at, timeout_s, RequestKind.REVOCATIONS, s.revocations_cost, s.small_service_s
        )

    def upload(self, client: str, at: float, records: Sequence[Record], timeout_s: float) -> Outcome:
        s = self._s
        cost = s.batch_cost + s.record_cost * len(records)
        service = s.batch_service_s + s.record_service_s * len(records)
        return self._request(client, at, timeout_s, RequestKind.UPLOAD, cost, service, records)

    def _targets(self, at: float) -> list[RequestCounts]:
        targets = [self.counts["overall"]]
        targets += [self.counts[name] for name, inside in self._windows.items() if inside(at)]
        return targets

    def _count(self, at: float, kind: RequestKind, failure: str | None) -> None:
        second = int(at)
        self.arrivals_per_s[second] = self.arrivals_per_s.get(second, 0) + 1
        for counts in self._targets(at):
            counts.add(kind)
            if failure == "timeout":
                counts.timeouts += 1
            elif failure == "503":
                counts.shed_503 += 1
            elif failure == "429":
                counts.throttled_429 += 1

    def _request(
        self,
        client: str,
        at: float,
        timeout_s: float,
        kind: RequestKind,
        cost: float,
        service_s: float,
        ids: Sequence[Record] = (),
        carried: Sequence[Record] = (),
    ) -> Outcome:
        s = self._s
        share = self._capacity_at(at)
        if share <= 0:
            self._count(at, kind, "timeout")
            return Outcome(False, timeout_s, FailureCause.TIMEOUT)
        rate = self._full_rate * share
        if not self._take_client_token(client, at):
            self._queue_work(at, s.reject_cost / rate)
            self._count(at, kind, "429")
            return self._refusal(timeout_s, FailureCause.THROTTLED, s.retry_after_429_s)
        wait = self._queue.wait_at(at)
        if wait > s.shed_queue_s:
            self._queue_work(at, s.reject_cost / rate)
            self._count(at, kind, "503")
            return self._refusal(timeout_s, FailureCause.SERVER_ERROR, s.retry_after_503_s)
        self._queue_work(at, cost / rate)
        latency = s.rtt_s + wait + service_s
        answered = latency <= timeout_s
        records = bool(ids or carried)
        if records and answered and s.lost_ack_share and self._lost.random() < s.lost_ack_share:
            # Stored, answered, and the answer lost on the way back: the caller waits out its timeout.
            answered = False
        if records:
            # Stored when the work is done, acknowledged only if the answer beats the timeout.
            done = at + latency - s.rtt_s / 2
            ack_at = at + latency if answered else None
            self.ledger.deliver(ids, done, ack_at=ack_at, by_verify=kind is RequestKind.VERIFY)
            self.ledger.deliver(carried, done, ack_at=ack_at)
        if not answered:
            self._count(at, kind, "timeout")
            return Outcome(False, timeout_s, FailureCause.TIMEOUT)
        self._count(at, kind, None)
        return Outcome(True, latency)

    def _refusal(self, timeout_s: float, cause: FailureCause, retry_after_s: float) -> Outcome:
        latency = self._s.rtt_s
        if latency > timeout_s:
            return Outcome(False, timeout_s, FailureCause.TIMEOUT)
        return Outcome(False, latency, cause, retry_after_s)

    def _queue_work(self, at: float, seconds: float) -> None:
        self._queue.add(at, seconds)

    def _take_client_token(self, client: str, at: float) -> bool:
        s = self._s
        bucket = self._clients.get(client)
        if bucket is None:
            bucket = self._clients[client] = _ClientBucket(s.client_burst, at)
        # Requests of one kiosk's two threads may arrive slightly out of order: never refill backwards.
        if at > bucket.last:
            bucket.tokens = min(s.client_burst, bucket.tokens + (at - bucket.last) * s.client_rate_per_s)
            bucket.last = at
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return True
        return False
