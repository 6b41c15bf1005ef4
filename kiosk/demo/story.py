"""The lunch-hour story, played through the real kiosk parts against the reference simulator.

Online verdicts, then an outage (upstream hangs) with offline verdicts and manual-log
decisions, then recovery with the backlog draining and offline admissions re-checked.
Everything is real: HTTP over 127.0.0.1, the SQLite store, QR images decoded by the
kiosk's decoder. Only the visitors' phones are the simulator's.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from kiosk.clock import SystemClock
from kiosk.config import parse_config
from kiosk.context import Context
from kiosk.decision import Health, Verdict
from kiosk.demo.camera import VirtualCamera
from kiosk.paths import database_path
from kiosk.simulator.faults import Faults
from kiosk.simulator.server import Simulator
from kiosk.store.database import Database
from kiosk.store.health_log import record_health
from kiosk.store.manual import resolve_manual
from kiosk.store.outbox import pending_count
from kiosk.store.reconciliation import reconciliation_issues
from kiosk.store.trust_store import TrustStore
from kiosk.store.visits import list_visits
from kiosk.upstream.reconcile import ReconcileReport, reconcile_offline_visits
from kiosk.upstream.trust_sync import sync_trust_list
from kiosk.upstream.uploader import Uploader, UploaderSettings, UploaderThread
from kiosk.verify.engine import Evaluation, VerificationEngine
from kiosk.wiring import build_engine, build_online

DEMO_KEY = "demo-key"

# Quick probes and uploads so the story recovers in seconds; everything else is the
# shipped default. The window demo adds its [ui] section.
DEMO_CONFIG = """
[kiosk]
id = "demo-kiosk"
venue_name = "Demo Café"
language = "{language}"
[upstream]
url = "{url}"
api_key = "{key}"
probe_base_s = 0.5
probe_max_s = 2.0
[trust]
# The simulator's list key, pinned as an installer pins the real upstream's.
signing_key = "{signing_key}"
[uploader]
max_requests_per_s = 5.0
backoff_base_s = 0.5
backoff_max_s = 2.0
interval_s = 2.0
# The demo compresses a lunch hour into minutes, and the upload gathering with it.
gather_s = 1.0
"""


def reconciliation_line(db: Database, report: ReconcileReport, since: float) -> str:
    """This run's finding (visits scanned since `since`), and the data folder's total when
    earlier runs left some: the demo keeps its visits in the owner's data folder, where a
    second run reported "2 visits" for its one revoked pass."""
    n = len(reconciliation_issues(db, since))
    line = f"{n} {'visit' if n == 1 else 'visits'} admitted offline in this run "
    line += f"{'was' if n == 1 else 'were'} later reported revoked/invalid"
    if report.issues_total != n:
        line += f" ({report.issues_total} in this data folder so far)"
    return line


@dataclass(frozen=True)
class Visitor:
    label: str  # what the visitor shows, for the narration (no personal data beyond the demo's)
    make_pass: Callable[[Simulator], tuple[str, str | None]]  # -> (QR text, UCI or None)


def _dcc(
    kind: str, family: str, given: str, **extra: object
) -> Callable[[Simulator], tuple[str, str | None]]:
    def make(sim: Simulator) -> tuple[str, str | None]:
        issued = sim.state.issue_dcc({"type": kind, "family_name": family, "given_name": given, **extra})
        return issued.text, issued.uci

    return make


def _token(sim: Simulator) -> tuple[str, str | None]:
    return sim.state.issue_token().token, None


def _plain(text: str) -> Callable[[Simulator], tuple[str, str | None]]:
    return lambda sim: (text, None)


LUNCH_ONLINE = [
    Visitor("vaccination pass", _dcc("v", "홍", "길동", days_ago=60)),
    Visitor("check-in token", _token),
    Visitor("PCR test pass", _dcc("t", "Müller", "Anna", hours_ago=20, test_type="naa")),
    Visitor("menu QR code", _plain("https://demo-cafe.example/menu")),
    Visitor("vaccination 5 days old", _dcc("v", "김", "민수", days_ago=5)),
    Visitor("recovery pass", _dcc("r", "Rossi", "Marco", days_ago=30)),
]
OUTAGE = [
    Visitor("vaccination pass", _dcc("v", "이", "서연", days_ago=40)),
    Visitor("check-in token", _token),
    Visitor("rapid test pass", _dcc("t", "Dubois", "Léa", hours_ago=6, test_type="rat")),
    Visitor("vaccination pass", _dcc("v", "박", "지훈", days_ago=100)),
    Visitor("check-in token", _token),
    Visitor("vaccination pass", _dcc("v", "Smith", "John", days_ago=200)),
    Visitor("expired test pass", _dcc("t", "최", "유나", hours_ago=80, test_type="naa")),
    Visitor("check-in token", _token),
    Visitor("vaccination pass", _dcc("v", "정", "하늘", days_ago=20)),
]
RECOVERY = [
    Visitor("vaccination pass", _dcc("v", "강", "다은", days_ago=90)),
    Visitor("check-in token", _token),
    Visitor("PCR test pass", _dcc("t", "García", "Lucía", hours_ago=30, test_type="naa")),
]


@dataclass
class Figures:
    scans: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    by_verdict: dict[str, int] = field(default_factory=dict)
    by_source: dict[str, int] = field(default_factory=dict)
    online_calls: int = 0
    online_calls_during_outage: int = 0
    outage_scans: int = 0
    backlog_peak: int = 0
    drain_s: float | None = None
    lost: int = 0
    duplicates: int = 0
    stored_upstream: int = 0
    local_visits: int = 0
    reconciliation: str = ""
    budget_ms: float = 1000.0

    def within_budget(self) -> float:
        if not self.latencies_ms:
            return 1.0
        return sum(ms <= self.budget_ms for ms in self.latencies_ms) / len(self.latencies_ms)


class LunchHourDemo:
    def __init__(self, data_dir: Path, out: TextIO, *, pace_s: float = 0.15) -> None:
        self._data_dir = data_dir
        self._out = out
        self._pace_s = pace_s
        self._clock = SystemClock()
        self._rng = random.Random()
        self._camera = VirtualCamera()
        self.figures = Figures()
        self._visit_ids: list[str] = []
        self._phase = ""

    def say(self, text: str = "") -> None:
        print(text, file=self._out, flush=True)

    def run(self) -> Figures:
        with Simulator(api_keys=[DEMO_KEY]) as sim:
            return self._play(sim)

    # --- the story ------------------------------------------------------------------------

    def _play(self, sim: Simulator) -> Figures:
        text = DEMO_CONFIG.format(
            url=sim.url, key=DEMO_KEY, language="ko", signing_key=sim.state.list_signing_key
        )
        config = parse_config(text, source="demo settings")
        ctx = Context(config=config, data_dir=self._data_dir, db_path=database_path(self._data_dir))
        db = ctx.db()
        since = self._clock.now()  # this run's visits, in a data folder earlier runs may share
        try:
            client, breaker = build_online(ctx, clock=self._clock, rng=self._rng)
            breaker.on_transition.append(lambda old, new, cause, at: record_health(db, at, str(new), cause))
            breaker.on_transition.append(self._narrate_transition)
            self.figures.budget_ms = config.verify.budget_ms

            self.say(f"Venue Pass Kiosk demo — upstream simulator at {sim.url}")
            self.say(f"data folder: {self._data_dir}")
            trust = TrustStore(db)
            report = sync_trust_list(client, trust, self._clock)
            self.say(f"trust list synced from upstream: {report.stored} signer certificates")

            engine = build_engine(ctx, clock=self._clock, rng=self._rng, online_parts=(client, breaker))
            settings = UploaderSettings.from_config(config.uploader)
            uploader = UploaderThread(
                Uploader(db, client, self._clock, self._rng, settings, breaker=breaker), self._clock
            )
            uploader.start()
            try:
                self._story(sim, engine, uploader, db)
            finally:
                uploader.stop()
            self.figures.reconciliation = reconciliation_line(db, reconcile_offline_visits(db, client), since)
            client.close()
            self._count_records(sim, db)
        finally:
            ctx.close()
        self._print_figures()
        return self.figures

    def _story(self, sim: Simulator, engine: VerificationEngine, uploader: UploaderThread, db) -> None:  # type: ignore[no-untyped-def]
        self._header("11:50  lunch starts — upstream healthy")
        for v in LUNCH_ONLINE:
            self._scan(sim, engine, uploader, db, v)

        self._header("12:10  upstream outage — the service hangs (every request, no answer)")
        sim.set_faults(Faults(hang=True, max_hang_s=10.0))
        offline_admitted_uci: list[str] = []
        for v in OUTAGE:
            ev, uci = self._scan(sim, engine, uploader, db, v, outage=True)
            if ev and ev.decision.verdict is Verdict.MANUAL and ev.decision.visit_id:
                resolve_manual(db, ev.decision.visit_id, admitted=True, at=self._clock.now())
                self.say("         └ staff checked the token on the phone by eye: admitted, visit logged")
            if ev and ev.decision.verdict is Verdict.ADMIT and uci:
                offline_admitted_uci.append(uci)
        if offline_admitted_uci:
            sim.state.revoke(offline_admitted_uci[0])
            self.say(
                "         (meanwhile upstream learns that one of the passes admitted offline was revoked)"
            )
        self.figures.backlog_peak = max(self.figures.backlog_peak, pending_count(db))

        self._header("12:40  upstream recovers")
        self.say(
            "         (for its first minutes back, signed passes keep their offline verdict: "
            "upstream gets the tokens first)"
        )
        sim.set_faults(Faults())
        recovered_at = time.monotonic()
        uploader.wake()
        for v in RECOVERY:
            self._wait_for_probe(engine)
            self._scan(sim, engine, uploader, db, v)
        deadline = recovered_at + 60
        while pending_count(db) and time.monotonic() < deadline:
            uploader.wake()
            time.sleep(0.05)
        if not pending_count(db):
            self.figures.drain_s = time.monotonic() - recovered_at
            self.say(
                f"         backlog drained: {self.figures.backlog_peak} queued visits uploaded "
                f"{self.figures.drain_s:.1f} s after recovery"
            )

    def _wait_for_probe(self, engine: VerificationEngine) -> None:
        """Visitors keep coming; give the half-open probe its moment (at most a few seconds)."""
        deadline = time.monotonic() + 5
        while engine.health is not Health.ONLINE and time.monotonic() < deadline:
            time.sleep(0.1)

    def _scan(  # type: ignore[no-untyped-def]
        self,
        sim: Simulator,
        engine: VerificationEngine,
        uploader: UploaderThread,
        db,
        visitor: Visitor,
        *,
        outage: bool = False,
    ) -> tuple[Evaluation | None, str | None]:
        time.sleep(self._pace_s)
        qr_text, uci = visitor.make_pass(sim)
        text = self._camera.scan(qr_text)
        if text is None:
            self.say(f"  {visitor.label:<24} camera could not read the code — visitor asked to hold still")
            return None, uci
        started = time.perf_counter()
        ev = engine.verify(text)
        ms = (time.perf_counter() - started) * 1000
        uploader.wake()
        d = ev.decision
        f = self.figures
        f.scans += 1
        f.latencies_ms.append(ms)
        f.by_verdict[str(d.verdict)] = f.by_verdict.get(str(d.verdict), 0) + 1
        f.by_source[str(d.verified_by)] = f.by_source.get(str(d.verified_by), 0) + 1
        f.online_calls += ev.online_attempted
        if outage:
            f.outage_scans += 1
            f.online_calls_during_outage += ev.online_attempted
        if d.visit_id:
            self._visit_ids.append(d.visit_id)
        backlog = pending_count(db)
        f.backlog_peak = max(f.backlog_peak, backlog)
        who = d.holder_masked or ""
        self.say(
            f"  {visitor.label:<24} {d.verdict.upper():<6} {d.reason:<24} {d.verified_by:<8} "
            f"{who:<14} {ms:6.0f} ms  [{d.health}, backlog {backlog}]"
        )
        return ev, uci

    def _count_records(self, sim: Simulator, db) -> None:  # type: ignore[no-untyped-def]
        stored = {v["id"] for v in sim.state.stored_visits()}
        mine = set(self._visit_ids)
        local = {v.id for v in list_visits(db)} & mine
        f = self.figures
        f.local_visits = len(local)
        f.stored_upstream = len(stored & mine)
        f.lost = len(local - stored)
        counters = sim.state.counters()
        f.duplicates = counters.stored - len(stored)  # ids stored more than once (the store is keyed by id)

    # --- narration --------------------------------------------------------------------------

    def _header(self, text: str) -> None:
        self._phase = text
        self.say()
        self.say(text)

    def _narrate_transition(self, old: Health, new: Health, cause: str | None, at: float) -> None:
        why = f" ({cause})" if cause else ""
        self.say(f"         ⚑ upstream health: {old} → {new}{why}")

    def _print_figures(self) -> None:
        f = self.figures
        lat = sorted(f.latencies_ms)
        p50 = statistics.median(lat) if lat else 0.0
        p99 = lat[min(len(lat) - 1, round(0.99 * (len(lat) - 1)))] if lat else 0.0
        self.say()
        self.say("Figures")
        self.say(f"  scans                        {f.scans}  {dict(sorted(f.by_verdict.items()))}")
        self.say(f"  verified by                  {dict(sorted(f.by_source.items()))}")
        self.say(
            f"  decision time (decode→shown) p50 {p50:.0f} ms, p99 {p99:.0f} ms, "
            f"max {max(lat, default=0):.0f} ms"
        )
        self.say(f"  within the {f.budget_ms:.0f} ms budget       {f.within_budget() * 100:.1f} %")
        self.say(
            f"  upstream verify calls        {f.online_calls} for {f.scans} scans; during the outage "
            f"{f.online_calls_during_outage} for {f.outage_scans} scans (the breaker stopped the rest)"
        )
        drained = f"{f.drain_s:.1f} s after recovery" if f.drain_s is not None else "NOT drained"
        self.say(f"  upload backlog               peak {f.backlog_peak}, drained {drained}")
        self.say(
            f"  visits logged / upstream     {f.local_visits} / {f.stored_upstream}; lost {f.lost}, "
            f"duplicates {f.duplicates}"
        )
        self.say(f"  reconciliation               {f.reconciliation}")
