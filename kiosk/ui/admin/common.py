"""Small helpers shared by the admin tabs: times, error texts, touch-sized buttons, status lines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from kiosk.errors import KioskError
from kiosk.ui.admin.error_texts import ADMIN_ERROR_TEXTS, CONTEXT
from kiosk.ui.resources.i18n import Retranslating
from kiosk.ui.resources.theme import restyle

# A text that can be said again in the language now installed (a closure over the values shown).
Render = Callable[[], str]


def clock_time(ts: float, tz: tzinfo, *, with_day: bool = False) -> str:
    return datetime.fromtimestamp(ts, tz).strftime("%m-%d %H:%M" if with_day else "%H:%M")


def button(text: str, kind: str = "neutral", parent: QWidget | None = None) -> QPushButton:
    b = QPushButton(text, parent)
    b.setProperty("kind", kind)
    b.setMinimumHeight(56)  # a fingertip on a touch screen
    return b


def error_text(exc: BaseException) -> Render:
    """What the owner reads about a failure: the key's plain sentence, or a fixed line (never a trace).

    A render, so a status line can say it again after a language switch. It keeps only the key,
    the detail and the message: the exception's traceback (a worker's frames, a PIN among their
    locals) is let go. A key without a sentence (or without the value its sentence needs) shows
    the error's English message, so nothing is hidden.
    A fixed context rather than a widget's `tr()`: lupdate files `widget.tr()` under the variable's
    name, which is not the context Qt looks in at run time (the class name), so it never translated.
    """
    message = exc.message if isinstance(exc, KioskError) else None
    sentence = ADMIN_ERROR_TEXTS.get(exc.key) if isinstance(exc, KioskError) else None
    detail = exc.detail if isinstance(exc, KioskError) else None
    if sentence is not None and "%2" in sentence and detail is None:
        sentence = None

    def render() -> str:
        if sentence is not None:
            said = QCoreApplication.translate(CONTEXT, sentence)
            said = said.replace("%2", detail) if detail is not None else said
            return QCoreApplication.translate(CONTEXT, "Not done: %1").replace("%1", said)
        if message is not None:
            return QCoreApplication.translate("AdminError", "Not done: %1").replace("%1", message)
        return QCoreApplication.translate(
            "AdminError", "Not done: an unexpected error (its type is in the kiosk's log)."
        )

    return render


def set_state(label: QLabel, text: str, state: str) -> None:
    """A status line styled by its `state` property ("ok", "error", "info")."""
    label.setText(text)
    label.setProperty("state", state)
    restyle(label)


def _nothing() -> str:
    return ""


class StatusLine(Retranslating, QLabel):
    """A status line that keeps *how* its message was made, so a language switch says it again.

    Keeping the finished string would leave it in the old language; keeping the render (the
    `tr()` call with the values of then: a count, a path, an error) re-renders the same message.
    """

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self._render: Render = _nothing
        self._state = "info"

    def say(self, render: Render, state: str = "info") -> None:
        self._render, self._state = render, state
        self.retranslate()

    def clear_line(self) -> None:
        self.say(_nothing)

    def retranslate(self) -> None:
        set_state(self, self._render(), self._state)


class WhyDisabled(StatusLine):
    """Controls that, when disabled, say why: as their tooltip and in this visible one-line hint."""

    def __init__(self, name: str, *controls: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(name, parent)
        self.controls = controls
        self.hide()

    def set_reason(self, reason: Render | None) -> None:
        """None enables the controls; a reason disables them and is shown."""
        for control in self.controls:
            control.setEnabled(reason is None)
        self.say(reason or _nothing)
        self.setVisible(reason is not None)

    def retranslate(self) -> None:
        super().retranslate()
        for control in self.controls:
            control.setToolTip(self.text())
