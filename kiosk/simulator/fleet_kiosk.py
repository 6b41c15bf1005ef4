"""One simulated kiosk: the app's real engine, breaker, recorder, uploader and maintenance.

A kiosk has three ManualClocks, all counting virtual seconds from the scenario start:
one for the verdict path (engine, breaker, recorder) and one each for the uploader
and the maintenance service, which run in their own threads in the app, so a slow
background call must not delay the next scan. The shared breaker reads the verdict
clock; it therefore learns a background call's outcome at the time the call started
(at most its timeout early), which is the one approximation of this design.

The uploader is driven like `UploaderThread`: a round after `wake()` (a new visit) or
after `poll_interval_s` of idling; the maintenance service like `MaintenanceThread`:
a round when its report says something is due (`next_run_at`), at its 30 s poll when
an offline admission waits for reconciliation, and at once when the breaker closes
(`wake_on_recovery`). Polls that cannot do anything (nothing due, breaker closed to
them) are skipped, and so are rounds that would do nothing (fleet_idle.py), which
changes no outcome and saves most of the work.

The kiosks of a running fleet are not in step: each starts with the trust list
fetched, and the issuer list synced, at random times within the last sync interval
(with the ETags those syncs saw) and runs its first maintenance round at a random
time within the revocation interval.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.clock import ManualClock
from kiosk.decision import Verdict, VerifiedBy
from kiosk.simulator.fleet_clients import (
    ConditionalMaintenanceSource,
    DeltaMaintenanceSource,
    KidComparingMaintenanceSource,
    ModelBatchClient,
    ModelChecker,
    ModelMaintenanceSource,
    NaiveUploader,
    NeverOpenBreaker,
    RetryingChecker,
)
from kiosk.simulator.fleet_idle import round_would_idle
from kiosk.simulator.fleet_lists import ISSUERS_ETAG, PublishedLists
from kiosk.simulator.fleet_local import MemoDccCheck, TimedDraftingRecorder, TimedRecorder, timed_check
from kiosk.simulator.fleet_policy import APP_CONFIG, Policy
from kiosk.simulator.fleet_scenario import PassPool, Scenario
from kiosk.simulator.fleet_upstream import UpstreamModel
from kiosk.store.database import Database
from kiosk.store.issuer_store import IssuerStore
from kiosk.store.meta import set_list_news_heard_at
from kiosk.store.recorder import StoreRecorder
from kiosk.store.revocations import is_revoked_hash, set_revocations_cursor
from kiosk.store.trust_store import TrustStore
from kiosk.upstream.maintenance import Maintenance
from kiosk.upstream.maintenance_values import Job, SkipReason
from kiosk.upstream.trust_sync import SyncReport
from kiosk.upstream.uploader import StopReason, Uploader
from kiosk.verify.breaker import BreakerState, CircuitBreaker
from kiosk.wiring import assemble_engine

# A kiosk switched on in the morning last synced its lists the evening before.
OVERNIGHT_S = 14 * 3600.0

# Event kinds of the simulation's heap.
SCAN = 0
UPLOAD = 1
MAINTENANCE = 2


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    elapsed_s: float
    verified_by: VerifiedBy
    online_attempted: bool
    visit_id: str | None  # the id of the visit behind the verdict shown (None: not recorded)
    shown: tuple[str, str, str]  # (decision, reason, verified_by) as the screen showed them


def _catch_up(clock: ManualClock, t: float) -> None:
    lag = t - clock.monotonic()
    if lag > 0:
        clock.advance(lag)


class SimKiosk:
    def __init__(
        self,
        index: int,
        *,
        scenario: Scenario,
        policy: Policy,
        pool: PassPool,
        model: UpstreamModel,
        lists: PublishedLists,
        db: Database,
        schedule: Callable[[float, int, int], None],
        dcc_check: MemoDccCheck,
    ) -> None:
        self.index = index
        self.kiosk_id = f"kiosk-{index:04d}"
        self.db = db
        self._scenario = scenario
        self._policy = policy
        self._schedule = schedule
        self._outage = scenario.outage
        start = scenario.start_epoch
        self.verdict_clock = ManualClock(start)
        self.upload_clock = ManualClock(start)
        self.maint_clock = ManualClock(start)
        seed = f"{scenario.seed}:{policy.name}:{index}"
        fleet_rng = random.Random(f"{scenario.seed}:fleet-state:{index}")  # the same for every policy
        maint = policy.maintenance
        self.start_s = scenario.kiosk_start_s(index)
        trust_store = TrustStore(db, self.maint_clock)
        # Fetched some time within the last interval, as in a fleet that has been running
        # (the evening before, for a morning start: then every list is due at switch-on).
        synced = fleet_rng.uniform(0.0, maint.trust_interval_s)
        overnight = OVERNIGHT_S if scenario.morning_start else 0.0
        trust_store.replace_all(pool.trust_list, start - overnight - synced)
        trust_store.set_status_etag(lists.trust_at(0.0).etag)  # what that sync saw
        trust_store.set_resume_token(lists.trust_at(0.0).last_token)
        # The issuer list (empty: the scenario has no NZCP/SHC passes) was synced on its own
        # schedule; recording when keeps its first sync within the hour instead of at once.
        issuer_store = IssuerStore(db, self.maint_clock)
        # Its own generators: fleet_rng's later draws stay as they were.
        issuer_rng = random.Random(f"{scenario.seed}:fleet-issuers:{index}")
        issuer_store.mark_synced(start - overnight - issuer_rng.uniform(0.0, maint.trust_interval_s))
        issuer_store.set_list_etag(ISSUERS_ETAG)
        revocation_rng = random.Random(f"{scenario.seed}:fleet-revocations:{index}")
        revocations_synced = revocation_rng.uniform(0.0, maint.revocation_interval_s)
        set_revocations_cursor(db, start - overnight - revocations_synced)
        if "news" in policy.extensions:  # its verifications brought list news before
            set_list_news_heard_at(db, start - overnight - revocations_synced)
        self.breaker: CircuitBreaker
        self._uploader: Uploader | NaiveUploader
        self._checker: ModelChecker | None = None  # ours: tells whether a verification stored its visit
        ids = random.Random(f"{seed}:ids")
        recorder = StoreRecorder(db, kiosk_id=self.kiosk_id, rng=ids)
        timed: TimedRecorder
        source: ModelMaintenanceSource
        work_rng = random.Random(f"{seed}:local-work")
        if policy.baseline:
            self.breaker = NeverOpenBreaker(self.verdict_clock)
            per_try = None if policy.per_try_share is None else policy.per_try_share * policy.budget_s
            checker: ModelChecker | RetryingChecker = RetryingChecker(
                model, self.kiosk_id, self.verdict_clock, lists, tries=policy.tries, per_try_s=per_try
            )
            if not policy.backoff_uploads:
                self._uploader = NaiveUploader(
                    db,
                    model,
                    self.kiosk_id,
                    self.upload_clock,
                    batch_size=policy.uploader.batch_size,
                    max_batches_per_run=policy.uploader.max_batches_per_run,
                    timeout_s=policy.uploader.request_timeout_s,
                    tries=policy.tries,
                )
            timed = TimedRecorder(recorder, self.verdict_clock, work_rng)
            source = _SOURCES[policy.trust_sync](model, self.kiosk_id, self.maint_clock, lists)
            gate = None
        else:
            breaker_rng = random.Random(f"{seed}:breaker")
            self.breaker = CircuitBreaker(self.verdict_clock, breaker_rng, policy.breaker)
            checker = self._checker = ModelChecker(model, self.kiosk_id, self.verdict_clock, lists, start)
            timed = TimedDraftingRecorder(recorder, self.verdict_clock, work_rng, lambda: self.pending > 0)
            ours = DeltaMaintenanceSource if "delta" in policy.extensions else ConditionalMaintenanceSource
            says_when = "health_wait" in policy.extensions
            source = ours(model, self.kiosk_id, self.maint_clock, lists, health_says_when=says_when)
            gate = self.breaker
        if not policy.baseline or policy.backoff_uploads:
            # The app's Uploader: ours with the breaker, the ordinary client's without.
            self._uploader = Uploader(
                db,
                ModelBatchClient(model, self.kiosk_id, self.upload_clock),
                self.upload_clock,
                random.Random(f"{seed}:uploader"),
                policy.uploader,
                breaker=gate,
            )
        self._dcc_check = dcc_check
        self._trust_store = trust_store
        self._kid_hexes = trust_store.kid_hexes()
        self._maintenance = Maintenance(
            db,
            source,
            self.maint_clock,
            random.Random(f"{seed}:maintenance"),
            maint,
            breaker=gate,
            trust_store=trust_store,
            issuer_store=issuer_store,
        )
        if self._checker is not None and "news" in policy.extensions:
            self._checker.news = self._maintenance  # as kiosk run connects them (ui/app.py)
        if self._checker is not None:
            self._checker.carry = "carry" in policy.extensions
        self._engine = assemble_engine(
            APP_CONFIG,
            db,
            kiosk_id=self.kiosk_id,
            clock=self.verdict_clock,
            trust=TrustStore(db, self.verdict_clock),
            recorder=timed,
            online=checker,
            breaker=self.breaker,
            dcc_check=timed_check(dcc_check, self.verdict_clock, work_rng),
        )
        self.pending = 0
        self.upload_at: float | None = None  # the scheduled round; heap entries at other times are stale
        self._anchor = 0.0  # end of the last round: the idle poll counts from here
        self._busy_until = 0.0
        self.maint_at: float | None = None
        self._maint_anchor = 0.0
        self._admitted_offline = False  # since the last maintenance round (fleet_idle.py)
        self.open_in_outage = False  # the breaker was seen open (or probing) during the outage
        self._revoked_hash = lists.revoked_dcc_hash
        self.revocation_known_at: float | None = None  # when the revoked DCC's revocation was stored
        phase = fleet_rng.uniform(0.0, maint.revocation_interval_s)
        # Switched on in the morning, the maintenance thread's first round runs at once.
        self._set_maint(self.start_s if scenario.morning_start else phase)

    # --- the verdict path ---

    def scan(self, t: float, text: str) -> ScanOutcome:
        _catch_up(self.verdict_clock, t)
        self._dcc_check.trust_list_is(self._kid_hexes)
        before = self.breaker.state
        evaluation = self._engine.verify(text)
        decision = evaluation.decision
        end = self.verdict_clock.monotonic()
        after = self.breaker.state
        if t in self._outage and after is not BreakerState.CLOSED:
            self.open_in_outage = True
        self._after_breaker_change(before, after, end)
        checker = self._checker
        if checker is not None:
            self.pending -= checker.acked  # marked sent with this scan's commit
            checker.acked = 0  # a scan that asks upstream nothing acknowledges nothing
        carried = decision.verified_by is VerifiedBy.ONLINE and checker is not None and checker.recorded
        if not carried:
            # Ours: a valid online verdict's visit went upstream with the verification itself.
            self.pending += 1
            if self._policy.wake_on_visit:
                self._wake(end)
            elif self.upload_at is None or after is not before:
                # The idle thread notices the new visit (or the reopened path) at its next poll.
                self._reschedule(end)
        if decision.verified_by is VerifiedBy.OFFLINE and decision.verdict is Verdict.ADMIT:
            self._admitted_offline = True
            self._maint_poll(end)  # reconciliation notices it at the thread's next poll
        elif checker is not None and checker.news_wants_round:
            checker.news_wants_round = False
            self._maint_poll(end)  # the thread stores the news at its next poll
        return ScanOutcome(
            evaluation.elapsed_s,
            decision.verified_by,
            evaluation.online_attempted,
            decision.visit_id,
            (str(decision.verdict), str(decision.reason), str(decision.verified_by)),
        )

    # --- the uploader thread ---

    def upload_round(self, t: float) -> int:
        """Run one `run_once` round at `t`; returns how many records were acknowledged."""
        self.upload_at = None
        _catch_up(self.upload_clock, t)
        _catch_up(self.verdict_clock, t)
        before = self.breaker.state
        report = self._uploader.run_once(self.upload_clock.now())
        self._after_breaker_change(before, self.breaker.state, self.upload_clock.monotonic())
        done = report.sent + report.quarantined
        self.pending -= done
        end = self.upload_clock.monotonic()
        self._anchor = self._busy_until = end
        if report.stopped is StopReason.ROUND_LIMIT:
            self._set_upload(end)
        elif report.stopped is StopReason.RATE_LIMITED:
            settings = self._policy.uploader
            self._set_upload(end + min(self._policy.upload_interval_s, 1.0 / settings.max_requests_per_s))
        else:
            self._reschedule(end)
        return done

    # --- the maintenance thread ---

    def maintenance_round(self, t: float) -> None:
        self.maint_at = None
        _catch_up(self.maint_clock, t)
        _catch_up(self.verdict_clock, t)
        news = self._checker is not None and self._checker.news_noted
        if self._checker is not None:
            self._checker.news_noted = False
        last = self._maintenance.last_report
        now = self.maint_clock.now()
        before = self.breaker.state
        idle = round_would_idle(last, now, news=news, new_admissions=self._admitted_offline)
        if idle and last is not None:
            report = last  # what this round would report: nothing done, the same next run
        else:
            report = self._maintenance.run_due(now)
            self._admitted_offline = False
            trust = report.job(Job.TRUST).detail
            if isinstance(trust, SyncReport) and not trust.unchanged:
                self._kid_hexes = self._trust_store.kid_hexes()
        end = self.maint_clock.monotonic()
        # Only maintenance rounds store revocations (a sync's, or the list news').
        due = self.revocation_known_at is None and t >= self._scenario.revocation_s
        if due and is_revoked_hash(self.db, self._revoked_hash):
            self.revocation_known_at = end
        self._after_breaker_change(before, self.breaker.state, end)
        self._maint_anchor = end
        settings = self._policy.maintenance
        earliest = report.next_run_at - self._scenario.start_epoch
        if any(j.skip_reason is SkipReason.BREAKER_OPEN for j in report.jobs):
            # The thread re-checks every few seconds; nothing can pass before the breaker's probe.
            probe = self.breaker.snapshot().next_probe_in_s
            if probe is not None:
                earliest = max(earliest, self.verdict_clock.monotonic() + probe)
            recheck = settings.blocked_recheck_s
            earliest = end + recheck * max(1, math.ceil((earliest - end) / recheck - 1e-9))
        self._set_maint(max(earliest, end + settings.min_sleep_s))

    def _maint_poll(self, now: float) -> None:
        """The thread's next idle poll after `now` (it sleeps at most `max_sleep_s`)."""
        step = self._policy.maintenance.max_sleep_s
        polls = max(1, math.ceil((now - self._maint_anchor) / step - 1e-9))
        self._set_maint(self._maint_anchor + polls * step)

    def _after_breaker_change(self, before: BreakerState, after: BreakerState, now: float) -> None:
        if before is not BreakerState.CLOSED and after is BreakerState.CLOSED:
            self._set_maint(now)  # MaintenanceThread.wake_on_recovery: reconcile without delay
            # UploaderThread.wake_on_recovery: the outage's backoffs are void, upload now.
            uploader = self._uploader
            if isinstance(uploader, Uploader) and uploader.release_holds(self._scenario.start_epoch + now):
                self._wake(now)

    def _set_maint(self, t: float) -> None:
        if self.maint_at is None or t < self.maint_at:
            self.maint_at = t
            self._schedule(t, self.index, MAINTENANCE)

    def _wake(self, t: float) -> None:
        self._set_upload(max(t, self._busy_until))

    def _reschedule(self, now: float) -> None:
        """Schedule the first idle poll at which the round can do something."""
        if self.pending <= 0:
            return
        earliest = now
        if isinstance(self._uploader, Uploader):
            ripe = self._uploader.ripe_at(self._scenario.start_epoch + now)
            if ripe is not None:
                earliest = max(earliest, ripe - self._scenario.start_epoch)
            if self.breaker.state is not BreakerState.CLOSED:
                wait = self.breaker.snapshot().next_probe_in_s or 0.0
                earliest = max(earliest, self.verdict_clock.monotonic() + wait)
        interval = self._policy.upload_interval_s
        polls = max(1, math.ceil((earliest - self._anchor) / interval - 1e-9))
        self._set_upload(self._anchor + polls * interval)

    def _set_upload(self, t: float) -> None:
        if self.upload_at is None or t < self.upload_at:
            self.upload_at = t
            self._schedule(t, self.index, UPLOAD)


_SOURCES: dict[str, type[ModelMaintenanceSource]] = {
    "full": ModelMaintenanceSource,
    "kids": KidComparingMaintenanceSource,
    "conditional": ConditionalMaintenanceSource,
}
