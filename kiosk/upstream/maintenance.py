"""Background maintenance: periodic trust-list, issuer and revocation sync, and reconciliation.

`Maintenance.run_due(now)` runs whatever is due and returns; it never sleeps or
starts threads (like `Uploader.run_once`), so tests and a virtual-time fleet drive
the very code the app's `MaintenanceThread` (maintenance_thread.py) runs. Its settings
and reports are in maintenance_values.py, each job's call in list_syncs.py.

Load on upstream is what this module is careful about. Each job's next run is
jittered by ±10 % so a fleet that recovered from a common outage does not sync in
lockstep; a failed job backs off (full jitter, capped at its interval, never before
Retry-After); and while the circuit breaker says upstream is unhealthy nothing runs
at all. Even a trust list that is long overdue waits for the breaker: a kiosk with a
stale list still verifies (and warns), whereas thousands of kiosks hammering a sick
upstream keep it sick.

The NZ COVID Pass / SMART Health Card issuer documents (DID documents, JWKS and
their revocation lists, mirrored by upstream at `/v1/trust/issuers`) are their own
job on the trust schedule, asked with If-None-Match like the trust status: a
failure there backs off on its own and never holds back the DCC signer list, and an
owner's "update now" (`run_soon(Job.TRUST)`) refreshes both.

A list whose signature does not verify (list_signature.py) is a failure like any
other, plus a note in the data file until that list is taken again: `kiosk doctor`
and the status bar say so, since the previous list stays in force meanwhile.
"""

from __future__ import annotations

import logging
import random
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.backoff import full_jitter_delay
from kiosk.clock import Clock
from kiosk.errors import KioskError
from kiosk.store.database import Database
from kiosk.store.issuer_store import IssuerStore
from kiosk.store.meta import list_news_heard_at, set_list_news_heard_at
from kiosk.store.reconciliation import oldest_offline_admission_at
from kiosk.store.revocations import revocations_cursor
from kiosk.store.trust_age import TrustAge, TrustAgeLevel, trust_lists_updated_at
from kiosk.store.trust_store import ListRefusal, TrustStore
from kiosk.upstream.list_news import ListNews, NewsInbox
from kiosk.upstream.list_signature import ListSignatureError
from kiosk.upstream.list_syncs import ListSyncs
from kiosk.upstream.maintenance_gate import GateCheck
from kiosk.upstream.maintenance_values import (
    HOUR_S,
    Gate,
    Job,
    JobDetail,
    JobReport,
    MaintenanceReport,
    MaintenanceSettings,
    MaintenanceSource,
    Outcome,
    SkipReason,
)
from kiosk.upstream.pacing import PacedSource
from kiosk.upstream.rate_limit import TokenBucket
from kiosk.upstream.reconcile import ReconcileReport
from kiosk.upstream.revocation_sync import store_revocations
from kiosk.verify.online import FailureCause, UpstreamFailure

if TYPE_CHECKING:
    from collections.abc import Callable

log = logging.getLogger(__name__)

# Failures that say something about the request (a missing extension, a wrong key), not
# about upstream's health: they do not count against the breaker.
_ANSWERS_ABOUT_THE_REQUEST = frozenset({FailureCause.CLIENT_ERROR, FailureCause.AUTH})


@dataclass(slots=True)
class _Schedule:
    """One job's mutable timetable, private to Maintenance (guarded by its lock)."""

    next_due: float | None = None  # None: not planned yet (first round decides)
    failures: int = 0
    not_before: float = float("-inf")  # from Retry-After: not even run_soon goes earlier


class Maintenance:
    def __init__(
        self,
        db: Database,
        client: MaintenanceSource,
        clock: Clock,
        rng: random.Random,
        settings: MaintenanceSettings | None = None,
        *,
        breaker: Gate | None = None,
        trust_store: TrustStore | None = None,
        issuer_store: IssuerStore | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._rng = rng
        self._settings = settings or MaintenanceSettings()
        s = self._settings
        self._client = PacedSource(client, TokenBucket(clock, s.max_requests_per_s, s.burst), clock)
        self._breaker = breaker
        self._trust = trust_store or TrustStore(db, clock)
        self._issuers = issuer_store or IssuerStore(db, clock)
        # What upstream offers is asked of the client itself: the pacing wrapper has every method.
        self._syncs = ListSyncs(
            db,
            self._client,
            clock,
            s,
            self._trust,
            self._issuers,
            conditional=s.conditional_sync and hasattr(client, "trust_status_if_changed"),
            issuers_conditional=s.conditional_sync and hasattr(client, "trust_issuers_if_changed"),
            delta=s.delta_sync and hasattr(client, "trust_delta"),
        )
        self._lock = threading.Lock()
        self._jobs: dict[Job, _Schedule] = {job: _Schedule() for job in Job}
        self._stale_warned = False
        self.last_report: MaintenanceReport | None = None
        self._news = NewsInbox()  # its cursor comes from the data file in the first round
        self._news_resumed = False
        self._news_synced: dict[Job, str] = {}  # the news ETag a list was last synced for
        self._news_noted = False  # the data file knows upstream offers list news
        self._planned = False  # the first round has planned the schedule
        # When the stored revocations were last as current as upstream's (a sync, or news).
        self._revocations_current_at: float | None = None

    @property
    def settings(self) -> MaintenanceSettings:
        return self._settings

    # --- list news (kiosk.upstream.list_news), called on the verdict path ---

    def news_cursor(self) -> float | None:
        return self._news.cursor()

    def note_news(self, news: ListNews, now: float | None = None) -> bool:
        """Take a verification's list news; True when the next round has work from it."""
        return self._news.note(news, self._clock.now() if now is None else now)

    def trust_age(self, now: float | None = None) -> TrustAge:
        now = self._clock.now() if now is None else now
        s = self._settings
        updated = trust_lists_updated_at(self._trust, self._issuers)
        return TrustAge.at(updated, now, s.warn_age_s, s.stale_age_s)

    def run_soon(self, *jobs: Job, now: float | None = None) -> None:
        """Make jobs due now (an owner's "update now"); a server's Retry-After still holds."""
        now = self._clock.now() if now is None else now
        wanted = set(jobs or tuple(Job))
        if Job.TRUST in wanted:
            wanted.add(Job.ISSUERS)  # to the owner both are "the trust list"
        with self._lock:
            for job in wanted:
                sched = self._jobs[job]
                sched.next_due = max(now, sched.not_before)

    def run_due(self, now: float | None = None) -> MaintenanceReport:
        """Run every job whose time has come; `now` is wall time. Never raises for a job's failure."""
        now = self._clock.now() if now is None else now
        with self._lock:
            return self._run_due(now)

    # --- internals (lock held) ---

    def _run_due(self, now: float) -> MaintenanceReport:
        self._plan_first_round(now)
        if not self._news_resumed:
            self._news.resume(revocations_cursor(self._db))
            self._news_resumed = True
        self._apply_news(now)
        gate = GateCheck(self._breaker, self._client, self._settings)
        reports = [
            self._periodic(Job.TRUST, now, gate),
            self._periodic(Job.ISSUERS, now, gate),
            self._periodic(Job.REVOCATIONS, now, gate),
        ]
        if reports[2].outcome is Outcome.RAN:
            self._revocations_current_at = now
        reports.append(self._reconcile(now, gate))
        age = self.trust_age(now)
        self._warn_if_stale(age, reports[0])
        report = MaintenanceReport(
            at=now,
            jobs=tuple(reports),
            trust_age=age,
            next_run_at=self._next_run_at(reports, now),
            probed=gate.probed,
            health=None if self._breaker is None else self._breaker.health,
        )
        self.last_report = report
        return report

    def _plan_first_round(self, now: float) -> None:
        if self._planned:
            return
        self._planned = True
        # What is due at start waits a little for the news where upstream has offered it.
        heard = list_news_heard_at(self._db) is not None
        at_start = now + self._jittered(self._settings.start_grace_s) if heard else now
        interval = self._settings.trust_interval_s
        for job, updated in (
            (Job.TRUST, self._trust.last_updated()),
            (Job.ISSUERS, self._issuers.last_synced()),
        ):
            sched = self._jobs[job]
            if sched.next_due is None:
                # A list fetched shortly before a restart stays in force until its time.
                recent = updated is not None and now - interval < updated <= now
                sched.next_due = updated + self._jittered(interval) if recent else at_start
        revocations = self._jobs[Job.REVOCATIONS]
        if revocations.next_due is None:
            # The stored cursor is upstream time, useless for scheduling: sync once at start.
            revocations.next_due = at_start

    def _apply_news(self, now: float) -> None:
        """Store the revocations verifications brought, and poll a list only when its ETag
        changed or no news came for a (slightly jittered-down) interval: the max-age poll of
        a kiosk that verifies nothing, so no kiosk's lists are older than one interval."""
        heard = self._news.take()
        if heard is None:
            return
        if not self._news_noted:
            set_list_news_heard_at(self._db, heard.heard_at)  # once per start: for the next one
            self._news_noted = True
        fresh = {Job.REVOCATIONS: heard.until is not None and not heard.poll_revocations}
        if heard.revocations:
            try:
                store_revocations(self._db, heard.revocations, heard.until, self._clock)
            except UpstreamFailure as exc:
                log.warning("list news: revocations not stored (%s); the poll fetches them", exc)
                fresh[Job.REVOCATIONS] = False
        for job, etag, stored in (
            (Job.TRUST, heard.trust_etag, self._trust.status_etag()),
            (Job.ISSUERS, heard.issuers_etag, self._issuers.list_etag()),
        ):
            fresh[job] = etag is not None and etag == stored
            if etag is not None and not fresh[job] and self._news_synced.get(job) != etag:
                # Once per new ETag: a list whose sync keeps no ETag (an issuer entry skipped)
                # must not be downloaded again at every verification.
                self._news_synced[job] = etag
                self._jobs[job].next_due = max(now, self._jobs[job].not_before)
        interval = self._settings.trust_interval_s
        # Confirmed current: the age the owner sees restarts, as after a 304.
        if fresh[Job.TRUST] and now - (self._trust.last_updated() or 0.0) > interval:
            self._trust.mark_current(now)
        if fresh[Job.ISSUERS] and now - (self._issuers.last_synced() or 0.0) > interval:
            self._issuers.mark_current(now)
        for job, current in fresh.items():
            sched = self._jobs[job]
            if current and not sched.failures and sched.next_due is not None:
                max_age = self._interval(job) * self._rng.uniform(1.0 - self._settings.jitter, 1.0)
                sched.next_due = max(sched.next_due, heard.heard_at + max_age)
        if fresh[Job.REVOCATIONS]:
            self._revocations_current_at = heard.heard_at
        if heard.poll_revocations:
            self._jobs[Job.REVOCATIONS].next_due = now

    def _interval(self, job: Job) -> float:
        s = self._settings
        return {
            Job.TRUST: s.trust_interval_s,
            Job.ISSUERS: s.trust_interval_s,
            Job.REVOCATIONS: s.revocation_interval_s,
            Job.RECONCILE: s.reconcile_interval_s,
        }[job]

    def _jittered(self, interval: float) -> float:
        j = self._settings.jitter
        return interval * self._rng.uniform(1.0 - j, 1.0 + j)

    def _waiting(self, job: Job, now: float) -> JobReport | None:
        sched = self._jobs[job]
        if sched.next_due is not None and now < sched.next_due:
            reason = SkipReason.BACKING_OFF if sched.failures else SkipReason.NOT_DUE
            return JobReport(job, Outcome.SKIPPED, sched.next_due, reason, failures=sched.failures)
        return None

    def _blocked(self, job: Job) -> JobReport:
        sched = self._jobs[job]
        return JobReport(
            job, Outcome.SKIPPED, sched.next_due, SkipReason.BREAKER_OPEN, failures=sched.failures
        )

    def _periodic(self, job: Job, now: float, gate: GateCheck) -> JobReport:
        waiting = self._waiting(job, now)
        if waiting is not None:
            return waiting
        if not gate.open_for_business():
            return self._blocked(job)
        syncs = self._syncs
        run = {Job.TRUST: syncs.trust, Job.ISSUERS: syncs.issuers}.get(job, syncs.revocations)
        return self._attempt(job, now, run)

    def _reconcile(self, now: float, gate: GateCheck) -> JobReport:
        job = Job.RECONCILE
        sched = self._jobs[job]
        # The oldest checkable admission, None when there is none: one query for both.
        oldest = oldest_offline_admission_at(self._db)
        if oldest is None:
            return JobReport(job, Outcome.SKIPPED, None, SkipReason.NOTHING_PENDING, failures=sched.failures)
        current = self._revocations_current_at
        if current is not None and oldest <= current:
            # The stored list holds what upstream published until after these admissions (a
            # sync, or a verification's news since): compare locally, no request.
            return self._reconcile_locally(now, current)
        waiting = self._waiting(job, now)
        if waiting is not None:
            return waiting
        covered_by = oldest + self._settings.reconcile_interval_s
        if self._news_noted and now < covered_by:
            # Where verifications bring news, the next one will most likely cover these: a
            # download is for admissions no news covered for a whole interval.
            return JobReport(job, Outcome.SKIPPED, covered_by, SkipReason.NOT_DUE)
        if not gate.open_for_business():
            return self._blocked(job)
        report = self._attempt(job, now, self._syncs.reconcile)
        if report.outcome is Outcome.RAN:
            # It downloaded the revocation list: the periodic sync need not do it again soon.
            self._revocations_current_at = now
            revocations = self._jobs[Job.REVOCATIONS]
            revocations.next_due = now + self._jittered(self._settings.revocation_interval_s)
        detail = report.detail
        if isinstance(detail, ReconcileReport) and detail.remaining > 0:
            # The limit bounds one round, not the backlog: carry on in the next round.
            sched.next_due = now
            return JobReport(job, Outcome.RAN, now, detail=detail)
        return report

    def _reconcile_locally(self, now: float, until: float) -> JobReport:
        sched = self._jobs[Job.RECONCILE]
        try:
            detail = self._syncs.reconcile(download=False, until=until)
        except Exception as exc:
            # A locked database: the next round tries again (no personal data in this job).
            log.exception("maintenance: reconciliation against the stored list failed")
            cause = getattr(exc, "key", type(exc).__name__)
            return JobReport(Job.RECONCILE, Outcome.FAILED, sched.next_due, cause=cause)
        # As after a download: newer admissions wait for news or an interval.
        sched.next_due = now + self._jittered(self._settings.reconcile_interval_s)
        return JobReport(Job.RECONCILE, Outcome.RAN, sched.next_due, detail=detail)

    def _attempt(self, job: Job, now: float, run: Callable[[], JobDetail]) -> JobReport:
        sched = self._jobs[job]
        retry_after: float | None = None
        try:
            detail = run()
        except UpstreamFailure as exc:
            cause, retry_after = str(exc.cause), exc.retry_after_s
            if self._breaker is not None and exc.cause not in _ANSWERS_ABOUT_THE_REQUEST:
                # Upstream's health is one view for the whole kiosk, as the verdict path and
                # the uploader report theirs: a poll timing out on a flapping upstream
                # re-opens the breaker (at once on probation) instead of being retried alone.
                self._breaker.record_failure(exc.cause, retry_after_s=retry_after)
        except ListSignatureError as exc:
            cause = exc.key
            log.warning("maintenance: %s", exc.message)
            self._trust.note_refusal(ListRefusal(str(job), now, exc.message))
        except KioskError as exc:
            cause = exc.key
        except Exception as exc:
            # A bug or a locked database in one job must not stop the others or the thread;
            # these jobs handle no personal data, so the traceback is safe to log.
            log.exception("maintenance: %s raised unexpectedly", job)
            cause = type(exc).__name__
        else:
            self._trust.clear_refusal(str(job))
            sched.failures = 0
            sched.next_due = now + self._jittered(self._interval(job))
            log.debug("maintenance: %s ran; next in %.0f s", job, sched.next_due - now)
            return JobReport(job, Outcome.RAN, sched.next_due, detail=detail)
        delay = full_jitter_delay(
            sched.failures, self._settings.backoff_base_s, self._interval(job), self._rng
        )
        sched.failures += 1
        if retry_after is not None:
            # Never earlier than the server asked, and still jittered so a fleet spreads out.
            delay += retry_after
            sched.not_before = now + retry_after
        sched.next_due = now + delay
        log.warning("maintenance: %s failed (%s); next try in %.0f s", job, cause, delay)
        return JobReport(
            job,
            Outcome.FAILED,
            sched.next_due,
            cause=cause,
            retry_after_s=retry_after,
            failures=sched.failures,
        )

    def _next_run_at(self, reports: list[JobReport], now: float) -> float:
        times: list[float] = []
        for r in reports:
            if r.skip_reason is SkipReason.BREAKER_OPEN:
                times.append(now + self._settings.blocked_recheck_s)
            elif r.next_due_at is not None:
                times.append(r.next_due_at)
        return min(times, default=now + self._settings.max_sleep_s)

    def _warn_if_stale(self, age: TrustAge, trust: JobReport) -> None:
        stale = age.level is TrustAgeLevel.STALE and trust.outcome is not Outcome.RAN
        if stale and not self._stale_warned:
            hours = (age.age_s or 0.0) / HOUR_S
            log.warning(
                "trust list is %.0f h old and could not be refreshed (%s)",
                hours,
                trust.skip_reason or trust.cause,
            )
        self._stale_warned = stale


