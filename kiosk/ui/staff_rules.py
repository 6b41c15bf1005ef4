"""The staff rules of the entrance screen: checks join the queue, staff actions wait for the
staff PIN while locked, a stored answer leaves the queue. Pure helpers of `kiosk.ui.model.update`.
"""

from __future__ import annotations

from dataclasses import replace

from kiosk.decision import Reason, Verdict, VerifiedBy
from kiosk.ui.events import (
    AnswerTapped,
    AskStaffPin,
    CheckSetAside,
    Effect,
    ManualLogRequested,
    OpenManualLog,
    PlaySound,
    RecordAnswer,
    StaffAnswered,
    VerdictReady,
)
from kiosk.ui.screen_state import ENTRANCE, NEW_VISIT, Screen, ScreenState, Shown, StaffAction, UiSettings
from kiosk.ui.showing import cleared, past, show, without_card
from kiosk.ui.staff_queue import TAIL_CHARS, Check
from kiosk.ui.staff_queue import remember as remember_past


def queued(state: ScreenState, event: VerdictReady) -> ScreenState:
    """A staff check joins the queue (and a fallback shows at once in the status bar)."""
    d = event.decision
    fell_back = event.upstream_failed or (state.fell_back and d.verified_by is not VerifiedBy.ONLINE)
    if d.verdict is not Verdict.MANUAL or d.visit_id is None:
        return replace(state, fell_back=fell_back)
    check = Check(d.visit_id, event.wall_at, d.holder_masked, event.digest[-TAIL_CHARS:])
    return replace(state, checks=state.checks.add(check), fell_back=fell_back)


def staff_action(
    state: ScreenState, event: StaffAction, settings: UiSettings
) -> tuple[ScreenState, tuple[Effect, ...]]:
    """A staff action runs at once while unlocked; locked, it waits for the staff PIN."""
    busy = isinstance(event, ManualLogRequested) and state.verifying is not None
    if state.screen not in ENTRANCE or busy:
        return state, ()
    if settings.staff_pin and state.staff_until is None:
        # The verdict leaves the screen for the PIN pad, its check stays in the queue.
        asked = replace(without_card(cleared(state)), screen=Screen.STAFF_PIN, pending=event)
        return asked, (AskStaffPin(),)
    return carry_out(state, event, settings)


def carry_out(
    state: ScreenState, event: StaffAction, settings: UiSettings
) -> tuple[ScreenState, tuple[Effect, ...]]:
    if settings.staff_pin:
        state = replace(state, staff_until=event.at + settings.staff_idle_s)
    state = replace(state, staff_error=None)
    match event:
        case AnswerTapped(visit_id=None):
            if state.checks.is_answering(NEW_VISIT):
                return state, ()  # one visitor per tap: a double tap is not a second visitor
            return replace(state, checks=state.checks.begin(NEW_VISIT)), (RecordAnswer(None, event.admit),)
        case AnswerTapped(visit_id=str(visit_id)):
            if state.checks.get(visit_id) is None or state.checks.is_answering(visit_id):
                return state, ()  # answered already, or being stored
            return replace(state, checks=state.checks.begin(visit_id)), (RecordAnswer(visit_id, event.admit),)
        case CheckSetAside():
            return replace(state, checks=state.checks.without(event.visit_id)), ()
        case ManualLogRequested():
            if state.screen not in ENTRANCE or state.verifying is not None:
                return state, ()
            panel = without_card(cleared(state))
            return replace(panel, screen=Screen.MANUAL_LOG, manual_visit_id=event.visit_id), (
                OpenManualLog(event.visit_id),
            )
    return state, ()  # StaffUnlockRequested: the unlock was all it asked for


def answered(
    state: ScreenState, event: StaffAnswered, settings: UiSettings
) -> tuple[ScreenState, tuple[Effect, ...]]:
    """A stored staff answer leaves the queue. It shows as a verdict when that hides nobody
    else's: answered on the panel, for a visitor with no pass, on the idle screen, or over
    its own check; otherwise it goes to the history strip only."""
    verdict = Verdict.ADMIT if event.admitted else Verdict.DENY
    reason = Reason.STAFF_CONFIRMED if event.admitted else Reason.STAFF_REJECTED
    shown = Shown(verdict, reason, VerifiedBy.STAFF, None, event.visit_id)
    key = NEW_VISIT if event.new_visit else event.visit_id or NEW_VISIT
    after = replace(state, checks=state.checks.without(key), manual_visit_id=None, staff_error=None)
    if after.beside is not None and after.beside.visit_id == event.visit_id:
        after = replace(after, beside=None, beside_until=None)
    if settings.staff_pin and after.staff_until is not None:
        after = replace(after, staff_until=event.at + settings.staff_idle_s)
    on_verdict = state.screen is Screen.VERDICT and state.shown is not None
    own = on_verdict and state.shown is not None and state.shown.visit_id == event.visit_id
    if state.screen in (Screen.MANUAL_LOG, Screen.IDLE) or own or (event.new_visit and on_verdict):
        shown_state = show(after, shown, event.at, settings, remember=None, wall_at=event.wall_at)
        return shown_state, (PlaySound(verdict),)
    history = remember_past(after.history, past(shown, event.wall_at, event.at))
    return replace(after, history=history), ()
