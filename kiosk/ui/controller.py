"""Runs the screen model on the GUI thread: events in from workers and the window, effects out.

The controller owns the one `ScreenState`, feeds every event through
`kiosk.ui.model.update`, renders the result and carries out the effects (start a
verification on the worker, play a sound, open a slot). It holds no rules itself.
"""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from kiosk.clock import Clock
from kiosk.decision import Verdict
from kiosk.ui import model
from kiosk.ui.entrance.main_window import MainWindow
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
from kiosk.ui.model import ScreenState, UiSettings
from kiosk.verify.engine import Evaluation

log = logging.getLogger(__name__)


class SoundSink(Protocol):
    """`kiosk.ui.resources.sounds.SoundPlayer` fits this: play the short sound of a verdict, never raise."""

    def play(self, verdict: Verdict) -> None: ...


class Controller(QObject):
    # Effects that leave the screen, for the composition root and the slot widgets.
    verify_requested = Signal(str, str, float)  # text, digest, monotonic time -> VerifyWorker.verify
    manual_log_opened = Signal(str)  # visit id of the CHECK verdict, or "" (staff-initiated)
    pin_requested = Signal()  # the PIN pad should reset itself and ask
    leave_confirmed = Signal()  # the owner's PIN was accepted: the app may close
    language_requested = Signal(str)  # "ko" | "en": install that translator
    state_changed = Signal(object)  # ScreenState, after every event

    def __init__(
        self,
        window: MainWindow,
        clock: Clock,
        *,
        settings: UiSettings,
        language: str = "ko",
        sound: SoundSink | None = None,
        tick_ms: int = 200,
    ) -> None:
        """`clock`: the one the camera stamps its scans with, so verdict and cooldown times
        compare like with like."""
        super().__init__(window)
        self._window = window
        self._clock = clock
        self._settings = settings
        self._sound = sound
        self.state = ScreenState(language=language)
        window.scan_entered.connect(self.on_keyboard_scan)
        window.manual_log_requested.connect(self.request_manual_log)
        window.leave_requested.connect(self.request_leave)
        window.language_toggle_requested.connect(self.toggle_language)
        window.panel_closed.connect(self.panel_closed)
        window.status_bar.set_language(language)
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(lambda: self.dispatch(Tick(self._clock.monotonic())))
        self._timer.start()
        window.render(self.state)

    def dispatch(self, event: Event) -> None:
        self.state, effects = model.update(self.state, event, self._settings)
        self._window.render(self.state)
        self._window.preview.render_card(model.card_prompt(self.state), self.state.notice)
        for effect in effects:
            self._run(effect)
        self.state_changed.emit(self.state)

    def _run(self, effect: Effect) -> None:
        match effect:
            case StartVerify():
                self.verify_requested.emit(effect.text, effect.digest, effect.at)
            case PlaySound():
                if self._sound is not None:
                    try:
                        self._sound.play(effect.verdict)
                    except Exception:
                        log.exception("sound failed; continuing silently")
            case OpenManualLog():
                self.manual_log_opened.emit(effect.visit_id or "")
            case AskPin():
                self.pin_requested.emit()
            case LeaveKiosk():
                self.leave_confirmed.emit()

    # --- inputs from workers ---

    @Slot(str, float)
    def on_scanned(self, text: str, at: float) -> None:
        self.dispatch(ScanDecoded.of(text, at))

    @Slot(str)
    def on_keyboard_scan(self, text: str) -> None:
        self.dispatch(ScanDecoded.of(text, self._clock.monotonic()))

    @Slot(object, str)
    def on_evaluated(self, evaluation: Evaluation, digest: str) -> None:
        self.dispatch(VerdictReady(evaluation.decision, digest, self._clock.monotonic()))

    @Slot(str, str)
    def on_verify_failed(self, digest: str, key: str) -> None:
        self.dispatch(VerifyFailed(digest, self._clock.monotonic()))

    @Slot(object)
    def on_status(self, snapshot: StatusSnapshot) -> None:
        self.dispatch(HealthChanged(snapshot))

    @Slot(str)
    def on_camera_lost(self, key: str) -> None:
        self.dispatch(CameraLost(key))

    @Slot()
    def on_camera_back(self) -> None:
        self.dispatch(CameraBack())

    # --- intents from the window and the slot widgets (manual-log panel, PIN pad) ---

    @Slot(str)
    def request_manual_log(self, visit_id: str) -> None:
        self.dispatch(ManualLogRequested(visit_id or None))

    @Slot(bool, str)
    def staff_answered(self, admitted: bool, visit_id: str = "") -> None:
        """The manual-log panel calls this once the staff's answer is stored."""
        self.dispatch(StaffAnswered(admitted, self._clock.monotonic(), visit_id or None))

    @Slot()
    def panel_closed(self) -> None:
        self.dispatch(PanelClosed())

    @Slot()
    def request_leave(self) -> None:
        self.dispatch(LeaveRequested())

    @Slot()
    def pin_accepted(self) -> None:
        """The PIN pad calls this when the owner's PIN was right."""
        self.dispatch(PinAccepted())

    @Slot()
    def first_run_required(self) -> None:
        self.dispatch(FirstRunRequired())

    @Slot()
    def first_run_done(self) -> None:
        self.dispatch(FirstRunDone())

    @Slot()
    def admin_opened(self) -> None:
        """The owner chose "Admin" on the unlocked owner menu."""
        self.dispatch(AdminOpened())

    @Slot()
    def admin_closed(self) -> None:
        self.dispatch(AdminClosed())

    def set_settings(self, settings: UiSettings) -> None:
        """New verdict/cooldown times from the admin screen: the next verdict uses them."""
        self._settings = settings

    @Slot()
    def toggle_language(self) -> None:
        self.set_language("en" if self.state.language == "ko" else "ko")

    def set_language(self, language: str) -> None:
        self.dispatch(LanguageChanged(language))
        self._window.status_bar.set_language(language)
        self.language_requested.emit(language)

    def stop(self) -> None:
        self._timer.stop()
