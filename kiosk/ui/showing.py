"""How a verdict takes the screen and leaves it: the history, the verdict beside, the cooldown memory.

Pure helpers of `kiosk.ui.model.update` and `kiosk.ui.staff_rules`. No Qt here.
"""

from __future__ import annotations

from dataclasses import replace

from kiosk.decision import Verdict
from kiosk.ui.screen_state import Recent, Screen, ScreenState, Shown, UiSettings
from kiosk.ui.staff_queue import Past
from kiosk.ui.staff_queue import remember as remember_past


def past(shown: Shown, wall_at: float, at: float) -> Past:
    return Past(shown.verdict, wall_at, shown.holder_masked, shown.verified_by, at)


def show(
    state: ScreenState,
    shown: Shown,
    at: float,
    settings: UiSettings,
    *,
    remember: str | None,
    parts: tuple[str, ...] = (),
    wall_at: float | None,
) -> ScreenState:
    """Put a verdict on screen; `wall_at` None: a repeat, which the history already holds."""
    recent = fresh(state.recent, at, settings)
    if remember is not None:
        recent = (*(r for r in recent if r.digest != remember), Recent(remember, shown, at, parts))
    history = state.history if wall_at is None else remember_past(state.history, past(shown, wall_at, at))
    return replace(
        retired(state, at, settings, replacing=shown.visit_id),
        screen=Screen.VERDICT,
        verifying=None,
        verifying_parts=(),
        notice=None,
        notice_until=None,
        hint=None,
        shown=shown,
        shown_since=at,
        shown_until=at + settings.verdict_seconds,
        recent=recent,
        history=history,
    )


def retired(
    state: ScreenState, at: float, settings: UiSettings, *, replacing: str | None = None
) -> ScreenState:
    """The verdict on screen makes way for a newer one; a refusal or check that has been up
    for less than `min_verdict_s` moves beside it (for that long again). Not when the newer
    one is about the same visit (`replacing`: the staff's answer to the check on screen)."""
    old = state.shown if state.screen is Screen.VERDICT else None
    young = state.shown_since is not None and at - state.shown_since < settings.min_verdict_s
    other = old is not None and (old.visit_id is None or old.visit_id != replacing)
    if old is not None and other and young and old.verdict is not Verdict.ADMIT and not old.repeat:
        state = replace(state, beside=old, beside_until=at + settings.min_verdict_s)
    return cleared(state)


def without_card(state: ScreenState) -> ScreenState:
    if state.card is None and state.notice is None:
        return state
    return replace(state, card=None, notice=None, notice_until=None)


def cleared(state: ScreenState) -> ScreenState:
    screen = Screen.IDLE if state.screen is Screen.VERDICT else state.screen
    return replace(state, screen=screen, shown=None, shown_since=None, shown_until=None)



def fresh(recent: tuple[Recent, ...], now: float, settings: UiSettings) -> tuple[Recent, ...]:
    # The cooldown memory holds masked names for at most cooldown_s: then it is gone too.
    return tuple(r for r in recent if now - r.at < settings.cooldown_s)

