"""Export the visit log (a day range, CSV or XLSX, a folder) on a worker, with progress and Cancel.

Phone numbers of manual entries are included only when the owner ticks the box and
enters the PIN again on this tab: the PIN unlocks the owner's private key on the
worker (scrypt takes a moment), and the key lives only as long as that job.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.errors import KioskError
from kiosk.owner.account import PinRejectedError
from kiosk.owner_tools.dates import PRESETS, DayRange, day_range, preset_days
from kiosk.owner_tools.export import ExportRequest, ExportResult, export_visits
from kiosk.owner_tools.progress import CancelCheck, ProgressCallback
from kiosk.timefmt import local_today
from kiosk.ui.admin.common import StatusLine, WhyDisabled, button, error_text
from kiosk.ui.admin.fields import FolderField, date_edit, day_of
from kiosk.ui.admin.jobs import Job
from kiosk.ui.admin.services import AdminServices
from kiosk.ui.owner.pin_pad import PinPad, PinPadMode
from kiosk.ui.resources.i18n import Retranslating


class ExportTab(Retranslating, QWidget):
    job_created = Signal(object)  # the Job, before it starts (a status bar or a test can follow it)

    def __init__(self, services: AdminServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.job: Job | None = None
        self._pending: tuple[DayRange, str] | None = None
        today = local_today(services.clock.now(), services.tz)

        form_page = QWidget(self)
        form = QFormLayout(form_page)
        self.first = date_edit(today, form_page)
        self.last = date_edit(today, form_page)
        self.fmt = QComboBox(form_page)
        self.fmt.addItem("", "csv")  # item texts in retranslate(): items stay, so does the choice
        self.fmt.addItem("", "xlsx")
        self.fmt.setMinimumHeight(48)
        self.folder = FolderField(form_page)
        self.presets = {name: button("", "neutral", form_page) for name in PRESETS}
        presets = QHBoxLayout()
        for name, preset in self.presets.items():
            preset.setObjectName(f"preset_{name}")
            preset.clicked.connect(lambda _=False, n=name: self.use_preset(n))
            presets.addWidget(preset)
        self.phones = QCheckBox(form_page)
        self.phones_why = WhyDisabled("phonesWhy", self.phones, parent=form_page)
        if services.account is None:
            self.phones_why.set_reason(
                lambda: self.tr("No owner account on this kiosk, so there are no phone numbers to open.")
            )
        self._labels = [QLabel(form_page) for _ in range(4)]
        form.addRow(presets)
        for label, field in zip(self._labels, (self.first, self.last, self.fmt, self.folder), strict=True):
            form.addRow(label, field)
        form.addRow(self.phones)
        form.addRow(self.phones_why)
        self.export = button("", "primary", form_page)
        self.export.setObjectName("exportButton")
        self.cancel = button("", "danger", form_page)
        self.cancel.setObjectName("exportCancel")
        self.cancel.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.export)
        row.addWidget(self.cancel)
        form.addRow(row)
        self.progress = QProgressBar(form_page)
        self.progress.setValue(0)
        self.status = StatusLine("exportStatus", form_page)
        form.addRow(self.progress)
        form.addRow(self.status)

        self.pin_pad = PinPad(PinPadMode.VERIFY, self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(form_page)
        self.pages.addWidget(self.pin_pad)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

        self.export.clicked.connect(self.start)
        self.cancel.clicked.connect(self.cancel_job)
        self.pin_pad.pin_entered.connect(self._pin_entered)
        self.pin_pad.cancelled.connect(self._pin_cancelled)
        self.retranslate()

    def retranslate(self) -> None:
        self.fmt.setItemText(0, self.tr("CSV (Excel, UTF-8)"))
        self.fmt.setItemText(1, self.tr("Excel workbook (XLSX)"))
        self.phones.setText(self.tr("Include phone numbers of manual entries (asks for the PIN)"))
        names = (self.tr("From"), self.tr("To"), self.tr("Format"), self.tr("Save to folder"))
        for label, name in zip(self._labels, names, strict=True):
            label.setText(name)
        self.export.setText(self.tr("Export"))
        self.cancel.setText(self.tr("Cancel"))
        names = {
            "today": self.tr("Today"),
            "yesterday": self.tr("Yesterday"),
            "last_7": self.tr("Last 7 days"),
            "last_28": self.tr("Last 28 days"),
        }
        for name, preset in self.presets.items():
            preset.setText(names[name])

    def use_preset(self, name: str) -> None:
        """Fill the day range with a preset counted back from the kiosk's today."""
        first, last = preset_days(name, local_today(self._services.clock.now(), self._services.tz))
        self.first.setDate(QDate(first.year, first.month, first.day))
        self.last.setDate(QDate(last.year, last.month, last.day))

    def start(self) -> None:
        if self.job is not None and self.job.running:
            return
        try:
            days = day_range(
                day_of(self.first),
                day_of(self.last),
                today=local_today(self._services.clock.now(), self._services.tz),
                tz=self._services.tz,
            )
        except KioskError as exc:
            self.status.say(error_text(exc), "error")
            return
        fmt = str(self.fmt.currentData())
        if self.phones.isChecked():
            self._pending = (days, fmt)
            self.pin_pad.reset()
            self.pages.setCurrentWidget(self.pin_pad)
            return
        self._run(days, fmt, None)

    def _pin_entered(self, pin: str) -> None:
        if self._pending is None:
            return
        days, fmt = self._pending
        self._run(days, fmt, pin)

    def _pin_cancelled(self) -> None:
        self._pending = None
        self.pages.setCurrentIndex(0)

    def _run(self, days: DayRange, fmt: str, pin: str | None) -> None:
        services = self._services
        target = self.folder.folder() / f"visits-{days.first.isoformat()}-{days.last.isoformat()}.{fmt}"
        account = services.account
        language = services.config.kiosk.language

        def work(progress: ProgressCallback, cancelled: CancelCheck) -> ExportResult:
            key = None
            if pin is not None:
                if account is None:
                    raise KioskError(
                        "phone numbers cannot be exported: no owner account on this kiosk",
                        key="owner.no_account",
                    )
                key = account.unlock_private_key(pin)
            request = ExportRequest(days, fmt, language=language, owner_private_key=key)
            return export_visits(
                services.db_path,
                target,
                request,
                now=services.clock.now(),
                tz=services.tz,
                progress=progress,
                cancelled=cancelled,
            )

        self.job = Job("export", work, self)
        self.job.progress.connect(self._progress)
        self.job.succeeded.connect(self._done)
        self.job.failed.connect(self._failed)
        self.job.cancelled.connect(self._cancelled)
        self.job.ended.connect(self._ended)
        self.export.setEnabled(False)
        self.cancel.setEnabled(True)
        self.progress.setRange(0, 0)
        self.status.say(lambda: self.tr("Exporting…"))
        self.job_created.emit(self.job)
        self.job.start()

    def cancel_job(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _done(self, result: ExportResult) -> None:
        self._pending = None
        self.pages.setCurrentIndex(0)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.status.say(lambda: self._done_text(result), "ok")

    def _done_text(self, result: ExportResult) -> str:
        text = self.tr("%n visit(s) exported to %1", "", result.rows).replace("%1", str(result.path))
        if result.unreadable_sealed:
            text += " " + self.tr(
                "(%n sealed entry(ies) could not be opened; marked in the file)", "", result.unreadable_sealed
            )
        return text

    def _failed(self, exc: BaseException) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        if isinstance(exc, PinRejectedError) and self._pending is not None:
            self.pin_pad.show_check(exc.check)  # stays on the pad: try again or cancel
            return
        self._pending = None
        self.pages.setCurrentIndex(0)
        self.status.say(error_text(exc), "error")

    def _cancelled(self) -> None:
        self._pending = None
        self.pages.setCurrentIndex(0)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.say(lambda: self.tr("Export cancelled; no file was written."))

    def _ended(self) -> None:
        self.export.setEnabled(True)
        self.cancel.setEnabled(False)
