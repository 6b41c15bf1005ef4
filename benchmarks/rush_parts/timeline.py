"""The rush played on a virtual timeline: the machine's parts measured, the people's added.

Two actors share one door: visitors step up one at a time and show a pass (or, with
none, go to staff), and one member of staff answers the staff checks and the visitors
with no pass in order of arrival, each after a human delay. A visitor whose verdict is
a staff check steps aside and the next one steps up, as long as fewer than
`AWAITING_MAX` people already wait for staff (the strip lists that many).

Everything the kiosk does is real and measured in real time: the pass shown (to the
webcam, or the wedge scanner's first key) until the verdict is painted (capture or
typing, decode, verify against the simulator, commit, paint), and a tap until the
answer is in the data file (PIN check included). A pass not answered within
`PATIENCE_S` is shown again where its source can do better (a hard screen tilted into
a clean one); a scanner mode notice costs the visitor staff's delay to set the scanner
right, then the pass is scanned again.
The human parts (a visitor stepping up, staff deciding, typing the PIN) are not slept:
they are added to the virtual clock, so 200 visitors play in a few minutes and every
figure is in real-time units. The window's own timers (a verdict clearing after
`verdict_seconds`, the staff unlock's idle limit) run on the real clock, so in the run a
verdict stays up longer, measured against the people, than at a real door; staff then
answer more often on the verdict itself than from the strip (one tap either way).
"""

from __future__ import annotations

import random
import tempfile
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk.clock import SystemClock
from kiosk.config import parse_config
from kiosk.context import Context
from kiosk.decision import Verdict, VerifiedBy
from kiosk.demo.stage import Stage
from kiosk.owner.account import OwnerAccount
from kiosk.owner.staff_pin import StaffPin
from kiosk.paths import database_path
from kiosk.simulator.server import Simulator
from kiosk.store.database import Database
from kiosk.store.opening import open_database
from kiosk.store.trust_store import TrustStore
from kiosk.store.visits import VisitRecord, get_visit, list_visits
from kiosk.ui.app import KioskApp

from .sources import CameraSource, Door, PassSource
from .staff import PIN_KEY_S, Staff, pump_until
from .upstream import issue_pass, set_faults
from .visitors import Kind, Visitor, make_visitors

AWAITING_MAX = 3
OWNER_PIN = "480317"
STAFF_PIN = "4826"
VERDICT_TIMEOUT_S = 20.0  # real; a pass not answered by then is a dropped scan
PATIENCE_S = 4.0  # real; a pass not answered by then is shown again, if its source can do better
STORE_TIMEOUT_S = 10.0
HANG = {"hang": True, "max_hang_s": 60.0}


@dataclass(frozen=True, slots=True)
class Figures:
    visitors: int
    visitors_per_minute: float
    p50_s: float
    p99_s: float
    checks_lost: int
    taps_per_visitor: float
    notices: int = 0  # scanner mode notices: staff asked to set the scanner right, no verdict
    second_tries: int = 0  # passes shown again, not answered within PATIENCE_S the first time
    real_s: float = field(default=0.0, compare=False)  # how long the run took on the machine

    def as_json(self, *, by_source: bool = False) -> dict[str, float | int]:
        """The contract's keys; with `by_source`, the counts that only some sources have too."""
        figures = asdict(self)
        del figures["real_s"]
        if not by_source:
            del figures["notices"], figures["second_tries"]
        return figures


@dataclass(frozen=True, slots=True)
class _Task:
    """A visitor waiting for staff: a check on screen (`visit_id`) or one with no pass."""

    visitor: Visitor
    ready_at: float  # virtual time staff can see it from
    visit_id: str | None = None
    who: str = ""  # how the check's label names the visitor


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))] if ordered else 0.0


def measure(
    count: int, seed: int, *, outage: bool, sources: Sequence[PassSource] = (CameraSource(),)
) -> Figures:
    """One run: `count` visitors of the seeded mix, upstream hanging (`outage`) or healthy."""
    QApplication.instance() or QApplication([])
    started = time.perf_counter()
    with Simulator() as sim, tempfile.TemporaryDirectory() as tmp:
        visitors = make_visitors(count, random.Random(seed), lambda kind, i: issue_pass(sim, kind, i))
        kiosk, door = _open_kiosk(sim.url, Path(tmp))
        db = open_database(kiosk.ctx.db_path)
        try:
            if outage:
                set_faults(sim.url, HANG)
            figures = Rush(kiosk, door, db, sources).run(visitors)
        finally:
            set_faults(sim.url, {})
            kiosk.shutdown()
            db.close()
    real = time.perf_counter() - started
    return replace(figures, real_s=real)


def _open_kiosk(url: str, folder: Path) -> tuple[KioskApp, Door]:
    """An installed kiosk (owner and staff PIN set) on the virtual webcam, its trust list fetched."""
    config = parse_config(f'[upstream]\nurl = "{url}"\napi_key = "demo-key"\n')
    ctx = Context(config, folder, database_path(folder))
    OwnerAccount(ctx.db(), SystemClock()).set_up(OWNER_PIN)
    StaffPin(ctx.db(), SystemClock()).set_pin(STAFF_PIN)
    stage = Stage()
    kiosk = KioskApp(ctx, camera=stage.open)
    kiosk.start()
    trust = TrustStore(kiosk.db)
    ready = pump_until(
        lambda: True if trust.last_updated() is not None and kiosk.camera.frames_decoded else None, 30.0
    )
    if ready is None:
        kiosk.shutdown()
        raise RuntimeError("the kiosk did not fetch its trust list or open its camera within 30 s")
    return kiosk, Door(stage, kiosk.window)


class Rush:
    def __init__(self, kiosk: KioskApp, door: Door, db: Database, sources: Sequence[PassSource]) -> None:
        self._door = door
        self._db = db
        self._sources = sources
        self._staff = Staff(kiosk.window, STAFF_PIN)
        self._painted: list[tuple[str, float]] = []  # (visit id, real time of the first paint)
        self._known: set[str] = set()  # visits already matched to a visitor
        self._notices: list[str] = []
        kiosk.window.verdict.painted.connect(self._on_painted)
        kiosk.window.wedge_notice.connect(self._notices.append)
        self.dropped = 0  # passes the window never answered
        self.unlogged = 0  # visitors with no pass whose staff answer never reached the data file
        self.second_tries = 0
        self.notices = 0

    def _on_painted(self, visit_id: str) -> None:
        self._painted.append((visit_id, time.perf_counter()))

    def _noticed(self, mark: int) -> bool | None:
        return True if len(self._notices) > mark else None

    def run(self, visitors: Sequence[Visitor]) -> Figures:
        shown: dict[int, float] = {}
        final: dict[int, float] = {}
        waiting: deque[_Task] = deque()
        door_free = staff_free = 0.0
        queue = deque(visitors)
        while queue or waiting:
            door_at = door_free + queue[0].step_up_s if queue and len(waiting) < AWAITING_MAX else None
            staff_at = None
            if waiting:  # staff turn to the oldest waiting visitor once free, and take their time
                staff_at = max(staff_free, waiting[0].ready_at) + waiting[0].visitor.staff_delay_s
            if door_at is not None and (staff_at is None or door_at <= staff_at):
                visitor = queue.popleft()
                shown[visitor.index] = door_at
                door_free, task, answered = self._at_door(visitor, door_at)
                if task is not None:
                    waiting.append(task)
                if answered is not None:
                    final[visitor.index] = answered
            elif staff_at is not None:
                blocked = len(waiting) >= AWAITING_MAX
                task = waiting.popleft()
                done = self._answer(task, staff_at)
                staff_free = done if done is not None else staff_at
                if done is not None:
                    final[task.visitor.index] = done
                if blocked:
                    door_free = max(door_free, staff_free)  # a place to wait came free
        return self._figures(visitors, shown, final)

    def _at_door(self, visitor: Visitor, at: float) -> tuple[float, _Task | None, float | None]:
        """The visitor shows the pass: (when the door is free again, the staff task if the verdict
        is a staff check, the time of the final verdict if it is not)."""
        if visitor.kind is Kind.NO_PASS:
            return at, _Task(visitor, at), None  # straight to staff
        source = self._sources[visitor.index % len(self._sources)]
        mark, notices = len(self._painted), len(self._notices)
        shown = source.present(visitor, self._door)
        first = pump_until(lambda: self._verdict_for(visitor, mark) or self._noticed(notices), PATIENCE_S)
        human = 0.0
        if first is True:  # a scanner mode notice: staff set the scanner right, the visitor scans again
            self.notices += 1
            human = visitor.staff_delay_s
            source.second_try(visitor, self._door)
        elif first is None and source.second_try(visitor, self._door):
            self.second_tries += 1
        left = VERDICT_TIMEOUT_S - (time.perf_counter() - shown)
        seen = first if isinstance(first, tuple) else None
        if seen is None:
            seen = pump_until(lambda: self._verdict_for(visitor, mark), left)
        source.withdraw(self._door)
        if seen is None:
            self.dropped += 1
            return at + human + (time.perf_counter() - shown), None, None
        painted, record = seen
        done = at + human + (painted - shown)
        if record.decision is Verdict.MANUAL:
            who = record.holder_masked or "…" + record.pass_hash[-4:]
            return done, _Task(visitor, done, record.id, who), None
        return done, None, done

    def _verdict_for(self, visitor: Visitor, mark: int) -> tuple[float, VisitRecord] | None:
        for visit_id, painted in self._painted[mark:]:
            record = get_visit(self._db, visit_id) if visit_id else None
            if record is not None and record.pass_hash == visitor.digest:
                self._known.add(record.id)
                return painted, record
        return None

    def _answer(self, task: _Task, at: float) -> float | None:
        """Staff answer by taps; the virtual time the answer is in the data file, None if never."""
        keys = self._staff.pin_keys
        started = time.perf_counter()
        admit = task.visitor.admit
        if task.visit_id is not None:
            visit_id = task.visit_id
            tapped = self._staff.answer_check(task.who, admit)
            stored = tapped and pump_until(lambda: self._answered(visit_id), STORE_TIMEOUT_S) is not None
        else:
            since = time.time() - 5.0
            tapped = self._staff.log_no_pass(admit)
            stored = tapped and pump_until(lambda: self._logged(since), STORE_TIMEOUT_S) is not None
            self.unlogged += not stored
        if not stored:
            return None
        typing = (self._staff.pin_keys - keys) * PIN_KEY_S
        return at + typing + (time.perf_counter() - started)

    def _answered(self, visit_id: str) -> bool | None:
        record = get_visit(self._db, visit_id)
        return True if record is not None and record.verified_by is VerifiedBy.STAFF else None

    def _logged(self, since: float) -> bool | None:
        for record in list_visits(self._db, since=since):
            if record.id not in self._known and record.verified_by is VerifiedBy.STAFF:
                self._known.add(record.id)
                return True
        return None

    def _figures(
        self, visitors: Sequence[Visitor], shown: dict[int, float], final: dict[int, float]
    ) -> Figures:
        unanswered = sum(r.decision is Verdict.MANUAL for r in list_visits(self._db))
        latencies = [final[i] - shown[i] for i in final]
        span = max(final.values(), default=0.0) - min(shown.values(), default=0.0)
        return Figures(
            visitors=len(visitors),
            visitors_per_minute=round(60.0 * len(final) / span, 1) if span > 0 else 0.0,
            p50_s=round(percentile(latencies, 0.50), 2),
            p99_s=round(percentile(latencies, 0.99), 2),
            checks_lost=unanswered + self.unlogged + self.dropped,
            taps_per_visitor=round(self._staff.taps / len(visitors), 2) if visitors else 0.0,
            notices=self.notices,
            second_tries=self.second_tries,
        )
