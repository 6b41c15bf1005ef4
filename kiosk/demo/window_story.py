"""The lunch-hour story in the real window: the same visitors as the terminal demo, shown to a camera.

Paced for a person watching (`pace_s` per scene): online verdicts, an outage (upstream
hangs) with offline verdicts and a manual log, recovery with the backlog draining and
reconciliation flagging the revoked offline admission, then the camera unplugged and
back, and the owner's PIN pad. It prints what happens as the terminal demo does, and
ends by itself. With a screenshot folder it also photographs each scene.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from kiosk.decision import Health, Verdict, VerifiedBy
from kiosk.demo import scenes
from kiosk.demo.pictures import Medium
from kiosk.demo.session import DEMO_KEY, DEMO_PIN, DemoWindow, run_directed
from kiosk.demo.stage import Stage
from kiosk.demo.story import LUNCH_ONLINE, OUTAGE, RECOVERY, Visitor, reconciliation_line
from kiosk.simulator.faults import Faults
from kiosk.simulator.server import Simulator
from kiosk.store.outbox import pending_count
from kiosk.store.visits import list_visits
from kiosk.ui.model import Shown
from kiosk.upstream.reconcile import reconcile_offline_visits


@dataclass
class WindowFigures:
    scans: int = 0
    by_source: dict[str, int] = field(default_factory=dict)
    manual_logged: int = 0
    backlog_peak: int = 0
    drain_s: float | None = None
    local_visits: int = 0
    stored_upstream: int = 0
    lost: int = 0
    reconciliation: str = ""
    shots: list[Path] = field(default_factory=list)
    error: str | None = None


def _medium(visitor: Visitor, index: int) -> tuple[Medium, str]:
    """Tokens live in a phone app; certificates come on phones and, now and then, on paper."""
    if visitor.label == "check-in token":
        return Medium.PHONE, "CHECK-IN"
    if visitor.label == "menu QR code":
        return Medium.PAPER, "MENU"
    return (Medium.PAPER, "CERTIFICATE") if index % 3 == 2 else (Medium.PHONE, "EU DCC")


def _degraded(win: DemoWindow) -> bool:
    state = win.watch.state
    return state is not None and state.status is not None and state.status.health is Health.DEGRADED


class WindowStory:
    def __init__(
        self,
        data_dir: Path,
        out: TextIO,
        *,
        pace_s: float = 3.0,
        language: str = "ko",
        screenshots: Path | None = None,
        size: tuple[int, int] | None = None,
    ) -> None:
        self._data_dir = data_dir
        self._size = size
        self._out = out
        self._pace_s = pace_s
        self._language = language
        self._shots = screenshots
        self._visit_ids: list[str] = []
        self._shot_no = 0
        self.figures = WindowFigures()

    def say(self, text: str = "") -> None:
        print(text, file=self._out, flush=True)

    def run(self, qt: Any) -> WindowFigures:
        self._since = time.time()  # this run's visits (the window's clock is the system's)
        with Simulator(api_keys=[DEMO_KEY]) as sim:
            stage = Stage()
            # A verdict stays up a little longer than one scene, so the next visitor replaces it.
            verdict_s = self._pace_s + 2
            win = DemoWindow(
                sim, self._data_dir, stage, language=self._language, verdict_s=verdict_s, size=self._size
            )
            self.say(f"Venue Pass Kiosk demo (window) — upstream simulator at {sim.url}")
            self.say(f"data folder: {self._data_dir}")
            self.say(f"trust list synced from upstream: {win.trust_stored} signer certificates")
            if win.owner_created:
                self.say(f"owner PIN for this demo: {DEMO_PIN} (set up now; the PIN pad asks for it)")
            error = run_directed(qt, win, self._direct)
        if error is not None:
            self.figures.error = str(error)
            self.say(f"the demo stopped early: {error}")
        return self.figures

    # --- the story (director thread) ----------------------------------------------------

    def _direct(self, win: DemoWindow) -> None:
        pause = win.watch.pause
        pause(self._pace_s)
        self._shoot(win, "idle")
        self._header("11:50  lunch starts — upstream healthy")
        for i, visitor in enumerate(LUNCH_ONLINE):
            self._visit(win, visitor, i)

        self._header("12:10  upstream outage — the service hangs (every request, no answer)")
        win.sim.set_faults(Faults(hang=True, max_hang_s=10.0))
        offline_admitted: list[str] = []
        for i, visitor in enumerate(OUTAGE):
            shown, uci = self._visit(win, visitor, i, leave=False)
            if shown.verdict is Verdict.MANUAL and shown.visit_id:
                self._shoot(win, "check", once=True)
                scenes.step_away(win)
                scenes.open_manual_log(win, shown.visit_id)
                self._shoot(win, "manual-log", once=True)
                pause(self._pace_s)
                scenes.staff_admit(win, shown.visit_id)
                self.figures.manual_logged += 1
                self.say("         └ staff checked the token on the phone by eye: admitted, visit logged")
            elif shown.verdict is Verdict.ADMIT and shown.verified_by is VerifiedBy.OFFLINE and uci:
                offline_admitted.append(uci)
            pause(self._pace_s)
            scenes.step_away(win)
            if shown.verified_by is VerifiedBy.OFFLINE and _degraded(win) and not self._shot("degraded"):
                scenes.wait_idle(win, self._pace_s + 10)  # the preview under a DEGRADED bar
                self._shoot(win, "degraded", once=True)
        self.figures.backlog_peak = pending_count(win.db)
        self.say(f"         backlog while upstream is down: {self.figures.backlog_peak} visits waiting")
        if offline_admitted:
            win.sim.state.revoke(offline_admitted[0])
            self.say(
                "         (meanwhile upstream learns that one of the passes admitted offline was revoked)"
            )

        self._header("12:40  upstream recovers")
        win.sim.set_faults(Faults())
        recovered_at = time.monotonic()
        if win.app.uploader is not None:
            win.app.uploader.wake()
        if not scenes.wait_health(win, Health.ONLINE, 15):
            self.say("         (upstream still being probed)")
        for i, visitor in enumerate(RECOVERY):
            self._visit(win, visitor, i)
        self._drain(win, recovered_at)
        client = win.app.client
        if client is not None:
            self.figures.reconciliation = reconciliation_line(
                win.db, reconcile_offline_visits(win.db, client), self._since
            )
            self.say(f"         reconciliation: {self.figures.reconciliation}")

        self._header("12:55  the camera cable is knocked out, and plugged back")
        scenes.unplug_camera(win)
        self._shoot(win, "no-camera")
        pause(self._pace_s)
        scenes.plug_camera(win)
        self.say("         camera back; scanning resumes")

        self._header("13:00  the owner long-presses the corner: the PIN pad asks first")
        scenes.ask_pin(win)
        self._shoot(win, "pin")
        pause(self._pace_s)
        scenes.close_panel(win)
        self._count(win)

    def _visit(
        self, win: DemoWindow, visitor: Visitor, index: int, *, leave: bool = True
    ) -> tuple[Shown, str | None]:
        win.watch.pause(self._pace_s / 3)  # the next visitor steps up
        text, uci = visitor.make_pass(win.sim)
        medium, label = _medium(visitor, index)
        started = time.perf_counter()
        shown = scenes.present(win, text, medium, label)
        ms = (time.perf_counter() - started) * 1000
        f = self.figures
        f.scans += 1
        f.by_source[str(shown.verified_by)] = f.by_source.get(str(shown.verified_by), 0) + 1
        if shown.visit_id:
            self._visit_ids.append(shown.visit_id)
        state = win.watch.state
        health = state.status.health if state is not None and state.status is not None else "?"
        reason = str(shown.reason) if shown.reason is not None else "-"
        self.say(
            f"  {visitor.label:<24} {shown.verdict.upper():<6} {reason:<24} {shown.verified_by:<8} "
            f"{shown.holder_masked or '':<14} {ms:6.0f} ms on screen  [{health}]"
        )
        self._shoot_verdict(win, shown)
        if leave:
            win.watch.pause(self._pace_s)
            scenes.step_away(win)
        return shown, uci

    def _drain(self, win: DemoWindow, recovered_at: float) -> None:
        deadline = recovered_at + 60
        while pending_count(win.db) and time.monotonic() < deadline:
            if win.app.uploader is not None:
                win.app.uploader.wake()
            win.watch.pause(0.2)
        if not pending_count(win.db):
            self.figures.drain_s = time.monotonic() - recovered_at
            self.say(f"         backlog drained {self.figures.drain_s:.1f} s after recovery")
        else:
            self.say(f"         {pending_count(win.db)} visits still waiting for upstream")

    def _count(self, win: DemoWindow) -> None:
        stored = {v["id"] for v in win.sim.state.stored_visits()}
        mine = set(self._visit_ids)
        local = {v.id for v in list_visits(win.db)} & mine
        f = self.figures
        f.local_visits, f.stored_upstream, f.lost = len(local), len(stored & mine), len(local - stored)
        self.say()
        self.say("Figures")
        self.say(f"  scans                        {f.scans}, verified by {dict(sorted(f.by_source.items()))}")
        self.say(f"  logged by staff              {f.manual_logged}")
        self.say(f"  visits logged / upstream     {f.local_visits} / {f.stored_upstream}; lost {f.lost}")
        if f.shots:
            self.say(f"  screenshots                  {len(f.shots)} in {f.shots[0].parent}")

    def _header(self, text: str) -> None:
        self.say()
        self.say(text)

    # --- screenshots from inside the window (optional) -------------------------------------

    def _shoot_verdict(self, win: DemoWindow, shown: Shown) -> None:
        if shown.verdict is Verdict.ADMIT and shown.verified_by is VerifiedBy.ONLINE:
            self._shoot(win, "admit-online", once=True)
        elif shown.verdict is Verdict.DENY and shown.verified_by is not VerifiedBy.STAFF:
            self._shoot(win, "deny", once=True)
        elif shown.verdict is Verdict.ADMIT and shown.verified_by is VerifiedBy.OFFLINE and _degraded(win):
            self._shoot(win, "admit-offline", once=True)

    def _shot(self, name: str) -> bool:
        return any(p.stem.endswith(name) for p in self.figures.shots)

    def _shoot(self, win: DemoWindow, name: str, *, once: bool = False) -> None:
        if self._shots is None:
            return
        if once and self._shot(name):
            return
        scenes.fresh_status(win)
        self._shot_no += 1
        path = self._shots / f"{self._language}-window-{self._shot_no:02d}-{name}.png"
        self.figures.shots.append(win.grab(path))
