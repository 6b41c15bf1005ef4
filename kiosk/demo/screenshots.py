"""A PNG of every state of the window, in Korean and in English, rendered with Qt's offscreen platform.

The states are reached as at a real door: the real window on the simulator, pass
pictures in front of the virtual camera, an upstream hang, the camera unplugged,
the owner's long press. The session keeps its visits in a folder of its own that is
thrown away afterwards: the photographs are not part of the story's visit log.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.camera.hints import Hint
from kiosk.decision import Health, Verdict, VerifiedBy
from kiosk.demo import scenes
from kiosk.demo.pictures import Medium
from kiosk.demo.session import DEMO_KEY, DemoWindow, StoryAborted, run_directed
from kiosk.demo.stage import Stage
from kiosk.simulator.faults import Faults
from kiosk.simulator.server import Simulator
from kiosk.ui.model import Shown

LANGUAGES = ("ko", "en")
# File name stem per state, numbered in the order a reader should look at them.
SHOTS = (
    "01-idle",
    "02-admit-online",
    "03-deny",
    "04-check",
    "05-manual-log",
    "06-degraded",
    "07-admit-offline",
    "08-no-camera",
    "09-pin",
    # The visitor's hint over the framing guide, one per hint.
    *(f"{10 + i}-hint-{hint.value}" for i, hint in enumerate(Hint)),
)
VERDICT_S = 8.0  # long enough to photograph a verdict in two languages, short enough to wait out
DEFAULT_SIZE = (1280, 800)  # a common venue tablet lying down


def shot_names(languages: tuple[str, ...] = LANGUAGES) -> list[str]:
    return [f"{lang}-{stem}.png" for lang in languages for stem in SHOTS]


class ScreenshotSession:
    def __init__(
        self, folder: Path, *, size: tuple[int, int] = DEFAULT_SIZE, say: Callable[[str], None] = print
    ) -> None:
        self._folder = folder
        self._size = size
        self._say = say
        self.written: list[Path] = []

    def run(self, qt: Any) -> list[Path]:
        self._folder.mkdir(parents=True, exist_ok=True)
        with (
            tempfile.TemporaryDirectory(prefix="kiosk-demo-shots-") as scratch,
            Simulator(api_keys=[DEMO_KEY]) as sim,
        ):
            win = DemoWindow(
                sim, Path(scratch), Stage(), language=LANGUAGES[0], verdict_s=VERDICT_S, size=self._size
            )
            error = run_directed(qt, win, self._direct)
        if error is not None:
            raise error
        return self.written

    def _take(self, win: DemoWindow, stem: str) -> None:
        scenes.fresh_status(win)
        for lang in LANGUAGES:
            win.set_language(lang)
            self.written.append(win.grab(self._folder / f"{lang}-{stem}.png"))

    def _present(self, win: DemoWindow, spec: dict[str, object], medium: Medium = Medium.PHONE) -> Shown:
        issued = win.sim.state.issue_dcc(spec)
        return scenes.present(win, issued.text, medium, "EU DCC")

    def _direct(self, win: DemoWindow) -> None:
        preview = win.app.window.preview
        deadline_frames = 100
        while not win.on_gui_wait(lambda: preview.canvas.frames_shown > 0):
            deadline_frames -= 1
            if deadline_frames <= 0:
                raise StoryAborted("no camera picture reached the preview")
            win.watch.pause(0.1)
        win.watch.wait(lambda s: s.status is not None, 10, "the status bar")
        self._take(win, "01-idle")

        shown = self._present(win, {"type": "v", "family_name": "홍", "given_name": "길동", "days_ago": 60})
        self._expect(shown, Verdict.ADMIT, VerifiedBy.ONLINE)
        self._take(win, "02-admit-online")
        scenes.step_away(win)

        shown = self._present(win, {"type": "v", "family_name": "김", "given_name": "민수", "days_ago": 5})
        self._expect(shown, Verdict.DENY, VerifiedBy.ONLINE)
        self._take(win, "03-deny")
        scenes.step_away(win)

        # The visitor hints while upstream is healthy: later the outage banner sits above them.
        scenes.wait_idle(win, VERDICT_S + 5)
        for i, hint in enumerate(Hint):
            scenes.show_hint(win, hint)
            self._take(win, f"{10 + i}-hint-{hint.value}")
        scenes.show_hint(win, None)

        # A hang longer than the verification budget; short, so no request outlives the session.
        win.sim.set_faults(Faults(hang=True, max_hang_s=3.0))
        token = win.sim.state.issue_token().token
        shown = scenes.present(win, token, Medium.PHONE, "CHECK-IN")
        self._expect(shown, Verdict.MANUAL, VerifiedBy.NONE)
        self._take(win, "04-check")
        scenes.step_away(win)
        scenes.open_manual_log(win)
        self._take(win, "05-manual-log")
        scenes.close_panel(win)

        # Offline admissions until the breaker has given upstream up: then the bar says DEGRADED.
        names = (("이", "서연"), ("박", "지훈"), ("정", "하늘"), ("강", "다은"), ("윤", "서준"))
        for family, given in names:
            shown = self._present(
                win, {"type": "v", "family_name": family, "given_name": given, "days_ago": 40}, Medium.PAPER
            )
            self._expect(shown, Verdict.ADMIT, VerifiedBy.OFFLINE)
            if scenes.wait_health(win, Health.DEGRADED, 1.0):
                break
            scenes.step_away(win)
        else:
            raise StoryAborted("upstream never showed as degraded")
        self._take(win, "07-admit-offline")
        scenes.step_away(win)
        scenes.wait_idle(win, VERDICT_S + 5)
        self._take(win, "06-degraded")
        win.sim.set_faults(Faults())

        scenes.unplug_camera(win)
        self._take(win, "08-no-camera")
        scenes.plug_camera(win)

        scenes.ask_pin(win)
        self._take(win, "09-pin")
        scenes.close_panel(win)


    @staticmethod
    def _expect(shown: Shown, verdict: Verdict, by: VerifiedBy) -> None:
        if (shown.verdict, shown.verified_by) != (verdict, by):
            raise StoryAborted(
                f"expected {verdict}/{by} on screen, got {shown.verdict}/{shown.verified_by} ({shown.reason})"
            )
