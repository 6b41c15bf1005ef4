"""Scenes the director plays on the demo window: a visitor holds up a pass, staff log by hand, and so on.

Every scene acts as a person would (a picture in front of the camera) or through
the controller's public intents, then waits until the screen shows the outcome.
Waits are bounded, so a demo that goes wrong ends with a message instead of hanging.
"""

from __future__ import annotations

from kiosk.decision import Health, VerifiedBy
from kiosk.demo.pictures import Medium, pass_frame
from kiosk.demo.session import DemoWindow, StoryAborted
from kiosk.pass_hash import pass_hash
from kiosk.store.manual import resolve_manual
from kiosk.ui.model import Screen, ScreenState, Shown

VERDICT_WAIT_S = 20.0  # decode + the verification budget + a hung first call, with room to spare


def _shows_verdict_of(digest: str):  # type: ignore[no-untyped-def]
    def check(state: ScreenState) -> bool:
        if state.screen is not Screen.VERDICT or state.shown is None:
            return False
        return any(r.digest == digest and r.shown == state.shown for r in state.recent)

    return check


def present(win: DemoWindow, text: str, medium: Medium, label: str) -> Shown:
    """The visitor holds the pass up to the camera until its verdict is on screen."""
    digest = pass_hash(text)
    win.stage.show(pass_frame(text, medium, label=label))
    state = win.watch.wait(_shows_verdict_of(digest), VERDICT_WAIT_S, "a verdict")
    assert state.shown is not None
    return state.shown


def step_away(win: DemoWindow) -> None:
    win.stage.clear()


def open_manual_log(win: DemoWindow, visit_id: str | None) -> None:
    """Staff press "Manual log" (on a Staff check verdict: for its visit)."""
    win.on_gui(lambda: win.controller.request_manual_log(visit_id or ""))
    win.watch.wait(lambda s: s.screen is Screen.MANUAL_LOG, 10, "the manual-log panel")


def staff_admit(win: DemoWindow, visit_id: str) -> Shown:
    """Staff checked the pass by eye and admit: the answer is stored, then shown like a verdict."""
    resolve_manual(win.db, visit_id, admitted=True, at=win.clock.now())  # off the GUI thread
    win.on_gui(lambda: win.controller.staff_answered(True, visit_id))
    state = win.watch.wait(
        lambda s: (
            s.screen is Screen.VERDICT and s.shown is not None and s.shown.verified_by is VerifiedBy.STAFF
        ),
        10,
        "the staff verdict",
    )
    assert state.shown is not None
    return state.shown


def close_panel(win: DemoWindow) -> None:
    win.on_gui(win.controller.panel_closed)
    win.watch.wait(lambda s: s.screen is Screen.IDLE, 10, "the preview")


def ask_pin(win: DemoWindow) -> None:
    """The owner's long press on the corner: the PIN pad asks before anything else happens."""
    win.on_gui(win.controller.request_leave)
    win.watch.wait(lambda s: s.screen is Screen.PIN, 10, "the PIN pad")


def wait_health(win: DemoWindow, health: Health, timeout_s: float) -> bool:
    try:
        win.watch.wait(
            lambda s: s.status is not None and s.status.health is health, timeout_s, f"health {health}"
        )
    except StoryAborted:
        if win.watch.closed:
            raise
        return False
    return True


def wait_idle(win: DemoWindow, timeout_s: float = 10.0) -> None:
    win.watch.wait(lambda s: s.screen is Screen.IDLE and s.verifying is None, timeout_s, "the preview")


def unplug_camera(win: DemoWindow) -> None:
    win.stage.unplug()
    win.watch.wait(lambda s: not s.camera_ok, 10, "the no-camera notice")


def plug_camera(win: DemoWindow) -> None:
    win.stage.plug()
    win.watch.wait(lambda s: s.camera_ok, 15, "the camera to come back")


def fresh_status(win: DemoWindow, timeout_s: float = 5.0) -> None:
    """Wait for a status reading taken after now, so a photograph's bar matches its screen."""
    since = win.clock.now()
    win.watch.wait(lambda s: s.status is not None and s.status.at >= since, timeout_s, "a fresh status")
