"""The visitor's hint on the screen model: shown on the idle screen only, forgotten at any scan or verdict."""

from __future__ import annotations

from kiosk.camera.hints import Hint
from kiosk.decision import Decision, PassKind, Reason, Verdict, VerifiedBy
from kiosk.ui.events import (
    CameraBack,
    CameraLost,
    HintChanged,
    ScanDecoded,
    StaffAnswered,
    Tick,
    VerdictReady,
    VerifyFailed,
)
from kiosk.ui.model import Screen, ScreenState, UiSettings, visitor_hint
from tests.ui.screen_run import run_events

S = UiSettings(verdict_seconds=4.0, cooldown_s=5.0, staff_pin=False)
PASS = "HC1:AAAA-secret-pass-text"
ADMIT = Decision(Verdict.ADMIT, Reason.VALID, VerifiedBy.ONLINE, PassKind.DCC, visit_id="v1")


def run(state: ScreenState, *events):  # type: ignore[no-untyped-def]
    return run_events(state, S, *events)


def test_the_idle_screen_shows_the_cameras_hint_until_it_says_nothing() -> None:
    state, effects = run(ScreenState(), HintChanged(Hint.GLARE))
    assert (visitor_hint(state), effects) == (Hint.GLARE, [])
    state, _ = run(state, HintChanged(Hint.CLOSER))
    assert visitor_hint(state) is Hint.CLOSER
    state, _ = run(state, Tick(1.0))
    assert visitor_hint(state) is Hint.CLOSER  # the camera decides when it ends, not a timer
    state, _ = run(state, HintChanged(None))
    assert visitor_hint(state) is None


def test_a_scan_forgets_the_hint_and_the_checking_screen_shows_none() -> None:
    state, _ = run(ScreenState(), HintChanged(Hint.STILL), ScanDecoded.of(PASS, 1.0))
    assert state.screen is Screen.VERIFYING
    assert (state.hint, visitor_hint(state)) == (None, None)
    # A hint that comes while the pass is checked is not shown over "checking…".
    state, _ = run(state, HintChanged(Hint.STILL))
    assert visitor_hint(state) is None


def test_a_verdict_forgets_the_hint() -> None:
    scanned, _ = run(ScreenState(), ScanDecoded.of(PASS, 1.0), HintChanged(Hint.GLARE))
    digest = scanned.verifying
    assert digest is not None
    shown, _ = run(scanned, VerdictReady(ADMIT, digest, 2.0))
    assert shown.screen is Screen.VERDICT and shown.hint is None
    failed, _ = run(scanned, VerifyFailed(digest, 2.0))
    assert failed.screen is Screen.VERDICT and failed.hint is None
    answered, _ = run(ScreenState(), HintChanged(Hint.GLARE), StaffAnswered(True, 2.0, new_visit=True))
    assert answered.screen is Screen.VERDICT and answered.hint is None


def test_a_hint_that_comes_during_a_verdict_shows_once_the_screen_is_idle_again() -> None:
    # The next visitor steps up with a glaring phone while the last verdict is still up.
    state, _ = run(ScreenState(), ScanDecoded.of(PASS, 1.0))
    assert state.verifying is not None
    state, _ = run(state, VerdictReady(ADMIT, state.verifying, 1.5), HintChanged(Hint.GLARE))
    assert state.screen is Screen.VERDICT and visitor_hint(state) is None
    state, _ = run(state, Tick(1.5 + S.verdict_seconds))
    assert state.screen is Screen.IDLE and visitor_hint(state) is Hint.GLARE


def test_no_hint_without_a_live_camera() -> None:
    state, _ = run(ScreenState(), HintChanged(Hint.BRIGHTER), CameraLost("camera.unavailable"))
    assert (state.hint, visitor_hint(state)) == (None, None)
    state, _ = run(state, CameraBack())
    assert visitor_hint(state) is None  # the camera's next hint comes from new frames
