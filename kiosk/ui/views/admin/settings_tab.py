"""Settings the owner changes (language, camera, sound volume, verdict time, kiosk mode) and the PIN."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import Config
from kiosk.owner.account import PinRejectedError
from kiosk.owner_tools.progress import CancelCheck, ProgressCallback
from kiosk.ui.admin_jobs import Job
from kiosk.ui.admin_services import AdminServices
from kiosk.ui.admin_settings import OwnerSettings, read_settings, save_settings
from kiosk.ui.views.admin.common import button, error_text, set_state
from kiosk.ui.views.pin_pad import PinPad, PinPadMode


class SettingsTab(QWidget):
    saved = Signal(object)  # the Config now in force (the window applies what it can at once)

    def __init__(self, services: AdminServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.job: Job | None = None
        form = QFormLayout(self)
        self.language = QComboBox(self)
        self.language.addItem("한국어", "ko")  # endonyms, untranslated on purpose
        self.language.addItem("English", "en")
        self.camera = QLineEdit(self)
        self.camera.setPlaceholderText(self.tr("first camera"))
        self.volume = QSlider(Qt.Orientation.Horizontal, self)
        self.volume.setRange(0, 100)
        self.volume_value = QLabel(self)
        self.volume.valueChanged.connect(lambda v: self.volume_value.setText(f"{v} %"))
        self.verdict = QDoubleSpinBox(self)
        self.verdict.setRange(1.0, 60.0)
        self.verdict.setDecimals(1)
        self.verdict.setSingleStep(0.5)
        self.verdict.setSuffix(self.tr(" s"))
        self.kiosk_mode = QCheckBox(self.tr("Kiosk mode (full screen; leaving needs the owner PIN)"), self)
        for w in (self.language, self.camera, self.volume, self.verdict):
            w.setMinimumHeight(48)
        self.save = button(self.tr("Save settings"), "primary", self)
        self.save.setObjectName("saveSettings")
        self.save.clicked.connect(self.start_save)
        self.status = QLabel(self)
        self.status.setObjectName("settingsStatus")
        self.status.setWordWrap(True)
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Camera (number, device, video file or image folder)"), self.camera)
        form.addRow(self.tr("Sound volume"), self.volume)
        form.addRow("", self.volume_value)
        form.addRow(self.tr("Verdict shown for"), self.verdict)
        form.addRow(self.kiosk_mode)
        form.addRow(self.save)
        form.addRow(self.status)
        self.load()

    def load(self) -> None:
        """Show what config.toml holds now (it may have been edited by hand since start)."""
        try:
            current = read_settings(self._services.config_path)
        except Exception as exc:  # a broken file: say so, show the values in force
            set_state(self.status, error_text(self, exc), "error")
            current = OwnerSettings.of(self._services.config)
        self.show_settings(current)

    def show_settings(self, s: OwnerSettings) -> None:
        self.language.setCurrentIndex(max(0, self.language.findData(s.language)))
        self.camera.setText(s.camera)
        self.volume.setValue(s.sound_volume)
        self.volume_value.setText(f"{s.sound_volume} %")
        self.verdict.setValue(s.verdict_seconds)
        self.kiosk_mode.setChecked(s.kiosk_mode)

    def entered(self) -> OwnerSettings:
        return OwnerSettings(
            language=str(self.language.currentData()),
            camera=self.camera.text().strip(),
            sound_volume=self.volume.value(),
            verdict_seconds=round(self.verdict.value(), 1),
            kiosk_mode=self.kiosk_mode.isChecked(),
        )

    def start_save(self) -> None:
        if self.job is not None and self.job.running:
            return
        settings, path = self.entered(), self._services.config_path

        def work(_progress: ProgressCallback, _cancelled: CancelCheck) -> Config:
            return save_settings(path, settings)

        self.job = Job("settings", work, self)
        self.job.succeeded.connect(self._saved)
        self.job.failed.connect(lambda exc: set_state(self.status, error_text(self, exc), "error"))
        self.job.ended.connect(lambda: self.save.setEnabled(True))
        self.save.setEnabled(False)
        self.job.start()

    def _saved(self, config: Config) -> None:
        set_state(self.status, self.tr("Saved. The camera and kiosk mode change at the next start."), "ok")
        self.saved.emit(config)


class PinTab(QWidget):
    """Change the owner PIN: current, new, confirm on the PIN pad; checked on a worker (scrypt)."""

    def __init__(self, services: AdminServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.job: Job | None = None
        self.pad = PinPad(PinPadMode.CHANGE, self)
        self.pad.set_cancel_visible(False)
        self.status = QLabel(self)
        self.status.setObjectName("pinStatus")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pad, 1)
        layout.addWidget(self.status)
        self.pad.change_entered.connect(self.change)
        if services.account is None:
            self.pad.setEnabled(False)
            set_state(self.status, self.tr("No owner account on this kiosk."), "error")

    def change(self, old_pin: str, new_pin: str) -> None:
        account = self._services.account
        if account is None or (self.job is not None and self.job.running):
            return

        def work(_progress: ProgressCallback, _cancelled: CancelCheck) -> None:
            account.change_pin(old_pin, new_pin)

        self.job = Job("pin", work, self)
        self.job.succeeded.connect(self._changed)
        self.job.failed.connect(self._failed)
        set_state(self.status, "", "info")
        self.job.start()

    def _changed(self, _result: object) -> None:
        self.pad.reset()
        set_state(self.status, self.tr("The owner PIN was changed."), "ok")

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, PinRejectedError):
            self.pad.show_check(exc.check)
        else:
            self.pad.show_error(error_text(self, exc))
