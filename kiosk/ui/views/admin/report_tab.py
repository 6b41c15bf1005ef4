"""The outage evidence report for an inspector (HTML, JSON or CSV) written to a file on a worker."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QWidget

from kiosk.owner_tools.dates import local_today
from kiosk.owner_tools.outage_report import build_outage_report, write_report
from kiosk.owner_tools.progress import CancelCheck, ProgressCallback
from kiosk.ui.admin_jobs import Job
from kiosk.ui.admin_services import AdminServices
from kiosk.ui.views.admin.common import button, error_text, set_state
from kiosk.ui.views.admin.fields import FolderField, date_edit, day_of


@dataclass(frozen=True, slots=True)
class ReportWritten:
    path: Path
    periods: int
    sha256: str


class ReportTab(QWidget):
    def __init__(self, services: AdminServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.job: Job | None = None
        today = local_today(services.clock.now(), services.tz)
        form = QFormLayout(self)
        self.whole = QCheckBox(self.tr("Whole history"), self)
        self.whole.setChecked(True)
        self.first = date_edit(today, self)
        self.last = date_edit(today, self)
        self.whole.toggled.connect(self._whole_toggled)
        self._whole_toggled(True)
        self.fmt = QComboBox(self)
        self.fmt.addItem(self.tr("Web page to print (HTML)"), "html")
        self.fmt.addItem(self.tr("Data (JSON)"), "json")
        self.fmt.addItem(self.tr("Spreadsheet (CSV)"), "csv")
        self.fmt.setMinimumHeight(48)
        self.folder = FolderField(self)
        self.write = button(self.tr("Write outage report"), "primary", self)
        self.write.setObjectName("reportButton")
        self.write.clicked.connect(self.start)
        self.status = QLabel(self)
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)
        intro = QLabel(
            self.tr(
                "Outages of the connection to the verification service, with visits verified offline "
                "and logged by hand. No personal data."
            ),
            self,
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        form.addRow(self.whole)
        form.addRow(self.tr("From"), self.first)
        form.addRow(self.tr("To"), self.last)
        form.addRow(self.tr("Format"), self.fmt)
        form.addRow(self.tr("Save to folder"), self.folder)
        form.addRow(self.write)
        form.addRow(self.status)

    def _whole_toggled(self, whole: bool) -> None:
        self.first.setEnabled(not whole)
        self.last.setEnabled(not whole)

    def start(self) -> None:
        if self.job is not None and self.job.running:
            return
        services = self._services
        fmt = str(self.fmt.currentData())
        first = last = None
        if not self.whole.isChecked():
            first, last = day_of(self.first), day_of(self.last)
        today = local_today(services.clock.now(), services.tz)
        target = self.folder.folder() / f"outages-{today.isoformat()}.{fmt}"

        def work(_progress: ProgressCallback, _cancelled: CancelCheck) -> ReportWritten:
            report = build_outage_report(
                services.db_path,
                first,
                last,
                now=services.clock.now(),
                tz=services.tz,
                kiosk_id=services.kiosk_id,
            )
            write_report(report, fmt, target)
            return ReportWritten(target, len(report.periods), report.sha256())

        self.job = Job("report", work, self)
        self.job.succeeded.connect(self._done)
        self.job.failed.connect(lambda exc: set_state(self.status, error_text(self, exc), "error"))
        self.job.ended.connect(lambda: self.write.setEnabled(True))
        self.write.setEnabled(False)
        set_state(self.status, self.tr("Writing the report…"), "info")
        self.job.start()

    def _done(self, written: ReportWritten) -> None:
        text = (
            self.tr("%n outage(s) written to %1", "", written.periods).replace("%1", str(written.path))
            + "\n"
            + self.tr("SHA-256 of the report body: %1").replace("%1", written.sha256)
        )
        set_state(self.status, text, "ok")
