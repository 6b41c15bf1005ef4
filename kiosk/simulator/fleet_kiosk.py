"""One simulated kiosk: the app's real engine, breaker, recorder and uploader on virtual clocks.

A kiosk has two ManualClocks, both counting virtual seconds from the scenario start:
one for the verdict path (engine, breaker, recorder) and one for the uploader, which
runs in its own thread in the app, so a slow upload must not delay the next scan.
The shared breaker reads the verdict clock; it therefore learns an upload's outcome
at the time the upload started (at most the 5 s upload timeout early), which is the
one approximation of this design.

The uploader is driven like `UploaderThread`: a round after `wake()` (a new visit) or
after `poll_interval_s` of idling; polls that cannot do anything (nothing due, breaker
closed to it) are skipped, which changes no outcome and saves most of the work.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.clock import ManualClock
from kiosk.config import RulesConfig
from kiosk.passes.model import DccCheck
from kiosk.simulator.fleet_clients import (
    ModelBatchClient,
    ModelChecker,
    NaiveChecker,
    NaiveUploader,
    NeverOpenBreaker,
)
from kiosk.simulator.fleet_scenario import PassPool, Scenario
from kiosk.simulator.fleet_upstream import UpstreamModel
from kiosk.store import outbox
from kiosk.store.database import Database
from kiosk.store.recorder import StoreRecorder
from kiosk.upstream.uploader import StopReason, Uploader, UploaderSettings
from kiosk.verify.breaker import BreakerSettings, BreakerState, CircuitBreaker
from kiosk.verify.decision import Decision, VerifiedBy
from kiosk.verify.engine import EngineSettings, VerificationEngine


@dataclass(frozen=True, slots=True)
class Policy:
    name: str
    naive: bool = False
    upload_interval_s: float = UploaderSettings().poll_interval_s  # the uploader thread's poll (app default)
    wake_on_visit: bool = False  # True: the uploader thread is woken after every recorded visit
    breaker: BreakerSettings = field(default_factory=BreakerSettings)
    uploader: UploaderSettings = field(default_factory=UploaderSettings)
    budget_s: float = 1.0
    # Offline check plus the fsynced commit on kiosk hardware: virtual time per scan.
    local_work_s: float = 0.01

    def __post_init__(self) -> None:
        if self.upload_interval_s <= 0 or self.local_work_s < 0:
            raise ValueError("upload_interval_s must be > 0 and local_work_s >= 0")


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    elapsed_s: float
    verified_by: VerifiedBy
    online_attempted: bool


class _TimedRecorder:
    """The real StoreRecorder, plus the local work's duration on the kiosk's clock."""

    def __init__(self, inner: StoreRecorder, clock: ManualClock, work_s: float) -> None:
        self._inner = inner
        self._clock = clock
        self._work_s = work_s

    def record(
        self, text: str, decision: Decision, dcc: DccCheck | None, scanned_at: float, *, wait_s: float | None
    ) -> str:
        self._clock.advance(self._work_s)
        return self._inner.record(text, decision, dcc, scanned_at, wait_s=wait_s)


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
        db: Database,
        schedule: Callable[[float, int], None],
    ) -> None:
        self.index = index
        self.kiosk_id = f"kiosk-{index:04d}"
        self.db = db
        self._scenario = scenario
        self._policy = policy
        self._schedule = schedule
        self._outage = scenario.outage
        self.verdict_clock = ManualClock(scenario.start_epoch)
        self.upload_clock = ManualClock(scenario.start_epoch)
        seed = f"{scenario.seed}:{policy.name}:{index}"
        self.breaker: CircuitBreaker
        self._uploader: Uploader | NaiveUploader
        if policy.naive:
            self.breaker = NeverOpenBreaker(self.verdict_clock)
            checker: ModelChecker | NaiveChecker = NaiveChecker(model, self.kiosk_id, self.verdict_clock)
            self._uploader = NaiveUploader(
                db,
                model,
                self.kiosk_id,
                self.upload_clock,
                batch_size=policy.uploader.batch_size,
                max_batches_per_run=policy.uploader.max_batches_per_run,
                timeout_s=policy.uploader.request_timeout_s,
            )
        else:
            breaker_rng = random.Random(f"{seed}:breaker")
            self.breaker = CircuitBreaker(self.verdict_clock, breaker_rng, policy.breaker)
            checker = ModelChecker(model, self.kiosk_id, self.verdict_clock)
            self._uploader = Uploader(
                db,
                ModelBatchClient(model, self.kiosk_id, self.upload_clock),
                self.upload_clock,
                random.Random(f"{seed}:uploader"),
                policy.uploader,
                breaker=self.breaker,
            )
        recorder = StoreRecorder(
            db, kiosk_id=self.kiosk_id, clock=self.verdict_clock, rng=random.Random(f"{seed}:ids")
        )
        self._engine = VerificationEngine(
            trust=pool.trust,
            rules=RulesConfig(),
            clock=self.verdict_clock,
            settings=EngineSettings(kiosk_id=self.kiosk_id, budget_s=policy.budget_s),
            recorder=_TimedRecorder(recorder, self.verdict_clock, policy.local_work_s),
            online=checker,
            breaker=self.breaker,
        )
        self.pending = 0
        self.upload_at: float | None = None  # the scheduled round; heap entries at other times are stale
        self._anchor = 0.0  # end of the last round: the idle poll counts from here
        self._busy_until = 0.0
        self.open_in_outage = False  # the breaker was seen open (or probing) during the outage

    # --- the verdict path ---

    def scan(self, t: float, text: str) -> ScanOutcome:
        _catch_up(self.verdict_clock, t)
        before = self.breaker.state
        evaluation = self._engine.verify(text)
        self.pending += 1
        end = self.verdict_clock.monotonic()
        if t in self._outage and self.breaker.state is not BreakerState.CLOSED:
            self.open_in_outage = True
        if self._policy.wake_on_visit:
            self._wake(end)
        elif self.upload_at is None or self.breaker.state is not before:
            # The idle thread notices the new visit (or the reopened path) at its next poll.
            self._reschedule(end)
        return ScanOutcome(
            evaluation.elapsed_s, evaluation.decision.verified_by, evaluation.online_attempted
        )

    # --- the uploader thread ---

    def upload_round(self, t: float) -> int:
        """Run one `run_once` round at `t`; returns how many records were acknowledged."""
        self.upload_at = None
        _catch_up(self.upload_clock, t)
        _catch_up(self.verdict_clock, t)
        report = self._uploader.run_once(self.upload_clock.now())
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

    def _wake(self, t: float) -> None:
        self._set_upload(max(t, self._busy_until))

    def _reschedule(self, now: float) -> None:
        """Schedule the first idle poll at which the round can do something."""
        if self.pending <= 0:
            return
        earliest = now
        if not self._policy.naive:
            due = outbox.next_due_at(self.db)
            if due is not None:
                earliest = max(earliest, due - self._scenario.start_epoch)
            if self.breaker.state is not BreakerState.CLOSED:
                wait = self.breaker.snapshot().next_probe_in_s or 0.0
                earliest = max(earliest, self.verdict_clock.monotonic() + wait)
        interval = self._policy.upload_interval_s
        polls = max(1, math.ceil((earliest - self._anchor) / interval - 1e-9))
        self._set_upload(self._anchor + polls * interval)

    def _set_upload(self, t: float) -> None:
        if self.upload_at is None or t < self.upload_at:
            self.upload_at = t
            self._schedule(t, self.index)
