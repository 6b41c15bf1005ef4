"""What the maintenance service is told and what it reports: its settings, its jobs, the
outcome of a round, and the parts of the client and the breaker it uses."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.decision import Health
from kiosk.store.trust_age import TrustAge
from kiosk.upstream.client import RevocationList, TrustUpdate
from kiosk.upstream.issuer_sync import IssuerSyncReport
from kiosk.upstream.reconcile import ReconcileReport
from kiosk.upstream.revocation_sync import RevocationSyncReport
from kiosk.upstream.trust_sync import SyncReport
from kiosk.verify.breaker import BreakerState
from kiosk.verify.online import FailureCause

if TYPE_CHECKING:
    from kiosk.config import Config

HOUR_S = 3600.0


class MaintenanceSource(Protocol):
    """The part of `kiosk.upstream.client.UpstreamClient` maintenance uses."""

    def health(self, *, timeout_s: float = ...) -> float: ...

    def trust_status(self, *, timeout_s: float = ...) -> list[str]: ...

    def trust_update(self, resume_token: str | None, *, timeout_s: float = ...) -> TrustUpdate | None: ...

    def revocations(self, since: float | None = None, *, timeout_s: float = ...) -> RevocationList: ...

    def trust_issuers(self, *, timeout_s: float = ...) -> list[dict[str, Any]]: ...


class Gate(Protocol):
    """The part of `kiosk.verify.breaker.CircuitBreaker` maintenance uses."""

    @property
    def state(self) -> BreakerState: ...

    @property
    def health(self) -> Health: ...

    def allow_request(self) -> bool: ...

    def cancel(self) -> None: ...

    def record_success(self, latency_s: float) -> None: ...

    def record_failure(self, cause: FailureCause, *, retry_after_s: float | None = None) -> None: ...


@dataclass(frozen=True, slots=True)
class MaintenanceSettings:
    trust_interval_s: float = 60 * 60.0
    revocation_interval_s: float = 15 * 60.0
    # Least time between two reconciliation runs: offline admissions trickle in whenever a
    # single online check misses its budget. The first run after a recovery is at once; then
    # one download per revocation interval covers them all (a run is a revocation sync too,
    # so it also puts off the periodic one). Once a minute cost a fleet 0.15 requests per scan.
    reconcile_interval_s: float = 15 * 60.0
    backoff_base_s: float = 15.0
    request_timeout_s: float = 10.0
    probe_timeout_s: float = 2.0
    # Spend the breaker's half-open probe on a cheap health call when a job is waiting:
    # a quiet kiosk (no scans, empty outbox) would otherwise never notice a recovery.
    probe_when_open: bool = True
    jitter: float = 0.1  # next run = interval * uniform(1 - jitter, 1 + jitter)
    reconcile_limit: int = 5000  # visits per reconciliation run; more are done in the next round
    warn_age_s: float = 24 * HOUR_S  # trust-list age: amber from here
    stale_age_s: float = 72 * HOUR_S  # red from here (still verifies, warns the owner)
    blocked_recheck_s: float = 5.0  # how soon a job held back by the breaker is looked at again
    min_sleep_s: float = 0.5  # MaintenanceThread: never spin, even when a retry is due at once
    # The background request budget (pacing.py). With the uploader's 2/s (burst 5) it stays
    # under upstream's per-kiosk allowance (4/s, burst 8), so a verdict always finds a token.
    max_requests_per_s: float = 1.0
    burst: int = 2
    # Ask for the trust status and the issuer list with If-None-Match (and compare kids
    # before downloading certificates).
    conditional_sync: bool = True
    # Ask for the trust list as one delta after the stored resume token where upstream offers
    # it (docs/upstream-api.md); a 404 falls back to the DGCA update stream for good.
    delta_sync: bool = True
    max_sleep_s: float = 30.0  # MaintenanceThread: bounded, so new offline admissions get noticed
    # A kiosk whose verifications have brought list news before (upstream offers it) does not
    # poll every list the moment it starts: the lists due then wait this long (jittered) for
    # the first verification's news, which says whether they changed and brings the new
    # revocations. A fleet switched on in the morning would otherwise poll three lists each
    # at once; an idle kiosk still polls when this runs out.
    start_grace_s: float = 5 * 60.0

    @classmethod
    def from_config(cls, config: Config) -> MaintenanceSettings:
        trust = config.trust
        return cls(
            trust_interval_s=trust.sync_interval_minutes * 60.0,
            warn_age_s=trust.warn_age_hours * HOUR_S,
            stale_age_s=trust.stale_age_hours * HOUR_S,
        )

    def __post_init__(self) -> None:
        intervals = (self.trust_interval_s, self.revocation_interval_s, self.reconcile_interval_s)
        if min(intervals) <= 0 or self.request_timeout_s <= 0 or self.probe_timeout_s <= 0:
            raise ValueError("intervals and timeouts must be > 0")
        if not 0 <= self.jitter < 1:
            raise ValueError("jitter must be in [0, 1)")
        if self.backoff_base_s < 0 or self.reconcile_limit < 1 or self.blocked_recheck_s <= 0:
            raise ValueError("need backoff_base_s >= 0, reconcile_limit >= 1, blocked_recheck_s > 0")
        if self.max_requests_per_s <= 0 or self.burst < 1:
            raise ValueError("need max_requests_per_s > 0 and burst >= 1")
        if self.start_grace_s < 0:
            raise ValueError("need start_grace_s >= 0")
        if not 0 < self.min_sleep_s <= self.max_sleep_s:
            raise ValueError("need 0 < min_sleep_s <= max_sleep_s")
        if not 0 < self.warn_age_s < self.stale_age_s:
            raise ValueError("need 0 < warn_age_s < stale_age_s")


class Job(StrEnum):
    TRUST = "trust"
    ISSUERS = "issuers"  # NZCP/SHC issuer documents, on the trust schedule
    REVOCATIONS = "revocations"
    RECONCILE = "reconcile"


class Outcome(StrEnum):
    RAN = "ran"
    SKIPPED = "skipped"
    FAILED = "failed"


class SkipReason(StrEnum):
    NOT_DUE = "not_due"
    BACKING_OFF = "backing_off"  # not due yet because the last attempt failed
    BREAKER_OPEN = "breaker_open"  # upstream unhealthy (or asked us to wait): no extra load
    NOTHING_PENDING = "nothing_pending"  # reconciliation: no unreconciled offline admission


JobDetail = SyncReport | IssuerSyncReport | RevocationSyncReport | ReconcileReport


@dataclass(frozen=True, slots=True)
class JobReport:
    job: Job
    outcome: Outcome
    next_due_at: float | None  # wall time; None = reconciliation waits for offline admissions
    skip_reason: SkipReason | None = None
    cause: str | None = None  # why it failed: a FailureCause value or an error key, never personal data
    retry_after_s: float | None = None  # what upstream asked for, when it did
    failures: int = 0  # consecutive failures so far (0 after a success)
    detail: JobDetail | None = None  # the job's own report when it ran


@dataclass(frozen=True, slots=True)
class MaintenanceReport:
    at: float
    jobs: tuple[JobReport, ...]
    trust_age: TrustAge
    next_run_at: float  # the earliest time run_due may have something to do
    probed: bool = False  # this round spent the breaker's half-open probe on a health call
    health: Health | None = None  # breaker health after this round (None without a breaker)

    def job(self, job: Job) -> JobReport:
        for report in self.jobs:
            if report.job is job:
                return report
        raise KeyError(job)

    @property
    def ran(self) -> tuple[Job, ...]:
        return tuple(r.job for r in self.jobs if r.outcome is Outcome.RAN)

    @property
    def failed(self) -> tuple[Job, ...]:
        return tuple(r.job for r in self.jobs if r.outcome is Outcome.FAILED)
