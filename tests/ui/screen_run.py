"""Feeding a row of events to the screen model, one at a time as the window does."""

from __future__ import annotations

from kiosk.ui.events import Effect, Event
from kiosk.ui.model import ScreenState, UiSettings, update


def run_events(state: ScreenState, settings: UiSettings, *events: Event) -> tuple[ScreenState, list[Effect]]:
    """The state after all `events` and every effect they asked for, in order."""
    effects: list[Effect] = []
    for event in events:
        state, out = update(state, event, settings)
        effects.extend(out)
    return state, effects
