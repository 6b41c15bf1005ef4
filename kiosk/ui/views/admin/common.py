"""Small helpers shared by the admin tabs: times, error texts, touch-sized buttons."""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from kiosk.errors import KioskError
from kiosk.ui.theme import restyle


def clock_time(ts: float, tz: tzinfo, *, with_day: bool = False) -> str:
    return datetime.fromtimestamp(ts, tz).strftime("%m-%d %H:%M" if with_day else "%H:%M")


def button(text: str, kind: str = "neutral", parent: QWidget | None = None) -> QPushButton:
    b = QPushButton(text, parent)
    b.setProperty("kind", kind)
    b.setMinimumHeight(56)  # a fingertip on a touch screen
    return b


def error_text(widget: QWidget, exc: BaseException) -> str:
    """What the owner reads about a failure: the error's own sentence, or a fixed line (never a trace)."""
    if isinstance(exc, KioskError):
        return widget.tr("Not done: %1").replace("%1", exc.message)
    return widget.tr("Not done: an unexpected error (its type is in the kiosk's log).")


def set_state(label: QLabel, text: str, state: str) -> None:
    """A status line styled by its `state` property ("ok", "error", "info")."""
    label.setText(text)
    label.setProperty("state", state)
    restyle(label)
