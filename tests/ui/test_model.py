"""The screen rules without a window: scans, verdicts, auto-clear, cooldown, queue, staff panels."""

from __future__ import annotations

from dataclasses import fields

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.decision import Decision, PassKind, Reason, Verdict, VerifiedBy
from kiosk.ui.events import (
    AdminClosed,
    AdminOpened,
    AskPin,
    AskStaffPin,
    CameraBack,
    CameraLost,
    FirstRunDone,
    FirstRunRequired,
    LanguageChanged,
    LeaveKiosk,
    LeaveRequested,
    ManualLogRequested,
    OpenManualLog,
    PanelClosed,
    PinAccepted,
    PlaySound,
    ScanDecoded,
    StaffAnswered,
    StartVerify,
    Tick,
    VerdictReady,
    VerifyFailed,
)
from kiosk.ui.model import Screen, ScreenState, UiSettings, no_pass_offered, staff_unlock_offered, update
from kiosk.ui.staff_queue import HISTORY_S
from tests.ui.screen_run import run_events

S = UiSettings(verdict_seconds=4.0, cooldown_s=5.0)
OPEN = UiSettings(verdict_seconds=4.0, cooldown_s=5.0, staff_pin=False)  # a counter only staff reach
PASS_A = "HC1:AAAA-secret-pass-text"
PASS_B = "KP1:bbbb-another-secret"


def admit(visit_id: str = "v1") -> Decision:
    return Decision(
        Verdict.ADMIT, Reason.VALID, VerifiedBy.ONLINE, PassKind.DCC, holder_masked="홍*동", visit_id=visit_id
    )


def deny(visit_id: str = "v2") -> Decision:
    return Decision(
        Verdict.DENY, Reason.VACCINATION_TOO_RECENT, VerifiedBy.OFFLINE, PassKind.DCC, visit_id=visit_id
    )


def run(state: ScreenState, *events):  # type: ignore[no-untyped-def]
    return run_events(state, S, *events)


def scan_and_verdict(state: ScreenState, text: str, decision: Decision, at: float):  # type: ignore[no-untyped-def]
    scan = ScanDecoded.of(text, at)
    return run(state, scan, VerdictReady(decision, scan.digest, at + 0.2))


def test_a_scan_starts_one_verification_and_keeps_only_the_digest() -> None:
    state, effects = run(ScreenState(), ScanDecoded.of(PASS_A, 10.0))
    assert state.screen is Screen.VERIFYING
    starts = [e for e in effects if isinstance(e, StartVerify)]
    assert len(starts) == 1 and starts[0].text == PASS_A
    assert "secret" not in repr(state) and "secret" not in repr(effects)
    assert all("secret" not in str(getattr(state, f.name)) for f in fields(state))


def test_verdict_shows_plays_its_sound_and_clears_after_verdict_seconds() -> None:
    state, effects = scan_and_verdict(ScreenState(), PASS_A, admit(), 10.0)
    assert state.screen is Screen.VERDICT
    assert state.shown is not None and state.shown.verdict is Verdict.ADMIT
    assert state.shown.holder_masked == "홍*동"
    assert PlaySound(Verdict.ADMIT) in effects
    state, _ = run(state, Tick(10.2 + 3.9))
    assert state.screen is Screen.VERDICT
    state, _ = run(state, Tick(10.2 + 4.0))
    assert state.screen is Screen.IDLE and state.shown is None


def test_nothing_personal_stays_after_the_cooldown() -> None:
    state, _ = scan_and_verdict(ScreenState(), PASS_A, admit(), 10.0)
    state, _ = run(state, Tick(10.2 + 5.0))
    assert state.shown is None and state.recent == ()
    # The history strip under the screen still names the last visitors (masked), for a while.
    assert [p.holder_masked for p in state.history] == ["홍*동"]
    state, _ = run(state, Tick(10.3 + HISTORY_S))
    assert "홍" not in repr(state)


def test_a_different_scan_clears_the_verdict_at_once_and_verifies() -> None:
    state, _ = scan_and_verdict(ScreenState(), PASS_A, admit(), 10.0)
    state, effects = run(state, ScanDecoded.of(PASS_B, 11.0))
    assert state.screen is Screen.VERIFYING and state.shown is None
    assert [type(e) for e in effects] == [StartVerify]


def test_the_same_pass_within_the_cooldown_shows_the_earlier_verdict_without_a_visit() -> None:
    state, _ = scan_and_verdict(ScreenState(), PASS_A, admit("v1"), 10.0)
    state, _ = run(state, Tick(15.0))  # cleared after 4 s
    assert state.screen is Screen.IDLE
    state, effects = run(state, ScanDecoded.of(PASS_A, 15.1))
    assert not any(isinstance(e, StartVerify) for e in effects)
    assert state.screen is Screen.VERDICT
    assert state.shown is not None and state.shown.repeat and state.shown.visit_id == "v1"


def test_the_same_pass_after_the_cooldown_is_a_new_visit() -> None:
    state, _ = scan_and_verdict(ScreenState(), PASS_A, admit(), 10.0)
    state, effects = run(state, Tick(15.3), ScanDecoded.of(PASS_A, 15.3))
    assert any(isinstance(e, StartVerify) for e in effects)


def test_a_scan_while_verifying_is_ignored() -> None:
    first = ScanDecoded.of(PASS_A, 10.0)
    state, effects = run(ScreenState(), first, ScanDecoded.of(PASS_B, 10.1))
    assert sum(isinstance(e, StartVerify) for e in effects) == 1
    assert state.verifying == first.digest


def test_an_answer_for_another_scan_is_ignored() -> None:
    state, _ = run(ScreenState(), ScanDecoded.of(PASS_A, 10.0))
    other = ScanDecoded.of(PASS_B, 10.0).digest
    after, effects = run(state, VerdictReady(admit(), other, 10.5))
    assert after == state and effects == []


def test_a_failed_verification_asks_staff_to_check() -> None:
    scan = ScanDecoded.of(PASS_A, 10.0)
    state, effects = run(ScreenState(), scan, VerifyFailed(scan.digest, 10.3))
    assert state.shown is not None and state.shown.verdict is Verdict.MANUAL and state.shown.reason is None
    assert PlaySound(Verdict.MANUAL) in effects
    # Nothing was recorded, so the same pass again must really be verified.
    _, again = run(state, ScanDecoded.of(PASS_A, 11.0))
    assert any(isinstance(e, StartVerify) for e in again)


def test_the_manual_log_panel_for_a_visitor_without_a_pass_and_the_staff_answer() -> None:
    state, effects = update(ScreenState(), ManualLogRequested(None, 10.0), OPEN)
    assert state.screen is Screen.MANUAL_LOG and state.manual_visit_id is None
    assert effects == (OpenManualLog(None),)
    state, _ = update(state, Tick(100.0), OPEN)  # staff take their time: no auto-clear
    assert state.screen is Screen.MANUAL_LOG
    _, ignored = update(state, ScanDecoded.of(PASS_A, 100.0), OPEN)
    assert ignored == ()
    state, effects = update(state, StaffAnswered(True, 101.0, "v9", new_visit=True), OPEN)
    assert state.screen is Screen.VERDICT and state.shown is not None
    assert (state.shown.verdict, state.shown.verified_by) == (Verdict.ADMIT, VerifiedBy.STAFF)
    assert effects == (PlaySound(Verdict.ADMIT),)


def test_first_run_holds_the_screen_until_it_is_done() -> None:
    state, effects = run(ScreenState(), FirstRunRequired())
    assert state.screen is Screen.FIRST_RUN and effects == []
    # No scan, manual log, corner press or stray Back leaves first run.
    state, effects = run(
        state,
        ScanDecoded.of(PASS_A, 1.0),
        ManualLogRequested(None),
        LeaveRequested(),
        PanelClosed(),
        StaffAnswered(True, 2.0),
        PinAccepted(),
        Tick(100.0),
    )
    assert state.screen is Screen.FIRST_RUN and state.verifying is None and effects == []
    state, _ = run(state, FirstRunDone())
    assert state.screen is Screen.IDLE
    state, effects = run(state, ScanDecoded.of(PASS_A, 3.0))
    assert state.screen is Screen.VERIFYING and len(effects) == 1


def test_exactly_one_manual_log_entry_is_offered_and_only_where_pressing_it_opens_the_panel() -> None:
    for screen in Screen:
        for rules in (S, OPEN):
            state, _ = update(ScreenState(screen=screen), Tick(0.0), rules)
            after, effects = update(state, ManualLogRequested(None, 1.0), rules)
            opens = after.screen is Screen.MANUAL_LOG and effects == (OpenManualLog(None),)
            asks = after.screen is Screen.STAFF_PIN and effects == (AskStaffPin(),)
            # Locked: the status bar's Staff button (the PIN first); unlocked: the no-pass row.
            assert not (staff_unlock_offered(state) and no_pass_offered(state))
            assert staff_unlock_offered(state) is asks, (screen, rules.staff_pin)
            assert no_pass_offered(state) is opens, (screen, rules.staff_pin)


def test_manual_log_closed_without_answer_returns_to_idle() -> None:
    state, _ = update(ScreenState(), ManualLogRequested(None), OPEN)
    state, _ = update(state, PanelClosed(), OPEN)
    assert state.screen is Screen.IDLE and state.manual_visit_id is None


def test_leaving_needs_the_pin() -> None:
    state, effects = run(ScreenState(), LeaveRequested())
    assert state.screen is Screen.PIN and effects == [AskPin()]
    state, effects = run(state, PinAccepted())
    assert effects == [LeaveKiosk()]
    # A stray "accepted" outside the PIN screen leaves nothing.
    _, effects = run(ScreenState(), PinAccepted())
    assert effects == []


def test_a_verdict_arriving_under_the_pin_pad_does_not_take_the_screen() -> None:
    scan = ScanDecoded.of(PASS_A, 10.0)
    state, _ = run(ScreenState(), scan, LeaveRequested())
    assert state.screen is Screen.PIN
    state, effects = run(state, VerdictReady(admit(), scan.digest, 10.4))
    assert state.screen is Screen.PIN and state.verifying is None and effects == []
    # The visit was logged: the same pass right after the PIN pad closes is not a second one.
    state, effects = run(state, PanelClosed(), ScanDecoded.of(PASS_A, 11.0))
    assert not any(isinstance(e, StartVerify) for e in effects)
    assert state.shown is not None and state.shown.repeat


def test_camera_and_language() -> None:
    state, _ = run(ScreenState(), CameraLost("plug it in"), LanguageChanged("en"))
    assert not state.camera_ok and state.camera_problem == "plug it in" and state.language == "en"
    state, _ = run(state, CameraBack())
    assert state.camera_ok and state.camera_problem is None


# --- properties over any sequence of events ---

_texts = st.sampled_from([PASS_A, PASS_B, "https://menu.example", "KP1:cccc"])
_decisions = st.sampled_from([admit(), deny()])


@st.composite
def sessions(draw):  # type: ignore[no-untyped-def]
    """A plausible run: scans, answers to the pending scan, ticks; time only moves forward."""
    now = 0.0
    steps = []
    for _ in range(draw(st.integers(1, 40))):
        now += draw(st.floats(0.0, 3.0))
        kind = draw(st.sampled_from(["scan", "answer", "tick"]))
        if kind == "scan":
            steps.append(("scan", draw(_texts), now))
        elif kind == "answer":
            steps.append(("answer", draw(_decisions), now))
        else:
            steps.append(("tick", None, now))
    return steps


@settings(max_examples=300, deadline=None)
@given(sessions())
def test_any_session_keeps_the_rules(steps) -> None:  # type: ignore[no-untyped-def]
    state = ScreenState()
    verified_at: dict[str, float] = {}  # digest -> time its verdict was shown
    for kind, value, now in steps:
        if kind == "scan":
            event = ScanDecoded.of(value, now)
        elif kind == "answer":
            if state.verifying is None:
                continue
            event = VerdictReady(value, state.verifying, now)
        else:
            event = Tick(now)
        before = state
        state, effects = update(state, event, S)
        starts = [e for e in effects if isinstance(e, StartVerify)]
        # Never two verifications at once.
        assert len(starts) <= 1
        if starts:
            assert before.verifying is None
            shown_at = verified_at.get(starts[0].digest)
            # No second visit for the same pass inside the cooldown.
            assert shown_at is None or now - shown_at >= S.cooldown_s
        if isinstance(event, VerdictReady):
            verified_at[event.digest] = now
        # A verdict never outlives verdict_seconds (checked at each tick).
        if isinstance(event, Tick) and state.shown_until is not None:
            assert state.shown_until > now
        assert "secret" not in repr(state)


def test_the_admin_page_opens_only_from_the_owner_menu_and_ignores_scans() -> None:
    state, _ = update(ScreenState(), AdminOpened())
    assert state.screen is Screen.IDLE  # no PIN, no admin
    state, _ = update(state, LeaveRequested())
    state, _ = update(state, AdminOpened())
    assert state.screen is Screen.ADMIN
    for event in (ScanDecoded.of("KP1:anything", 1.0), ManualLogRequested(), LeaveRequested(), PanelClosed()):
        after, effects = update(state, event)
        assert (after.screen, effects) == (Screen.ADMIN, ()), event
    state, _ = update(state, AdminClosed())
    assert state.screen is Screen.IDLE
