"""Scenes the director plays on the demo window: a visitor holds up a pass, staff log by hand, and so on.

Every scene acts as a person would (a picture in front of the camera) or through
the controller's public intents, then waits until the screen shows the outcome.
Waits are bounded, so a demo that goes wrong ends with a message instead of hanging.
"""

from __future__ import annotations

from kiosk.camera.hints import Hint
from kiosk.decision import Health, VerifiedBy
from kiosk.demo.pictures import Medium, pass_frame
from kiosk.demo.session import DEMO_STAFF_PIN, DemoWindow, StoryAborted
from kiosk.pass_hash import pass_hash
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


def staff_unlock(win: DemoWindow) -> None:
    """Staff open the staff tools: the Staff button, then the staff PIN on its pad (checked by
    the window's worker like any typed PIN)."""
    state = win.watch.state
    if state is not None and state.staff_open:
        return
    win.on_gui(win.controller.request_staff)
    win.watch.wait(lambda s: s.screen is Screen.STAFF_PIN, 10, "the staff PIN pad")
    win.on_gui(lambda: win.app.owner.staff_pad.pin_entered.emit(DEMO_STAFF_PIN))
    win.watch.wait(lambda s: s.staff_open, 15, "the staff unlock")


def open_manual_log(win: DemoWindow) -> None:
    """Staff open the panel for a visitor with no scannable pass who leaves a phone number."""
    staff_unlock(win)
    win.on_gui(lambda: win.controller.request_manual_log(""))
    win.watch.wait(lambda s: s.screen is Screen.MANUAL_LOG, 10, "the manual-log panel")


def staff_admit(win: DemoWindow, visit_id: str) -> Shown:
    """Staff checked the token by eye and tap Admit on its check: the answer is stored by the
    window's worker, then shown like a verdict."""
    staff_unlock(win)
    win.on_gui(lambda: win.controller.answer_tapped(visit_id, True))
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


def show_hint(win: DemoWindow, hint: Hint | None) -> None:
    """The camera's hint for a code held in the guide but unread (None: the code is gone).

    Sent as the camera worker sends it, to the controller's slot for its signal: the demo's
    pictures are clean screens, which the camera reads before any hint is due.
    """
    win.on_gui(lambda: win.controller.on_hint(hint.value if hint else ""))
    win.watch.wait(lambda s: s.hint is hint, 10, f"the hint {hint}")


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
