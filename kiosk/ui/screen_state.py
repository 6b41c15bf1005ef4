"""The entrance screen's state as frozen values, and what the window reads off it. No Qt here.

`kiosk.ui.model.update` makes each next state; the window renders one through the
read-only queries below (which buttons show, the health the status bar says, the
verdict's countdown), so it holds no rules itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from kiosk.camera.hints import Hint
from kiosk.config import UiConfig
from kiosk.decision import Decision, Health, Reason, Verdict, VerifiedBy
from kiosk.ui.card_parts import CardInProgress, CardNotice
from kiosk.ui.events import (
    AnswerTapped,
    CheckSetAside,
    ManualLogRequested,
    StaffUnlockRequested,
    StatusSnapshot,
)
from kiosk.ui.staff_queue import Check, Past, StaffQueue
from kiosk.ui.wedge_input import WedgeNotice


class Screen(StrEnum):
    IDLE = "idle"  # live preview and the prompt
    VERIFYING = "verifying"  # preview with "checking…"; new scans wait in the queue outside
    VERDICT = "verdict"
    MANUAL_LOG = "manual_log"  # the staff panel (another module's widget in the window's slot)
    STAFF_PIN = "staff_pin"  # the staff PIN pad, before a staff action while locked
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
    min_verdict_s: float = 2.0
    staff_pin: bool = True
    staff_idle_s: float = 60.0

    @classmethod
    def from_config(cls, ui: UiConfig) -> UiSettings:
        return cls(
            ui.verdict_seconds,
            ui.cooldown_s,
            ui.chunk_timeout_s,
            min_verdict_s=ui.min_verdict_s,
            staff_pin=ui.staff_pin,
            staff_idle_s=ui.staff_idle_s,
        )


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
    notice: CardNotice | WedgeNotice | None = None  # a card dropped; the scanner's wrong mode
    notice_until: float | None = None  # monotonic
    now: float = 0.0  # monotonic time of the last tick (the verdict's countdown)
    shown_since: float | None = None  # monotonic; when the verdict on screen appeared
    beside: Shown | None = None  # a young refusal or check kept beside the next verdict
    beside_until: float | None = None
    history: tuple[Past, ...] = ()  # the last verdicts, newest first
    checks: StaffQueue = field(default_factory=StaffQueue)  # staff checks waiting for an answer
    staff_open: bool = False  # staff tools unlocked (always, when no staff PIN is asked)
    staff_until: float | None = None  # monotonic; the unlock ends then without a staff action
    pending: StaffAction | None = None  # the staff action waiting for the staff PIN
    staff_error: str | None = None  # error key of the last tapped answer that was not stored
    fell_back: bool = False  # the last verdict fell back because its upstream call failed
    # The camera's latest hint for a code in view but unread (its chooser already waited
    # ~1.5 s of unread frames); forgotten at any scan, shown through `visitor_hint`.
    hint: Hint | None = None




StaffAction = AnswerTapped | CheckSetAside | ManualLogRequested | StaffUnlockRequested
NEW_VISIT = ""  # `StaffQueue.answering` entry of an answer for a visitor with no scannable pass


def card_prompt(state: ScreenState) -> tuple[int, int] | None:
    """(part to show next, total) while a chunked card is incomplete on the idle screen."""
    card = state.card
    if card is None or state.screen is not Screen.IDLE:
        return None
    part = card.next_part
    return None if part is None else (part, card.total)


def staff_unlock_offered(state: ScreenState) -> bool:
    """Is the status bar's Staff button shown? On the entrance screens while the staff tools
    are locked: the one way to them (unlocked, the no-pass row takes its place)."""
    return state.screen in ENTRANCE and not state.staff_open


def no_pass_offered(state: ScreenState) -> bool:
    """Is the row for a visitor with no scannable pass shown? On the entrance, while unlocked."""
    return state.screen in ENTRANCE and state.staff_open


def check_on_screen(state: ScreenState) -> Check | None:
    """The waiting check the verdict on screen is about (its Admit/Deny answer it)."""
    if state.screen is not Screen.VERDICT or state.shown is None:
        return None
    return state.checks.get(state.shown.visit_id)


def strip_checks(state: ScreenState) -> tuple[Check, ...]:
    """The waiting checks the strip lists, oldest first: all but the one on screen."""
    on_screen = check_on_screen(state)
    return tuple(c for c in state.checks.checks if c is not on_screen)


def shown_health(state: ScreenState) -> Health | None:
    """The health the status bar shows: a verdict that fell back says degraded at once."""
    s = state.status
    if s is None:
        return None
    if not s.online_configured:
        return Health.OFFLINE
    if state.fell_back and s.health is Health.ONLINE:
        return Health.DEGRADED
    return s.health


def outage_banner(state: ScreenState) -> bool:
    """The idle screen says staff check tokens while the configured service is not usable."""
    configured = state.status is not None and state.status.online_configured
    return configured and state.screen in (Screen.IDLE, Screen.VERIFYING) and shown_health(state) in (
        Health.DEGRADED,
        Health.OFFLINE,
    )


def visitor_hint(state: ScreenState) -> Hint | None:
    """The hint over the guide: on the idle screen with a live camera only (never over a
    "checking…" or a verdict; a hint that came meanwhile waits for the idle screen)."""
    return state.hint if state.screen is Screen.IDLE and state.camera_ok else None


def countdown(state: ScreenState) -> float | None:
    """The share of the verdict's time left (1 -> 0), for the thin bar under it."""
    if state.screen is not Screen.VERDICT or state.shown_until is None or state.shown_since is None:
        return None
    span = state.shown_until - state.shown_since
    return None if span <= 0 else max(0.0, min(1.0, (state.shown_until - state.now) / span))


ENTRANCE = frozenset({Screen.IDLE, Screen.VERIFYING, Screen.VERDICT})
# Screens a scan may not interrupt: staff are typing there.
STAFF_SCREENS = frozenset({Screen.MANUAL_LOG, Screen.STAFF_PIN, Screen.PIN, Screen.FIRST_RUN, Screen.ADMIN})
# Screens where only their own way out applies (no manual log, no corner press on top).
OWNER_SCREENS = frozenset({Screen.PIN, Screen.FIRST_RUN, Screen.ADMIN})
# Pages the panels' own Back/Cancel may close (first run has no way back).
CLOSABLE = frozenset({Screen.MANUAL_LOG, Screen.STAFF_PIN, Screen.PIN})

