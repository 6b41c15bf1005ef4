"""The rush rules without a window: the staff-check queue, the staff unlock, the verdict beside,
the history strip and the status bar's honesty about upstream."""

from __future__ import annotations

from kiosk.decision import Decision, Health, PassKind, Reason, Verdict, VerifiedBy
from kiosk.ui import screen_state as ss
from kiosk.ui.events import (
    AnswerFailed,
    AnswerTapped,
    AskStaffPin,
    CheckSetAside,
    HealthChanged,
    PanelClosed,
    PlaySound,
    RecordAnswer,
    ScanDecoded,
    StaffAnswered,
    StaffLocked,
    StaffUnlocked,
    StaffUnlockRequested,
    StatusSnapshot,
    Tick,
    VerdictReady,
)
from kiosk.ui.model import Screen, ScreenState, UiSettings
from tests.ui.screen_run import run_events as run

LOCKED = UiSettings(verdict_seconds=4.0, cooldown_s=5.0, min_verdict_s=2.0, staff_idle_s=60.0)
OPEN = UiSettings(verdict_seconds=4.0, cooldown_s=5.0, min_verdict_s=2.0, staff_pin=False)


def token_check(visit_id: str) -> Decision:
    reason = Reason.UPSTREAM_UNAVAILABLE
    return Decision(Verdict.MANUAL, reason, VerifiedBy.NONE, PassKind.TOKEN, visit_id=visit_id)


def signed(verdict: Verdict, visit_id: str, holder: str = "김*수") -> Decision:
    reason = Reason.VALID if verdict is Verdict.ADMIT else Reason.VACCINATION_TOO_RECENT
    by = VerifiedBy.OFFLINE
    return Decision(verdict, reason, by, PassKind.DCC, holder_masked=holder, visit_id=visit_id)


def visitor(state: ScreenState, settings: UiSettings, text: str, decision: Decision, at: float, **kw):  # type: ignore[no-untyped-def]
    scan = ScanDecoded.of(text, at)
    return run(state, settings, scan, VerdictReady(decision, scan.digest, at + 0.1, wall_at=1e9 + at, **kw))


def snapshot(health: Health = Health.ONLINE) -> StatusSnapshot:
    return StatusSnapshot(1e9, health, 0, 0, None, "missing")


def answer(state: ScreenState, settings: UiSettings, visit_id: str | None, admit: bool, at: float):  # type: ignore[no-untyped-def]
    """Staff tap, then the stored answer comes back (as the window's worker reports it)."""
    state, effects = run(state, settings, AnswerTapped(visit_id, admit, at))
    records = [e for e in effects if isinstance(e, RecordAnswer)]
    if records:
        new = visit_id is None
        stored = StaffAnswered(admit, at + 0.1, visit_id or "new-1", wall_at=1e9 + at, new_visit=new)
        state, more = run(state, settings, stored)
        effects.extend(more)
    return state, effects


def test_ten_tokens_faster_than_staff_answer_all_wait_and_all_are_answered() -> None:
    state = ScreenState()
    for i in range(10):
        state, effects = visitor(state, OPEN, f"KP1:token-{i}", token_check(f"t{i}"), 10.0 + i)
        # Each next visitor's verdict shows at once: the check of this very scan.
        assert state.screen is Screen.VERDICT and state.shown is not None and state.shown.visit_id == f"t{i}"
        assert PlaySound(Verdict.MANUAL) in effects
    state, _ = run(state, OPEN, Tick(100.0))  # the verdict timed out: the checks did not
    assert state.screen is Screen.IDLE
    assert [c.visit_id for c in state.checks.checks] == [f"t{i}" for i in range(10)]
    assert len(ss.strip_checks(state)) == 10
    answered = []
    for check in ss.strip_checks(state):
        state, effects = answer(state, OPEN, check.visit_id, True, 200.0)
        answered += [e.visit_id for e in effects if isinstance(e, RecordAnswer)]
    assert answered == [f"t{i}" for i in range(10)]
    assert len(state.checks) == 0


def test_a_check_is_named_on_screen_by_time_and_the_end_of_the_pass_digest() -> None:
    state, _ = visitor(ScreenState(), OPEN, "KP1:token-a", token_check("t1"), 10.0)
    check = ss.check_on_screen(state)
    assert check is not None and check.visit_id == "t1" and check.wall_at == 1e9 + 10.0
    assert check.holder_masked is None and len(check.pass_tail) == 4
    assert check.pass_tail == ScanDecoded.of("KP1:token-a", 0).digest[-4:]
    assert ss.strip_checks(state) == ()  # the strip lists the others, not the one on screen


def test_the_next_scan_verifies_without_wiping_the_waiting_check() -> None:
    state, _ = visitor(ScreenState(), OPEN, "KP1:a", token_check("t1"), 10.0)
    state, _ = visitor(state, OPEN, "HC1:b", signed(Verdict.ADMIT, "v2"), 10.5)
    assert state.shown is not None and state.shown.visit_id == "v2"
    assert [c.visit_id for c in ss.strip_checks(state)] == ["t1"]


def test_locked_staff_answer_asks_the_staff_pin_first_then_one_tap_each_until_idle() -> None:
    state, _ = visitor(ScreenState(), LOCKED, "KP1:a", token_check("t1"), 10.0)
    state, _ = visitor(state, LOCKED, "KP1:b", token_check("t2"), 11.0)
    assert ss.staff_unlock_offered(state) and not ss.no_pass_offered(state)
    state, effects = run(state, LOCKED, AnswerTapped("t2", True, 12.0))
    assert state.screen is Screen.STAFF_PIN and effects == [AskStaffPin()]
    assert len(state.checks) == 2  # nothing answered without the PIN
    # A scan while staff type the PIN waits; the queue is untouched.
    state, effects = run(state, LOCKED, ScanDecoded.of("KP1:c", 13.0))
    assert effects == [] and state.screen is Screen.STAFF_PIN
    state, effects = run(state, LOCKED, StaffUnlocked(14.0))
    assert effects == [RecordAnswer("t2", True)] and state.screen is Screen.IDLE
    assert state.staff_open and ss.no_pass_offered(state) and not ss.staff_unlock_offered(state)
    state, _ = run(state, LOCKED, StaffAnswered(True, 14.2, "t2", wall_at=1e9))
    # While unlocked: one tap, one answer, no PIN.
    state, effects = run(state, LOCKED, AnswerTapped("t1", False, 30.0))
    assert effects == [RecordAnswer("t1", False)]
    state, _ = run(state, LOCKED, StaffAnswered(False, 30.1, "t1", wall_at=1e9))
    # Each staff action restarts the idle time; without one it locks again.
    state, _ = run(state, LOCKED, Tick(30.1 + 59.0))
    assert state.staff_open
    state, _ = run(state, LOCKED, Tick(30.1 + 60.5))
    assert not state.staff_open and ss.staff_unlock_offered(state)
    _, effects = run(state, LOCKED, AnswerTapped(None, True, 100.0))
    assert effects == [AskStaffPin()]


def test_staff_can_lock_at_once_and_a_cancelled_pin_drops_the_waiting_action() -> None:
    state, _ = visitor(ScreenState(), LOCKED, "KP1:a", token_check("t1"), 10.0)
    state, _ = run(state, LOCKED, AnswerTapped("t1", True, 11.0), PanelClosed())
    assert state.screen is Screen.IDLE and state.pending is None and len(state.checks) == 1
    state, effects = run(state, LOCKED, StaffUnlockRequested(12.0), StaffUnlocked(13.0))
    assert effects == [AskStaffPin()] and state.staff_open
    state, _ = run(state, LOCKED, StaffLocked())
    assert not state.staff_open


def test_without_a_staff_pin_every_staff_action_is_one_tap() -> None:
    state, _ = visitor(ScreenState(), OPEN, "KP1:a", token_check("t1"), 10.0)
    assert state.staff_open and not ss.staff_unlock_offered(state) and ss.no_pass_offered(state)
    state, effects = answer(state, OPEN, "t1", True, 11.0)
    assert RecordAnswer("t1", True) in effects
    # Over its own check the answer shows as the verdict (the visitor is still there).
    assert state.shown is not None and (state.shown.verdict, state.shown.verified_by) == (
        Verdict.ADMIT,
        VerifiedBy.STAFF,
    )
    state, effects = answer(state, OPEN, None, False, 12.0)
    assert RecordAnswer(None, False) in effects and state.shown is not None
    assert state.shown.verdict is Verdict.DENY


def test_a_double_tap_sends_one_answer_and_a_failed_one_can_be_given_again() -> None:
    state, _ = visitor(ScreenState(), OPEN, "KP1:a", token_check("t1"), 10.0)
    state, effects = run(state, OPEN, AnswerTapped("t1", True, 11.0), AnswerTapped("t1", False, 11.05))
    assert effects == [RecordAnswer("t1", True)]
    state, effects = run(state, OPEN, AnswerTapped(None, True, 11.1), AnswerTapped(None, True, 11.15))
    assert effects == [RecordAnswer(None, True)]
    state, _ = run(state, OPEN, AnswerFailed("t1", "store.busy"))
    assert state.staff_error == "store.busy" and len(state.checks) == 1
    state, effects = run(state, OPEN, AnswerTapped("t1", True, 12.0))
    assert effects == [RecordAnswer("t1", True)] and state.staff_error is None
    # Answered meanwhile elsewhere (the store says it no longer waits): it leaves the queue.
    state, _ = run(state, OPEN, AnswerFailed("t1", "store.unknown_visit"))
    assert len(state.checks) == 0


def test_an_answer_from_the_strip_never_hides_another_visitors_verdict() -> None:
    state, _ = visitor(ScreenState(), OPEN, "KP1:a", token_check("t1"), 10.0)
    state, _ = visitor(state, OPEN, "HC1:b", signed(Verdict.ADMIT, "v2"), 20.0)
    state, effects = answer(state, OPEN, "t1", True, 20.5)
    assert state.shown is not None and state.shown.visit_id == "v2"
    assert not any(isinstance(e, PlaySound) for e in effects)
    assert state.history[0].verified_by is VerifiedBy.STAFF and len(state.checks) == 0


def test_a_check_set_aside_leaves_the_queue_unanswered() -> None:
    state, _ = visitor(ScreenState(), OPEN, "KP1:a", token_check("t1"), 10.0)
    state, effects = run(state, OPEN, CheckSetAside("t1", 11.0))
    assert len(state.checks) == 0 and effects == []


def test_a_check_arriving_while_staff_type_a_pin_still_waits() -> None:
    state, _ = run(ScreenState(), LOCKED, ScanDecoded.of("KP1:a", 10.0), StaffUnlockRequested(10.1))
    assert state.screen is Screen.STAFF_PIN
    digest = ScanDecoded.of("KP1:a", 0).digest
    state, _ = run(state, LOCKED, VerdictReady(token_check("t1"), digest, 10.5, wall_at=1e9))
    assert [c.visit_id for c in state.checks.checks] == ["t1"] and state.screen is Screen.STAFF_PIN


def test_a_young_refusal_stays_beside_the_next_verdict_for_min_verdict_s() -> None:
    state, _ = visitor(ScreenState(), OPEN, "HC1:a", signed(Verdict.DENY, "v1", "이*희"), 10.0)
    state, _ = run(state, OPEN, ScanDecoded.of("HC1:b", 11.0))  # 0.9 s after the refusal
    assert state.beside is not None and state.beside.visit_id == "v1"  # kept while B is checked
    digest = ScanDecoded.of("HC1:b", 0).digest
    state, _ = run(state, OPEN, VerdictReady(signed(Verdict.ADMIT, "v2"), digest, 11.2))
    assert state.shown is not None and state.shown.visit_id == "v2"  # shown at once
    assert state.beside is not None and state.beside.visit_id == "v1"
    state, _ = run(state, OPEN, Tick(13.1))
    assert state.beside is None


def test_an_admit_or_an_old_refusal_is_replaced_outright() -> None:
    state, _ = visitor(ScreenState(), OPEN, "HC1:a", signed(Verdict.ADMIT, "v1"), 10.0)
    state, _ = visitor(state, OPEN, "HC1:b", signed(Verdict.DENY, "v2"), 10.5)
    assert state.beside is None
    state, _ = visitor(state, OPEN, "HC1:c", signed(Verdict.ADMIT, "v3"), 13.0)  # the refusal was up 2.4 s
    assert state.beside is None


def test_the_history_keeps_the_last_five_verdicts_newest_first() -> None:
    state = ScreenState()
    for i in range(7):
        state, _ = visitor(state, OPEN, f"HC1:{i}", signed(Verdict.ADMIT, f"v{i}", f"{i}*"), 10.0 + 5 * i)
    assert [p.holder_masked for p in state.history] == ["6*", "5*", "4*", "3*", "2*"]
    assert state.history[0].wall_at == 1e9 + 40.0


def test_the_countdown_runs_from_full_to_empty() -> None:
    state, _ = visitor(ScreenState(), OPEN, "HC1:a", signed(Verdict.ADMIT, "v1"), 10.0)
    state, _ = run(state, OPEN, Tick(10.1))
    assert ss.countdown(state) == 1.0
    state, _ = run(state, OPEN, Tick(13.1))
    assert ss.countdown(state) is not None and abs(ss.countdown(state) - 0.25) < 1e-9
    state, _ = run(state, OPEN, Tick(14.2))
    assert ss.countdown(state) is None


def test_the_first_fallback_says_degraded_at_once_and_the_idle_screen_says_staff_check_tokens() -> None:
    state, _ = run(ScreenState(), OPEN, HealthChanged(snapshot(Health.ONLINE)))
    assert ss.shown_health(state) is Health.ONLINE and not ss.outage_banner(state)
    state, _ = visitor(state, OPEN, "KP1:a", token_check("t1"), 10.0, upstream_failed=True)
    assert ss.shown_health(state) is Health.DEGRADED
    # The breaker is still counting failures: the bar stays degraded.
    state, _ = run(state, OPEN, HealthChanged(snapshot(Health.ONLINE)), Tick(20.0))
    assert ss.shown_health(state) is Health.DEGRADED and ss.outage_banner(state)
    # The breaker says so itself: its word again, also once it recovers.
    state, _ = run(state, OPEN, HealthChanged(snapshot(Health.OFFLINE)))
    assert ss.shown_health(state) is Health.OFFLINE and ss.outage_banner(state)
    state, _ = run(state, OPEN, HealthChanged(snapshot(Health.ONLINE)))
    assert ss.shown_health(state) is Health.ONLINE and not ss.outage_banner(state)


def test_an_online_verdict_ends_the_fallback_and_no_banner_without_a_service() -> None:
    state, _ = run(ScreenState(), OPEN, HealthChanged(snapshot()))
    state, _ = visitor(state, OPEN, "KP1:a", token_check("t1"), 10.0, upstream_failed=True)
    online = Decision(Verdict.ADMIT, Reason.VALID, VerifiedBy.ONLINE, PassKind.TOKEN, visit_id="v2")
    state, _ = visitor(state, OPEN, "KP1:b", online, 11.0)
    assert ss.shown_health(state) is Health.ONLINE
    offline_only = StatusSnapshot(1e9, Health.OFFLINE, 0, 0, None, "missing", online_configured=False)
    state, _ = run(state, OPEN, HealthChanged(offline_only), Tick(30.0))
    assert ss.shown_health(state) is Health.OFFLINE and not ss.outage_banner(state)
