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
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from kiosk.config import UiConfig
from kiosk.decision import Decision, Reason, Verdict, VerifiedBy
from kiosk.passes.shc_qr import ShcChunk
from kiosk.ui.card_parts import CardInProgress, CardNotice, add_part, chunk_of
from kiosk.ui.events import (
    AdminClosed,
    AdminOpened,
    AskPin,
    CameraBack,
    CameraLost,
    Effect,
    Event,
    FirstRunDone,
    FirstRunRequired,
    HealthChanged,
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
    StatusSnapshot,
    Tick,
    VerdictReady,
    VerifyFailed,
)


class Screen(StrEnum):
    IDLE = "idle"  # live preview and the prompt
    VERIFYING = "verifying"  # preview with "checking…"; new scans wait in the queue outside
    VERDICT = "verdict"
    MANUAL_LOG = "manual_log"  # the staff panel (another module's widget in the window's slot)
    PIN = "pin"  # the owner's PIN pad, e.g. before leaving kiosk mode
    FIRST_RUN = "first_run"  # a fresh install: the owner chooses a PIN before the door opens
    ADMIN = "admin"  # the owner's admin screen, opened from the owner menu after the PIN


@dataclass(frozen=True, slots=True)
class UiSettings:
    verdict_seconds: float = 4.0
    cooldown_s: float = 5.0
    # Since the last new part of a chunked card: long enough to swipe to the next QR on a
    # phone or turn a paper card over, short enough that the next visitor starts afresh.
    chunk_timeout_s: float = 15.0
    notice_seconds: float = 4.0

    @classmethod
    def from_config(cls, ui: UiConfig) -> UiSettings:
        return cls(ui.verdict_seconds, ui.cooldown_s, ui.chunk_timeout_s)


@dataclass(frozen=True, slots=True)
class Shown:
    """What a verdict screen shows: the decision without anything that is not displayed."""

    verdict: Verdict
    reason: Reason | None  # None: the visit could not be saved (a system problem, staff check)
    verified_by: VerifiedBy
    holder_masked: str | None
    visit_id: str | None
    repeat: bool = False  # shown again from the cooldown memory: no new visit was logged

    @classmethod
    def of(cls, decision: Decision) -> Shown:
        return cls(
            decision.verdict, decision.reason, decision.verified_by, decision.holder_masked, decision.visit_id
        )


@dataclass(frozen=True, slots=True)
class Recent:
    """A verdict remembered for the cooldown: the same pass again soon shows it, logs nothing."""

    digest: str
    shown: Shown
    at: float  # monotonic time of the verdict
    parts: tuple[str, ...] = ()  # digests of a chunked card's QR texts: each one repeats the verdict


@dataclass(frozen=True, slots=True)
class ScreenState:
    screen: Screen = Screen.IDLE
    verifying: str | None = None  # digest of the scan being verified
    shown: Shown | None = None
    shown_until: float | None = None  # monotonic; the verdict clears itself then
    recent: tuple[Recent, ...] = ()
    camera_ok: bool = True
    camera_problem: str | None = None  # the installer's hint (no personal data)
    status: StatusSnapshot | None = None
    language: str = "ko"
    manual_visit_id: str | None = None  # the visit the manual-log panel answers for
    card: CardInProgress | None = None  # a chunked SMART Health Card being scanned
    verifying_parts: tuple[str, ...] = ()  # the chunk digests of the card being verified
    notice: CardNotice | None = None
    notice_until: float | None = None  # monotonic


def card_prompt(state: ScreenState) -> tuple[int, int] | None:
    """(part to show next, total) while a chunked card is incomplete on the idle screen."""
    card = state.card
    if card is None or state.screen is not Screen.IDLE:
        return None
    part = card.next_part
    return None if part is None else (part, card.total)


def manual_log_offered(state: ScreenState) -> bool:
    """Is the status bar's "Manual log" button shown? Not on the owner's screens (it would do
    nothing there) and not while the panel is already open."""
    return state.screen not in _OWNER_SCREENS and state.screen is not Screen.MANUAL_LOG


# Screens a scan may not interrupt: staff are typing there.
_STAFF_SCREENS = frozenset({Screen.MANUAL_LOG, Screen.PIN, Screen.FIRST_RUN, Screen.ADMIN})
# Screens where only their own way out applies (no manual log, no corner press on top).
_OWNER_SCREENS = frozenset({Screen.PIN, Screen.FIRST_RUN, Screen.ADMIN})
# Pages the panels' own Back/Cancel may close (first run has no way back).
_CLOSABLE = frozenset({Screen.MANUAL_LOG, Screen.PIN})


def update(
    state: ScreenState, event: Event, settings: UiSettings = UiSettings()
) -> tuple[ScreenState, tuple[Effect, ...]]:
    """The next screen state and the effects to run, for one event."""
    match event:
        case ScanDecoded():
            return _scan(state, event, settings)
        case VerdictReady():
            if event.digest != state.verifying:
                return state, ()  # an answer nobody waits for any more
            shown = Shown.of(event.decision)
            parts = state.verifying_parts
            if state.screen in _STAFF_SCREENS:
                # The owner opened the PIN pad while this pass was being checked: the
                # visit is logged and remembered for the cooldown, the staff page stays.
                remembered = Recent(event.digest, shown, event.at, parts)
                recent = (*_fresh(state.recent, event.at, settings), remembered)
                return replace(state, verifying=None, verifying_parts=(), recent=recent), ()
            shown_state = _show(state, shown, event.at, settings, remember=event.digest, parts=parts)
            return shown_state, (PlaySound(shown.verdict),)
        case VerifyFailed():
            if event.digest != state.verifying:
                return state, ()
            if state.screen in _STAFF_SCREENS:
                return replace(state, verifying=None, verifying_parts=()), ()
            shown = Shown(Verdict.MANUAL, None, VerifiedBy.NONE, None, None)
            return _show(state, shown, event.at, settings, remember=None), (PlaySound(Verdict.MANUAL),)
        case Tick():
            return _tick(state, event.now, settings), ()
        case HealthChanged():
            return replace(state, status=event.snapshot), ()
        case CameraLost():
            return replace(state, camera_ok=False, camera_problem=event.hint), ()
        case CameraBack():
            return replace(state, camera_ok=True, camera_problem=None), ()
        case ManualLogRequested():
            if state.screen in _OWNER_SCREENS or state.verifying is not None:
                return state, ()
            cleared = _without_card(_cleared(state))
            return replace(cleared, screen=Screen.MANUAL_LOG, manual_visit_id=event.visit_id), (
                OpenManualLog(event.visit_id),
            )
        case StaffAnswered():
            if state.screen is not Screen.MANUAL_LOG:
                return state, ()
            verdict = Verdict.ADMIT if event.admitted else Verdict.DENY
            reason = Reason.STAFF_CONFIRMED if event.admitted else Reason.STAFF_REJECTED
            shown = Shown(verdict, reason, VerifiedBy.STAFF, None, event.visit_id)
            after = replace(state, manual_visit_id=None)
            return _show(after, shown, event.at, settings, remember=None), (PlaySound(verdict),)
        case PanelClosed():
            if state.screen not in _CLOSABLE:
                return state, ()
            return replace(state, screen=Screen.IDLE, manual_visit_id=None), ()
        case LeaveRequested():
            if state.screen in _OWNER_SCREENS:
                return state, ()
            asked = replace(_without_card(_cleared(state)), screen=Screen.PIN, manual_visit_id=None)
            return asked, (AskPin(),)
        case PinAccepted():
            if state.screen is not Screen.PIN:
                return state, ()
            return replace(state, screen=Screen.IDLE), (LeaveKiosk(),)
        case LanguageChanged():
            return replace(state, language=event.language), ()
        case FirstRunRequired():
            return replace(_without_card(_cleared(state)), screen=Screen.FIRST_RUN, manual_visit_id=None), ()
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
    if state.screen in _STAFF_SCREENS or state.verifying is not None:
        # One queue at the entrance: the visitor being checked is served first; the
        # next one is read again by the camera once the verdict is up.
        return state, ()
    chunk = chunk_of(event.text)
    if chunk is not None:
        return _card_part(state, event, chunk, settings)
    # Any other code ends a card being collected: the visitor switched passes.
    return _whole(_without_card(state), event, settings)


def _card_part(
    state: ScreenState, event: ScanDecoded, chunk: ShcChunk, settings: UiSettings
) -> tuple[ScreenState, tuple[Effect, ...]]:
    repeat = _repeat(state, event, settings, by_part=True)
    if repeat is not None:
        return repeat
    added = add_part(state.card, chunk, event.digest, event.at)
    if added.whole_text is not None:
        whole = ScanDecoded.of(added.whole_text, event.at)
        after, effects = _whole(_without_card(state), whole, settings)
        if after.verifying == whole.digest:
            after = replace(after, verifying_parts=added.card.parts)
        return after, effects
    # A new card clears the previous verdict at once, like any other new pass.
    if added.restarted:
        notice, until = CardNotice.RESTARTED, event.at + settings.notice_seconds
        return replace(_cleared(state), card=added.card, notice=notice, notice_until=until), ()
    return replace(_cleared(state), card=added.card), ()


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
            shown = _show(_without_card(state), again, event.at, settings, remember=None)
            return shown, (PlaySound(again.verdict),)
    return None


def _whole(
    state: ScreenState, event: ScanDecoded, settings: UiSettings
) -> tuple[ScreenState, tuple[Effect, ...]]:
    repeat = _repeat(state, event, settings)
    if repeat is not None:
        return repeat
    # A different pass clears the previous verdict at once: nothing personal lingers.
    cleared = _cleared(state)
    return replace(cleared, screen=Screen.VERIFYING, verifying=event.digest, verifying_parts=()), (
        StartVerify(event.text, event.digest, event.at),
    )


def _show(
    state: ScreenState,
    shown: Shown,
    at: float,
    settings: UiSettings,
    *,
    remember: str | None,
    parts: tuple[str, ...] = (),
) -> ScreenState:
    recent = _fresh(state.recent, at, settings)
    if remember is not None:
        recent = (*(r for r in recent if r.digest != remember), Recent(remember, shown, at, parts))
    return replace(
        state,
        screen=Screen.VERDICT,
        verifying=None,
        verifying_parts=(),
        notice=None,
        notice_until=None,
        shown=shown,
        shown_until=at + settings.verdict_seconds,
        recent=recent,
    )


def _without_card(state: ScreenState) -> ScreenState:
    if state.card is None and state.notice is None:
        return state
    return replace(state, card=None, notice=None, notice_until=None)


def _cleared(state: ScreenState) -> ScreenState:
    screen = Screen.IDLE if state.screen is Screen.VERDICT else state.screen
    return replace(state, screen=screen, shown=None, shown_until=None)


def _tick(state: ScreenState, now: float, settings: UiSettings) -> ScreenState:
    if state.card is not None and now - state.card.last_at >= settings.chunk_timeout_s:
        # Forget the parts (they are pass text) and say why the prompt went back.
        until = now + settings.notice_seconds
        state = replace(state, card=None, notice=CardNotice.TIMED_OUT, notice_until=until)
    elif state.notice is not None and state.notice_until is not None and now >= state.notice_until:
        state = replace(state, notice=None, notice_until=None)
    recent = _fresh(state.recent, now, settings)
    if state.screen is Screen.VERDICT and state.shown_until is not None and now >= state.shown_until:
        return replace(_cleared(state), recent=recent)
    if recent != state.recent:
        return replace(state, recent=recent)
    return state


def _fresh(recent: tuple[Recent, ...], now: float, settings: UiSettings) -> tuple[Recent, ...]:
    # The cooldown memory holds masked names for at most cooldown_s: then it is gone too.
    return tuple(r for r in recent if now - r.at < settings.cooldown_s)
