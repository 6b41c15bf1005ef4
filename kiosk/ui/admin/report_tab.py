"""The outage evidence report for an inspector (HTML, JSON or CSV) written to a file on a worker.

"Open to print" writes the HTML form and hands it to the system's browser, where the
owner prints it (one A4 page a day); the opener is a parameter so a test can see the call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QWidget

from kiosk.owner_tools.outage_report import build_outage_report, write_report
from kiosk.owner_tools.progress import CancelCheck, ProgressCallback
from kiosk.timefmt import local_today
from kiosk.ui.admin.common import StatusLine, WhyDisabled, button, error_text
from kiosk.ui.admin.fields import FolderField, date_edit, day_of
from kiosk.ui.admin.jobs import Job
from kiosk.ui.admin.services import AdminServices
from kiosk.ui.resources.i18n import Retranslating


@dataclass(frozen=True, slots=True)
class ReportWritten:
    path: Path
    periods: int
    sha256: str


Opener = Callable[[Path], object]


def open_in_browser(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class ReportTab(Retranslating, QWidget):
    def __init__(
        self, services: AdminServices, parent: QWidget | None = None, *, opener: Opener = open_in_browser
    ) -> None:
        super().__init__(parent)
        self._services = services
        self.opener = opener
        self.job: Job | None = None
        today = local_today(services.clock.now(), services.tz)
        form = QFormLayout(self)
        self.whole = QCheckBox(self)
        self.whole.setChecked(True)
        self.first = date_edit(today, self)
        self.last = date_edit(today, self)
        self.days_why = WhyDisabled("reportDaysWhy", self.first, self.last, parent=self)
        self.whole.toggled.connect(self._whole_toggled)
        self._whole_toggled(True)
        self.fmt = QComboBox(self)
        for fmt in ("html", "json", "csv"):
            self.fmt.addItem("", fmt)  # item texts in retranslate(): items stay, so does the choice
        self.fmt.setMinimumHeight(48)
        self.folder = FolderField(self)
        self.write = button("", "primary", self)
        self.write.setObjectName("reportButton")
        self.write.clicked.connect(lambda: self.start())
        self.open = button("", "neutral", self)
        self.open.setObjectName("reportOpen")
        self.open.clicked.connect(lambda: self.start(open_after=True))
        self.status = StatusLine("reportStatus", self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        form.addRow(self.intro)
        form.addRow(self.whole)
        form.addRow(self.days_why)
        self._labels = [QLabel(self) for _ in range(4)]
        for label, field in zip(self._labels, (self.first, self.last, self.fmt, self.folder), strict=True):
            form.addRow(label, field)
        actions = QHBoxLayout()
        actions.addWidget(self.write)
        actions.addWidget(self.open)
        form.addRow(actions)
        form.addRow(self.status)
        self.retranslate()

    def retranslate(self) -> None:
        self.whole.setText(self.tr("Whole history"))
        formats = (self.tr("Web page to print (HTML)"), self.tr("Data (JSON)"), self.tr("Spreadsheet (CSV)"))
        for index, name in enumerate(formats):
            self.fmt.setItemText(index, name)
        self.write.setText(self.tr("Write outage report"))
        self.open.setText(self.tr("Open to print"))
        self.intro.setText(
            self.tr(
                "Outages of the connection to the verification service, with visits verified offline "
                "and logged by hand. No personal data."
            )
        )
        names = (self.tr("From"), self.tr("To"), self.tr("Format"), self.tr("Save to folder"))
        for label, name in zip(self._labels, names, strict=True):
            label.setText(name)

    def _whole_toggled(self, whole: bool) -> None:
        self.days_why.set_reason(
            (lambda: self.tr("The whole history is chosen: untick it to choose the days.")) if whole else None
        )

    def start(self, *, open_after: bool = False) -> None:
        """Write the report; with `open_after`, its HTML form, then open it to print."""
        if self.job is not None and self.job.running:
            return
        services = self._services
        fmt = "html" if open_after else str(self.fmt.currentData())
        language = services.config.kiosk.language
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
            write_report(report, fmt, target, language)
            return ReportWritten(target, len(report.periods), report.sha256())

        self.job = Job("report", work, self)
        self.job.succeeded.connect(self._done)
        if open_after:
            self.job.succeeded.connect(lambda written: self.opener(written.path))
        self.job.failed.connect(lambda exc: self.status.say(error_text(exc), "error"))
        self.job.ended.connect(self._ended)
        self.write.setEnabled(False)
        self.open.setEnabled(False)
        self.status.say(lambda: self.tr("Writing the report…"))
        self.job.start()

    def _ended(self) -> None:
        self.write.setEnabled(True)
        self.open.setEnabled(True)

    def _done(self, written: ReportWritten) -> None:
        self.status.say(lambda: self._done_text(written), "ok")

    def _done_text(self, written: ReportWritten) -> str:
        return (
            self.tr("%n outage(s) written to %1", "", written.periods).replace("%1", str(written.path))
            + "\n"
            + self.tr("SHA-256 of the report body: %1").replace("%1", written.sha256)
        )
