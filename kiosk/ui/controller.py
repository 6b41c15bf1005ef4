"""Runs the screen model on the GUI thread: events in from workers and the window, effects out.

The controller owns the one `ScreenState`, feeds every event through
`kiosk.ui.model.update`, renders the result and carries out the effects (start a
verification on the worker, play a sound, open a slot). It holds no rules itself.
"""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from kiosk.camera.hints import Hint
from kiosk.clock import Clock
from kiosk.decision import Verdict
from kiosk.ui import events, model
from kiosk.ui.entrance.main_window import MainWindow
from kiosk.ui.model import ScreenState, UiSettings
from kiosk.ui.wedge_input import WedgeNotice
from kiosk.verify.engine import Evaluation

log = logging.getLogger(__name__)


class SoundSink(Protocol):
    """`kiosk.ui.resources.sounds.SoundPlayer` fits this: play the short sound of a verdict, never raise."""

    def play(self, verdict: Verdict) -> None: ...


class Controller(QObject):
    # Effects that leave the screen, for the composition root and the slot widgets.
    verify_requested = Signal(str, str, float)  # text, digest, monotonic time -> VerifyWorker.verify
    manual_log_opened = Signal(str)  # visit id, or "" (a visitor with no scannable pass)
    answer_record_requested = Signal(str, bool)  # store a staff answer: visit id ("" = new visit), admit
    staff_pin_requested = Signal()  # the staff PIN pad should reset itself and ask
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
        compare like with like; its wall time is shown beside the waiting checks and the last
        verdicts."""
        super().__init__(window)
        self._window = window
        self._clock = clock
        self._settings = settings
        self._sound = sound
        self.state = ScreenState(language=language, staff_open=not settings.staff_pin)
        window.scan_entered.connect(self.on_keyboard_scan)
        window.wedge_notice.connect(self.on_wedge_notice)
        window.manual_log_requested.connect(self.request_manual_log)
        window.answer_requested.connect(self.answer_tapped)
        window.set_aside_requested.connect(self.set_aside)
        window.staff_requested.connect(self.request_staff)
        window.staff_lock_requested.connect(self.lock_staff)
        window.leave_requested.connect(self.request_leave)
        window.language_toggle_requested.connect(self.toggle_language)
        window.panel_closed.connect(self.panel_closed)
        window.status_bar.set_language(language)
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(lambda: self.dispatch(events.Tick(self._clock.monotonic())))
        self._timer.start()
        window.render(self.state)

    def dispatch(self, event: events.Event) -> None:
        self.state, effects = model.update(self.state, event, self._settings)
        self._window.render(self.state)
        self._window.preview.render_card(model.card_prompt(self.state), self.state.notice)
        for effect in effects:
            self._run(effect)
        self.state_changed.emit(self.state)

    def _run(self, effect: events.Effect) -> None:
        match effect:
            case events.StartVerify():
                self.verify_requested.emit(effect.text, effect.digest, effect.at)
            case events.PlaySound():
                if self._sound is not None:
                    try:
                        self._sound.play(effect.verdict)
                    except Exception:
                        log.exception("sound failed; continuing silently")
            case events.OpenManualLog():
                self.manual_log_opened.emit(effect.visit_id or "")
            case events.RecordAnswer():
                self.answer_record_requested.emit(effect.visit_id or "", effect.admit)
            case events.AskStaffPin():
                self.staff_pin_requested.emit()
            case events.AskPin():
                self.pin_requested.emit()
            case events.LeaveKiosk():
                self.leave_confirmed.emit()

    # --- inputs from workers ---

    @Slot(str, float)
    def on_scanned(self, text: str, at: float) -> None:
        self.dispatch(events.ScanDecoded.of(text, at))

    @Slot(str)
    def on_keyboard_scan(self, text: str) -> None:
        self.dispatch(events.ScanDecoded.of(text, self._clock.monotonic()))

    @Slot(str)
    def on_wedge_notice(self, notice: str) -> None:
        self.dispatch(events.WedgeNoticed(WedgeNotice(notice), self._clock.monotonic()))

    @Slot(object, str)
    def on_evaluated(self, evaluation: Evaluation, digest: str) -> None:
        # The online call of this scan failed: the status bar says so at once.
        failed = evaluation.online_failure is not None
        now, wall = self._clock.monotonic(), self._clock.now()
        self.dispatch(events.VerdictReady(evaluation.decision, digest, now, wall, upstream_failed=failed))

    @Slot(str, str)
    def on_verify_failed(self, digest: str, key: str) -> None:
        self.dispatch(events.VerifyFailed(digest, self._clock.monotonic(), self._clock.now()))

    @Slot(object)
    def on_status(self, snapshot: events.StatusSnapshot) -> None:
        self.dispatch(events.HealthChanged(snapshot))

    @Slot(str)
    def on_camera_lost(self, key: str) -> None:
        self.dispatch(events.CameraLost(key))

    @Slot()
    def on_camera_back(self) -> None:
        self.dispatch(events.CameraBack())

    @Slot(str)
    def on_hint(self, hint: str) -> None:
        self.dispatch(events.HintChanged(Hint(hint) if hint else None))

    # --- intents from the window and the slot widgets (manual-log panel, PIN pad) ---

    @Slot(str)
    def request_manual_log(self, visit_id: str) -> None:
        self.dispatch(events.ManualLogRequested(visit_id or None, self._clock.monotonic()))

    @Slot(str, bool)
    def answer_tapped(self, visit_id: str, admit: bool) -> None:
        self.dispatch(events.AnswerTapped(visit_id or None, admit, self._clock.monotonic()))

    @Slot(str)
    def set_aside(self, visit_id: str) -> None:
        self.dispatch(events.CheckSetAside(visit_id, self._clock.monotonic()))

    @Slot()
    def request_staff(self) -> None:
        self.dispatch(events.StaffUnlockRequested(self._clock.monotonic()))

    @Slot()
    def lock_staff(self) -> None:
        self.dispatch(events.StaffLocked())

    @Slot()
    def staff_unlocked(self) -> None:
        """The staff PIN pad calls this when the staff (or the owner's) PIN was right."""
        self.dispatch(events.StaffUnlocked(self._clock.monotonic()))

    @Slot(bool, str, bool)
    def staff_answered(self, admitted: bool, visit_id: str = "", new_visit: bool = False) -> None:
        """Called once a staff answer is stored (from the panel or a tap): its visit is durable."""
        now, wall = self._clock.monotonic(), self._clock.now()
        self.dispatch(events.StaffAnswered(admitted, now, visit_id or None, wall, new_visit=new_visit))

    @Slot(str, str)
    def answer_failed(self, visit_id: str, key: str) -> None:
        """A tapped answer could not be stored (`key`: the error key)."""
        self.dispatch(events.AnswerFailed(visit_id or None, key))

    @Slot()
    def panel_closed(self) -> None:
        self.dispatch(events.PanelClosed())

    @Slot()
    def request_leave(self) -> None:
        self.dispatch(events.LeaveRequested())

    @Slot()
    def pin_accepted(self) -> None:
        """The PIN pad calls this when the owner's PIN was right."""
        self.dispatch(events.PinAccepted())

    @Slot()
    def first_run_required(self) -> None:
        self.dispatch(events.FirstRunRequired())

    @Slot()
    def first_run_done(self) -> None:
        self.dispatch(events.FirstRunDone())

    @Slot()
    def admin_opened(self) -> None:
        """The owner chose "Admin" on the unlocked owner menu."""
        self.dispatch(events.AdminOpened())

    @Slot()
    def admin_closed(self) -> None:
        self.dispatch(events.AdminClosed())

    def set_settings(self, settings: UiSettings) -> None:
        """New verdict/cooldown times from the admin screen: the next verdict uses them."""
        self._settings = settings

    @Slot()
    def toggle_language(self) -> None:
        self.set_language("en" if self.state.language == "ko" else "ko")

    def set_language(self, language: str) -> None:
        self.dispatch(events.LanguageChanged(language))
        self._window.status_bar.set_language(language)
        self.language_requested.emit(language)

    def stop(self) -> None:
        self._timer.stop()
