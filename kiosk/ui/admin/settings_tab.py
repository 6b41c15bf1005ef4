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
from kiosk.ui.admin.common import StatusLine, button, error_text
from kiosk.ui.admin.jobs import Job
from kiosk.ui.admin.services import AdminServices
from kiosk.ui.admin.settings import OwnerSettings, read_settings, save_settings
from kiosk.ui.owner.pin_pad import PinPad, PinPadMode
from kiosk.ui.resources.i18n import Retranslating


class SettingsTab(Retranslating, QWidget):
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
        self.volume = QSlider(Qt.Orientation.Horizontal, self)
        self.volume.setRange(0, 100)
        self.volume_value = QLabel(self)
        self.volume.valueChanged.connect(lambda v: self.volume_value.setText(f"{v} %"))
        self.verdict = QDoubleSpinBox(self)
        self.verdict.setRange(1.0, 60.0)
        self.verdict.setDecimals(1)
        self.verdict.setSingleStep(0.5)
        self.kiosk_mode = QCheckBox(self)
        for w in (self.language, self.camera, self.volume, self.verdict):
            w.setMinimumHeight(48)
        self.save = button("", "primary", self)
        self.save.setObjectName("saveSettings")
        self.save.clicked.connect(self.start_save)
        self.status = StatusLine("settingsStatus", self)
        self._labels = [QLabel(self) for _ in range(4)]
        fields = (self.language, self.camera, self.volume, self.verdict)
        for label, field in zip(self._labels[:3], fields[:3], strict=True):
            form.addRow(label, field)
        form.addRow("", self.volume_value)
        form.addRow(self._labels[3], self.verdict)
        form.addRow(self.kiosk_mode)
        form.addRow(self.save)
        form.addRow(self.status)
        self.retranslate()
        self.load()

    def retranslate(self) -> None:
        self.camera.setPlaceholderText(self.tr("first camera"))
        self.verdict.setSuffix(self.tr(" s"))
        self.kiosk_mode.setText(self.tr("Kiosk mode (full screen; leaving needs the owner PIN)"))
        self.save.setText(self.tr("Save settings"))
        names = (
            self.tr("Language"),
            self.tr("Camera (number, device, video file or image folder)"),
            self.tr("Sound volume"),
            self.tr("Verdict shown for"),
        )
        for label, name in zip(self._labels, names, strict=True):
            label.setText(name)

    def load(self) -> None:
        """Show what config.toml holds now (it may have been edited by hand since start)."""
        try:
            current = read_settings(self._services.config_path)
        except Exception as exc:  # a broken file: say so, show the values in force
            self.status.say(error_text(exc), "error")
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
        self.job.failed.connect(lambda exc: self.status.say(error_text(exc), "error"))
        self.job.ended.connect(lambda: self.save.setEnabled(True))
        self.save.setEnabled(False)
        self.job.start()

    def _saved(self, config: Config) -> None:
        self.status.say(lambda: self.tr("Saved. The camera and kiosk mode change at the next start."), "ok")
        self.saved.emit(config)


class PinTab(Retranslating, QWidget):
    """Change the owner PIN: current, new, confirm on the PIN pad; checked on a worker (scrypt)."""

    def __init__(self, services: AdminServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.job: Job | None = None
        self.pad = PinPad(PinPadMode.CHANGE, self)
        self.pad.set_cancel_visible(False)
        self.status = StatusLine("pinStatus", self)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pad, 1)
        layout.addWidget(self.status)
        self.pad.change_entered.connect(self.change)
        if services.account is None:
            self.pad.setEnabled(False)
            self.status.say(lambda: self.tr("No owner account on this kiosk."), "error")

    def retranslate(self) -> None:
        """The PIN pad and the status line say their own texts again; nothing else here has words."""

    def change(self, old_pin: str, new_pin: str) -> None:
        account = self._services.account
        if account is None or (self.job is not None and self.job.running):
            return

        def work(_progress: ProgressCallback, _cancelled: CancelCheck) -> None:
            account.change_pin(old_pin, new_pin)

        self.job = Job("pin", work, self)
        self.job.succeeded.connect(self._changed)
        self.job.failed.connect(self._failed)
        self.status.clear_line()
        self.job.start()

    def _changed(self, _result: object) -> None:
        self.pad.reset()
        self.status.say(lambda: self.tr("The owner PIN was changed."), "ok")

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, PinRejectedError):
            self.pad.show_check(exc.check)
        else:
            self.pad.show_error(error_text(exc))
