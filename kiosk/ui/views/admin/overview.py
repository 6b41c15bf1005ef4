"""Today's visits, the upload queue and reconciliation results, and the trust list: render a snapshot."""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.admin_snapshot import AdminSnapshot
from kiosk.ui.theme import restyle
from kiosk.ui.views.admin.common import button, clock_time

DECISIONS = ("admit", "deny", "manual")
PATHS = ("online", "offline", "staff", "none")


def _count_label(name: str) -> QLabel:
    label = QLabel("0")
    label.setObjectName(name)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return label


class TodayTab(QWidget):
    """Today's visits by decision and by verification path, and the trust list's age and source."""

    update_trust_requested = Signal()

    def __init__(self, tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        decision_names = {
            "admit": self.tr("Admitted"),
            "deny": self.tr("Denied"),
            "manual": self.tr("Staff check"),
        }
        path_names = {
            "online": self.tr("Verified online"),
            "offline": self.tr("Verified offline"),
            "staff": self.tr("Logged by staff"),
            "none": self.tr("Not checkable"),
        }
        self.decision_counts = {d: _count_label(f"decision_{d}") for d in DECISIONS}
        self.path_counts = {p: _count_label(f"path_{p}") for p in PATHS}
        self.total = _count_label("today_total")

        by_decision = QGroupBox(self.tr("Today's visits by decision"), self)
        form = QFormLayout(by_decision)
        for d in DECISIONS:
            form.addRow(decision_names[d], self.decision_counts[d])
        form.addRow(self.tr("All visits today"), self.total)
        by_path = QGroupBox(self.tr("Today's visits by verification path"), self)
        form = QFormLayout(by_path)
        for p in PATHS:
            form.addRow(path_names[p], self.path_counts[p])

        trust = QGroupBox(self.tr("Trust list"), self)
        form = QFormLayout(trust)
        self.trust_age = QLabel(trust)
        self.trust_age.setObjectName("trustAge")
        self.trust_source = QLabel(trust)
        self.trust_source.setWordWrap(True)
        self.trust_count = QLabel(trust)
        self.update_trust = button(self.tr("Update now"), "primary", trust)
        self.update_trust.setObjectName("updateTrust")
        self.update_trust.clicked.connect(self.update_trust_requested)
        self.trust_note = QLabel(trust)
        self.trust_note.setWordWrap(True)
        form.addRow(self.tr("Age"), self.trust_age)
        form.addRow(self.tr("Source"), self.trust_source)
        form.addRow(self.tr("Certificates"), self.trust_count)
        form.addRow(self.update_trust)
        form.addRow(self.trust_note)

        row = QHBoxLayout()
        row.addWidget(by_decision)
        row.addWidget(by_path)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(trust)
        layout.addStretch(1)

    def render(self, snap: AdminSnapshot) -> None:
        for d, label in self.decision_counts.items():
            label.setText(str(snap.today_by_decision.get(d, 0)))
        for p, label in self.path_counts.items():
            label.setText(str(snap.today_by_path.get(p, 0)))
        self.total.setText(str(snap.today_total))
        age = snap.trust_age
        if age.updated_at is None or age.age_s is None:
            text = self.tr("No trust list yet: signed passes cannot be verified offline")
        else:
            hours = int(age.age_s // 3600)
            text = (
                self.tr("%n hour(s) old", "", hours)
                + " · "
                + clock_time(age.updated_at, self._tz, with_day=True)
            )
        self.trust_age.setText(text)
        self.trust_age.setProperty("level", str(age.level))
        restyle(self.trust_age)
        self.trust_source.setText(
            snap.trust_source or self.tr("Imported certificates only (no upstream set)")
        )
        self.trust_count.setText(str(snap.trust_count))

    def set_update_available(self, available: bool) -> None:
        self.update_trust.setEnabled(available)
        if not available:
            self.trust_note.setText(
                self.tr("No upstream service is configured, so there is nothing to update from.")
            )

    def show_note(self, text: str) -> None:
        self.trust_note.setText(text)


class UploadsTab(QWidget):
    """Pending and quarantined uploads with "Retry now"; visits admitted offline later reported bad."""

    retry_requested = Signal()

    def __init__(self, tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        queue = QGroupBox(self.tr("Uploads to the verification service"), self)
        form = QFormLayout(queue)
        self.pending = _count_label("pending")
        self.held = _count_label("held")
        self.quarantined = _count_label("quarantined")
        form.addRow(self.tr("Waiting to upload"), self.pending)
        form.addRow(self.tr("…of which held back (service busy)"), self.held)
        form.addRow(self.tr("Set aside after an error"), self.quarantined)
        self.retry = button(self.tr("Retry now"), "primary", queue)
        self.retry.setObjectName("retryNow")
        self.retry.clicked.connect(self.retry_requested)
        self.note = QLabel(queue)
        self.note.setObjectName("retryNote")
        self.note.setWordWrap(True)
        form.addRow(self.retry)
        form.addRow(self.note)
        self.quarantine_table = self._table(
            "quarantineTable", [self.tr("Time"), self.tr("Name"), self.tr("Problem")]
        )
        form.addRow(self.quarantine_table)

        recon = QGroupBox(self.tr("Admitted offline, later reported revoked or invalid"), self)
        box = QVBoxLayout(recon)
        self.recon_summary = QLabel(recon)
        self.recon_summary.setObjectName("reconSummary")
        self.recon_table = self._table("reconTable", [self.tr("Time"), self.tr("Name"), self.tr("Reported")])
        box.addWidget(self.recon_summary)
        box.addWidget(self.recon_table)

        layout = QHBoxLayout(self)
        layout.addWidget(queue, 1)
        layout.addWidget(recon, 1)

    def _table(self, name: str, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers), self)
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(headers)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        return table

    def _fill(self, table: QTableWidget, rows: list[tuple[str, str, str]]) -> None:
        table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                table.setItem(r, c, QTableWidgetItem(value))

    def render(self, snap: AdminSnapshot) -> None:
        self.pending.setText(str(snap.pending))
        self.held.setText(str(snap.held))
        self.quarantined.setText(str(snap.quarantined))
        self.retry.setEnabled(snap.quarantined > 0 or snap.held > 0)
        self._fill(
            self.quarantine_table,
            [
                (clock_time(q.scanned_at, self._tz, with_day=True), q.holder_masked, q.cause)
                for q in snap.quarantined_items
            ],
        )
        results = {"revoked": self.tr("revoked"), "invalid": self.tr("invalid")}
        self._fill(
            self.recon_table,
            [
                (
                    clock_time(i.scanned_at, self._tz, with_day=True),
                    i.holder_masked,
                    results.get(i.result, i.result),
                )
                for i in snap.reconciliation
            ],
        )
        n = len(snap.reconciliation)
        self.recon_summary.setText(
            self.tr("%n visit(s) admitted offline were later reported revoked or invalid.", "", n)
        )

    def show_note(self, text: str) -> None:
        self.note.setText(text)
