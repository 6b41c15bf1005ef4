"""The owner's admin screen: tabs over today's figures, uploads, health, export, report, settings, PIN.

It reads and writes only through `AdminServices`, and every read or write of the data
file runs on a worker (`Job`); the widgets render a frozen `AdminSnapshot`. The window
shows it after a correct owner PIN and takes it down on `closed`.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.owner_tools.admin_snapshot import AdminSnapshot
from kiosk.owner_tools.progress import CancelCheck, ProgressCallback
from kiosk.store.outbox import retry_uploads
from kiosk.ui.admin.common import StatusLine, button, error_text
from kiosk.ui.admin.export_tab import ExportTab
from kiosk.ui.admin.health import HealthTab
from kiosk.ui.admin.jobs import Job
from kiosk.ui.admin.overview import TodayTab, UploadsTab
from kiosk.ui.admin.report_tab import ReportTab
from kiosk.ui.admin.services import AdminServices
from kiosk.ui.admin.settings_tab import PinTab, SettingsTab
from kiosk.ui.resources.i18n import Retranslating
from kiosk.ui.resources.layout import ScrollingTabs

REFRESH_MS = 15_000  # figures follow the entrance while the owner looks
TRUST_RECHECK_MS = 4_000  # a trust update runs on the maintenance thread; look again after this
# Touch sizes and status colours for this screen only (the window's theme stays as it is). A
# widget's own sheet wins over the window's, so a disabled button greys out whatever its kind.
ADMIN_SHEET = """
QTabBar::tab { min-height: 44px; min-width: 110px; padding: 4px 12px; }
QCheckBox::indicator { width: 28px; height: 28px; }
QCheckBox { min-height: 44px; }
QPushButton:disabled { background: #c7c7c7; color: #5f5f5f; }
QLabel[state="error"] { color: #b71c1c; }
QLabel[state="ok"] { color: #1b5e20; }
"""


class AdminScreen(Retranslating, QWidget):
    closed = Signal()
    settings_changed = Signal(object)  # the Config now in force

    def __init__(self, services: AdminServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adminScreen")
        self.setStyleSheet(ADMIN_SHEET)
        self._services = services
        self.snapshot: AdminSnapshot | None = None
        self._jobs: list[Job] = []
        tz = services.tz

        self.title = title = QLabel(self)
        title.setObjectName("adminTitle")
        bold = title.font()
        bold.setBold(True)
        title.setFont(bold)  # the screen's name, set apart from the time of its figures
        self.updated = StatusLine("adminUpdated", self)
        self.updated.setWordWrap(False)
        self.refresh_button = button("", "neutral", self)
        self.close_button = button("", "primary", self)
        self.close_button.setObjectName("adminClose")
        header = QHBoxLayout()
        header.addWidget(title)
        header.addSpacing(24)
        header.addWidget(self.updated, 1)
        header.addWidget(self.refresh_button)
        header.addWidget(self.close_button)

        self.today = TodayTab(tz, self)
        self.uploads = UploadsTab(tz, self)
        self.health = HealthTab(tz, self)
        self.export = ExportTab(services, self)
        self.report = ReportTab(services, self)
        self.settings = SettingsTab(services, self)
        self.pin = PinTab(services, self)
        self.tabs = ScrollingTabs(self)  # a tab taller than the screen scrolls
        self.tabs.setObjectName("adminTabs")
        for tab in (self.today, self.uploads, self.health, self.export, self.report, self.settings, self.pin):
            self.tabs.addTab(tab, "")
        self.retranslate()

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)

        self.today.set_update_available(services.update_trust is not None)
        self.refresh_button.clicked.connect(self.refresh)
        self.close_button.clicked.connect(self.close_screen)
        self.today.update_trust_requested.connect(self.update_trust)
        self.uploads.retry_requested.connect(self.retry_now)
        self.settings.saved.connect(self.settings_changed)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

    def retranslate(self) -> None:
        """The header and the tab names; each tab sets its own texts on the same LanguageChange."""
        self.title.setText(self.tr("Owner"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.close_button.setText(self.tr("Back to the entrance"))
        names = (
            self.tr("Today"),
            self.tr("Uploads"),
            self.tr("Health"),
            self.tr("Export"),
            self.tr("Outage report"),
            self.tr("Settings"),
            self.tr("Change PIN"),
        )
        for index, name in enumerate(names):
            self.tabs.setTabText(index, name)

    # --- jobs ---

    def _start(self, job: Job) -> Job:
        self._jobs = [j for j in self._jobs if j.running]
        self._jobs.append(job)
        job.start()
        return job

    def refresh(self) -> None:
        services = self._services

        def work(_progress: ProgressCallback, _cancelled: CancelCheck) -> AdminSnapshot:
            return services.snapshot()

        job = Job("snapshot", work, self)
        job.succeeded.connect(self._render)
        job.failed.connect(lambda exc: self.updated.say(error_text(exc), "error"))
        self._start(job)

    def _render(self, snap: AdminSnapshot) -> None:
        self.snapshot = snap
        self.today.render(snap)
        self.uploads.render(snap)
        self.health.render(snap)
        at = _hhmmss(snap.at, self._services)
        self.updated.say(lambda: self.tr("As of %1").replace("%1", at))

    def retry_now(self) -> None:
        services = self._services

        def work(_progress: ProgressCallback, _cancelled: CancelCheck) -> int:
            return retry_uploads(services.db, services.clock.now())

        job = Job("retry", work, self)
        job.succeeded.connect(self._retried)
        job.failed.connect(lambda exc: self.uploads.show_note(error_text(exc)))
        self.uploads.retry.setEnabled(False)
        self._start(job)

    def _retried(self, count: int) -> None:
        if self._services.upload_now is not None:
            self._services.upload_now()
        self.uploads.show_note(lambda: self.tr("%n upload(s) will be tried again now.", "", count))
        self.refresh()

    def update_trust(self) -> None:
        if self._services.update_trust is None:
            return
        self._services.update_trust()  # only schedules: the maintenance thread does the request
        self.today.show_note(lambda: self.tr("Update requested; the age changes when it succeeds."))
        QTimer.singleShot(TRUST_RECHECK_MS, self, self.refresh)

    # --- showing and leaving ---

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.settings.load()
        self.refresh()
        self._timer.start()

    def close_screen(self) -> None:
        """Leave: stop refreshing, cancel a running export (its file is not written), tell the window."""
        self._timer.stop()
        self.export.cancel_job()
        self.closed.emit()

    def shutdown(self, timeout_s: float = 5.0) -> None:
        """Cancel and join every job (the app is closing)."""
        self._timer.stop()
        self.export.cancel_job()
        for job in [*self._jobs, self.export.job, self.report.job, self.settings.job, self.pin.job]:
            if job is not None:
                job.wait(timeout_s)


def _hhmmss(ts: float, services: AdminServices) -> str:
    return datetime.fromtimestamp(ts, services.tz).strftime("%H:%M:%S")
