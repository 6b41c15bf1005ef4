"""The entrance screen as a value: frozen state, events in, a pure `update` out. No Qt here.

The window only renders a `ScreenState` and turns what happens (a decoded QR, a
verdict from the engine, a timer tick, a tap) into events; every rule about what
the screen shows lives in `update`, so it is tested without a window.

Privacy: the state never holds a pass text, only its digest (the same SHA-256 the
store keeps). The raw text travels once, inside the `StartVerify` effect, to the
engine worker; it is kept out of every repr so it cannot reach a log line. The one
exception is a chunked SMART Health Card being scanned: its parts must be kept
until the last one is read, so they wait in `CardInProgress` (memory only, out of
every repr and comparison) for at most `UiSettings.chunk_timeout_s`.

Chunked cards: each `shc:/C/N/…` QR is gathered by a `ChunkCollector` while the
screen asks for the next part ("scan part 2 of 3"); the complete set becomes one
scan of the whole card, so one verification and one visit. A chunk that cannot
belong to the card being collected (another total, or the same part with other
content) starts again from that chunk, and a card left incomplete is forgotten
after `chunk_timeout_s` with a notice on screen.

Rush rules (staff checks, the staff unlock, the verdict beside and the history) use
the values of `kiosk.ui.staff_queue`: a staff check waits in `checks` until staff
answer or set it aside, whatever else the screen shows meanwhile.
"""

from __future__ import annotations

from dataclasses import replace

from kiosk.decision import Health, Verdict, VerifiedBy
from kiosk.passes.shc_qr import ShcChunk
from kiosk.ui.card_parts import CardNotice, add_part, chunk_of
from kiosk.ui.events import (
    AdminClosed,
    AdminOpened,
    AnswerFailed,
    AnswerTapped,
    AskPin,
    CameraBack,
    CameraLost,
    CheckSetAside,
    Effect,
    Event,
    FirstRunDone,
    FirstRunRequired,
    HealthChanged,
    HintChanged,
    LanguageChanged,
    LeaveKiosk,
    LeaveRequested,
    ManualLogRequested,
    PanelClosed,
    PinAccepted,
    PlaySound,
    ScanDecoded,
    StaffAnswered,
    StaffLocked,
    StaffUnlocked,
    StaffUnlockRequested,
    StartVerify,
    Tick,
    VerdictReady,
    VerifyFailed,
    WedgeNoticed,
)
from kiosk.ui.screen_state import (  # noqa: F401  (re-exported: the window's vocabulary)
    CLOSABLE,
    ENTRANCE,
    NEW_VISIT,
    OWNER_SCREENS,
    STAFF_SCREENS,
    Recent,
    Screen,
    ScreenState,
    Shown,
    UiSettings,
    card_prompt,
    check_on_screen,
    countdown,
    no_pass_offered,
    outage_banner,
    shown_health,
    staff_unlock_offered,
    strip_checks,
    visitor_hint,
)
from kiosk.ui.showing import cleared, fresh, past, retired, show, without_card
from kiosk.ui.staff_queue import fresh_history
from kiosk.ui.staff_queue import remember as remember_past
from kiosk.ui.staff_rules import answered, carry_out, queued, staff_action

_DEFAULTS = UiSettings()
ANSWERED_ELSEWHERE = "store.unknown_visit"  # the error key of an answer to a visit no longer waiting


def update(
    state: ScreenState, event: Event, settings: UiSettings = _DEFAULTS
) -> tuple[ScreenState, tuple[Effect, ...]]:
    """The next screen state and the effects to run, for one event."""
    after, effects = _update(state, event, settings)
    staff_open = not settings.staff_pin or after.staff_until is not None
    if staff_open != after.staff_open:
        after = replace(after, staff_open=staff_open)
    return after, effects


def _update(
    state: ScreenState, event: Event, settings: UiSettings
) -> tuple[ScreenState, tuple[Effect, ...]]:
    match event:
        case ScanDecoded():
            # Whatever the camera advised was about this code, or is stale now.
            return _scan(replace(state, hint=None), event, settings)
        case VerdictReady():
            if event.digest != state.verifying:
                return state, ()  # an answer nobody waits for any more
            shown = Shown.of(event.decision)
            parts = state.verifying_parts
            state = queued(state, event)
            if state.screen in STAFF_SCREENS:
                # Staff opened a panel while this pass was being checked: the visit is logged,
                # remembered for the cooldown and listed (a check waits), the staff page stays.
                remembered = Recent(event.digest, shown, event.at, parts)
                recent = (*fresh(state.recent, event.at, settings), remembered)
                history = remember_past(state.history, past(shown, event.wall_at, event.at))
                return replace(state, verifying=None, verifying_parts=(), recent=recent, history=history), ()
            shown_state = show(
                state, shown, event.at, settings, remember=event.digest, parts=parts, wall_at=event.wall_at
            )
            return shown_state, (PlaySound(shown.verdict),)
        case VerifyFailed():
            if event.digest != state.verifying:
                return state, ()
            if state.screen in STAFF_SCREENS:
                return replace(state, verifying=None, verifying_parts=()), ()
            shown = Shown(Verdict.MANUAL, None, VerifiedBy.NONE, None, None)
            failed = show(state, shown, event.at, settings, remember=None, wall_at=event.wall_at)
            return failed, (PlaySound(Verdict.MANUAL),)
        case WedgeNoticed():
            if state.screen not in ENTRANCE:
                return state, ()  # staff are busy on a panel; the scanner can wait
            return replace(state, notice=event.notice, notice_until=event.at + settings.notice_seconds), ()
        case Tick():
            return _tick(state, event.now, settings), ()
        case HealthChanged():
            # Once the breaker itself says so, its health is the truth again (also when it
            # recovers); until then a verdict that fell back has said degraded.
            fell_back = state.fell_back and event.snapshot.health is Health.ONLINE
            return replace(state, status=event.snapshot, fell_back=fell_back), ()
        case CameraLost():
            return replace(state, camera_ok=False, camera_problem=event.hint, hint=None), ()
        case CameraBack():
            return replace(state, camera_ok=True, camera_problem=None), ()
        case HintChanged():
            return replace(state, hint=event.hint), ()
        case ManualLogRequested() | AnswerTapped() | CheckSetAside() | StaffUnlockRequested():
            return staff_action(state, event, settings)
        case StaffUnlocked():
            if state.screen is not Screen.STAFF_PIN:
                return state, ()
            pending = state.pending
            until = event.at + settings.staff_idle_s
            unlocked = replace(state, screen=Screen.IDLE, pending=None, staff_until=until)
            return carry_out(unlocked, pending, settings) if pending is not None else (unlocked, ())
        case StaffLocked():
            return replace(state, staff_until=None), ()
        case StaffAnswered():
            return answered(state, event, settings)
        case AnswerFailed():
            key = event.visit_id or NEW_VISIT
            # A visit answered meanwhile (another window, a command) waits for nothing more.
            gone = event.key == ANSWERED_ELSEWHERE
            checks = state.checks.without(key) if gone else state.checks.failed(key)
            return replace(state, checks=checks, staff_error=event.key), ()
        case PanelClosed():
            if state.screen not in CLOSABLE:
                return state, ()
            return replace(state, screen=Screen.IDLE, manual_visit_id=None, pending=None), ()
        case LeaveRequested():
            if state.screen in OWNER_SCREENS:
                return state, ()
            asked = replace(without_card(cleared(state)), screen=Screen.PIN, manual_visit_id=None)
            return asked, (AskPin(),)
        case PinAccepted():
            if state.screen is not Screen.PIN:
                return state, ()
            return replace(state, screen=Screen.IDLE), (LeaveKiosk(),)
        case LanguageChanged():
            return replace(state, language=event.language), ()
        case FirstRunRequired():
            return replace(without_card(cleared(state)), screen=Screen.FIRST_RUN, manual_visit_id=None), ()
        case FirstRunDone():
            if state.screen is not Screen.FIRST_RUN:
                return state, ()
            return replace(state, screen=Screen.IDLE), ()
        case AdminOpened():
            if state.screen is not Screen.PIN:
                return state, ()  # only the unlocked owner menu leads here
            return replace(state, screen=Screen.ADMIN), ()
        case AdminClosed():
            if state.screen is not Screen.ADMIN:
                return state, ()
            return replace(state, screen=Screen.IDLE), ()
    raise TypeError(f"not a screen event: {type(event).__name__}")



def _scan(
    state: ScreenState, event: ScanDecoded, settings: UiSettings
) -> tuple[ScreenState, tuple[Effect, ...]]:
    if state.screen in STAFF_SCREENS or state.verifying is not None:
        # One queue at the entrance: the visitor being checked is served first; the
        # next one is read again by the camera once the verdict is up.
        return state, ()
    chunk = chunk_of(event.text)
    if chunk is not None:
        return _card_part(state, event, chunk, settings)
    # Any other code ends a card being collected: the visitor switched passes.
    return _whole(without_card(state), event, settings)


def _card_part(
    state: ScreenState, event: ScanDecoded, chunk: ShcChunk, settings: UiSettings
) -> tuple[ScreenState, tuple[Effect, ...]]:
    repeat = _repeat(state, event, settings, by_part=True)
    if repeat is not None:
        return repeat
    added = add_part(state.card, chunk, event.digest, event.at)
    if added.whole_text is not None:
        whole = ScanDecoded.of(added.whole_text, event.at)
        after, effects = _whole(without_card(state), whole, settings)
        if after.verifying == whole.digest:
            after = replace(after, verifying_parts=added.card.parts)
        return after, effects
    # A new card clears the previous verdict at once, like any other new pass.
    if added.restarted:
        notice, until = CardNotice.RESTARTED, event.at + settings.notice_seconds
        retiring = retired(state, event.at, settings)
        return replace(retiring, card=added.card, notice=notice, notice_until=until), ()
    return replace(retired(state, event.at, settings), card=added.card), ()


def _repeat(
    state: ScreenState, event: ScanDecoded, settings: UiSettings, *, by_part: bool = False
) -> tuple[ScreenState, tuple[Effect, ...]] | None:
    """The earlier verdict again for a pass (or a part of a card) seen within the cooldown."""
    for recent in state.recent:
        seen = event.digest in recent.parts if by_part else recent.digest == event.digest
        if seen and event.at - recent.at < settings.cooldown_s:
            if state.screen is Screen.VERDICT and state.shown == replace(recent.shown, repeat=True):
                return state, ()  # already on screen again: nothing to add
            again = replace(recent.shown, repeat=True)
            shown = show(without_card(state), again, event.at, settings, remember=None, wall_at=None)
            return shown, (PlaySound(again.verdict),)
    return None


def _whole(
    state: ScreenState, event: ScanDecoded, settings: UiSettings
) -> tuple[ScreenState, tuple[Effect, ...]]:
    repeat = _repeat(state, event, settings)
    if repeat is not None:
        return repeat
    # A different pass clears the previous verdict at once: nothing personal lingers (but a
    # young refusal or check stays beside, so a rush never hides it).
    cleared = retired(state, event.at, settings)
    return replace(cleared, screen=Screen.VERIFYING, verifying=event.digest, verifying_parts=()), (
        StartVerify(event.text, event.digest, event.at),
    )



def _tick(state: ScreenState, now: float, settings: UiSettings) -> ScreenState:
    state = replace(state, now=now, history=fresh_history(state.history, now))
    if state.beside_until is not None and now >= state.beside_until:
        state = replace(state, beside=None, beside_until=None)
    if state.staff_until is not None and now >= state.staff_until and state.screen is not Screen.MANUAL_LOG:
        # No staff action for staff_idle_s: the Admit buttons are not left open to the queue.
        state = replace(state, staff_until=None)
    if state.card is not None and now - state.card.last_at >= settings.chunk_timeout_s:
        # Forget the parts (they are pass text) and say why the prompt went back.
        until = now + settings.notice_seconds
        state = replace(state, card=None, notice=CardNotice.TIMED_OUT, notice_until=until)
    elif state.notice is not None and state.notice_until is not None and now >= state.notice_until:
        state = replace(state, notice=None, notice_until=None)
    recent = fresh(state.recent, now, settings)
    if state.screen is Screen.VERDICT and state.shown_until is not None and now >= state.shown_until:
        return replace(cleared(state), recent=recent)
    if recent != state.recent:
        return replace(state, recent=recent)
    return state


