"""Today's visits, the upload queue and reconciliation results, and the trust list: render a snapshot.

Today's list puts the staff checks nobody answered first, so the owner sees at once what
the entrance left open (an unanswered check is a visit still at the `manual` verdict).
"""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
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

from kiosk.owner_tools.admin_snapshot import AdminSnapshot
from kiosk.ui.admin.common import Render, StatusLine, WhyDisabled, button, clock_time
from kiosk.ui.resources.i18n import Retranslating
from kiosk.ui.resources.theme import restyle

DECISIONS = ("admit", "deny", "manual")
PATHS = ("online", "offline", "staff", "none")


def _count_label(name: str) -> QLabel:
    label = QLabel("0")
    label.setObjectName(name)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return label


class TodayTab(Retranslating, QWidget):
    """Today's visits by decision and by verification path, listed one by one, and the trust list."""

    update_trust_requested = Signal()

    def __init__(self, tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self._snap: AdminSnapshot | None = None
        self.decision_counts = {d: _count_label(f"decision_{d}") for d in DECISIONS}
        self.path_counts = {p: _count_label(f"path_{p}") for p in PATHS}
        self.total = _count_label("today_total")
        self._decision_names = {d: QLabel(self) for d in DECISIONS}
        self._path_names = {p: QLabel(self) for p in PATHS}
        self._total_name = QLabel(self)

        self.by_decision = QGroupBox(self)
        form = QFormLayout(self.by_decision)
        for d in DECISIONS:
            form.addRow(self._decision_names[d], self.decision_counts[d])
        form.addRow(self._total_name, self.total)
        self.by_path = QGroupBox(self)
        form = QFormLayout(self.by_path)
        for p in PATHS:
            form.addRow(self._path_names[p], self.path_counts[p])

        self.trust = trust = QGroupBox(self)
        form = QFormLayout(trust)
        self.trust_age = QLabel(trust)
        self.trust_age.setObjectName("trustAge")
        self.trust_source = QLabel(trust)
        self.trust_source.setWordWrap(True)
        self.trust_count = QLabel(trust)
        self.update_trust = button("", "primary", trust)
        self.update_trust.setObjectName("updateTrust")
        self.update_trust.clicked.connect(self.update_trust_requested)
        self.trust_note = StatusLine("trustNote", trust)
        self.update_why = WhyDisabled("updateTrustWhy", self.update_trust, parent=trust)
        self._trust_names = [QLabel(trust) for _ in range(3)]
        values = (self.trust_age, self.trust_source, self.trust_count)
        for name, value in zip(self._trust_names, values, strict=True):
            form.addRow(name, value)
        form.addRow(self.update_trust)
        form.addRow(self.update_why)
        form.addRow(self.trust_note)

        self.unanswered = QLabel(self)
        self.unanswered.setObjectName("todayUnanswered")
        self.unanswered.setWordWrap(True)
        self.visits = QTableWidget(0, 4, self)
        self.visits.setObjectName("todayVisits")
        self.visits.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.visits.verticalHeader().setVisible(False)
        self.visits.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

        row = QHBoxLayout()
        row.addWidget(self.by_decision)
        row.addWidget(self.by_path)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.unanswered)
        layout.addWidget(self.visits, 1)
        layout.addWidget(trust)
        self.retranslate()

    def _decision_words(self) -> dict[str, str]:
        return {
            "admit": self.tr("Admitted"),
            "deny": self.tr("Not admitted"),
            "manual": self.tr("Staff check"),
        }

    def _path_words(self) -> dict[str, str]:
        return {
            "online": self.tr("Checked online"),
            "offline": self.tr("Checked offline"),
            "staff": self.tr("Checked by staff"),
            "none": self.tr("Not checked"),
        }

    def retranslate(self) -> None:
        decision_names, path_names = self._decision_words(), self._path_words()
        for d, label in self._decision_names.items():
            label.setText(decision_names[d])
        for p, label in self._path_names.items():
            label.setText(path_names[p])
        self.visits.setHorizontalHeaderLabels(
            [self.tr("Time"), self.tr("Verdict"), self.tr("Visitor"), self.tr("How checked")]
        )
        self._total_name.setText(self.tr("All visits today"))
        self.by_decision.setTitle(self.tr("Today's visits by decision"))
        self.by_path.setTitle(self.tr("Today's visits by verification path"))
        self.trust.setTitle(self.tr("Trust list"))
        trust_names = (self.tr("Age"), self.tr("Source"), self.tr("Certificates"))
        for label, name in zip(self._trust_names, trust_names, strict=True):
            label.setText(name)
        self.update_trust.setText(self.tr("Update now"))
        if self._snap is not None:
            self._trust_texts(self._snap)
            self._visit_rows(self._snap)

    def render(self, snap: AdminSnapshot) -> None:
        self._snap = snap
        for d, label in self.decision_counts.items():
            label.setText(str(snap.today.by_decision.get(d, 0)))
        for p, label in self.path_counts.items():
            label.setText(str(snap.today.by_path.get(p, 0)))
        self.total.setText(str(snap.today.total))
        self.trust_age.setProperty("level", str(snap.trust_age.level))
        restyle(self.trust_age)
        self.trust_count.setText(str(snap.trust_count))
        self._trust_texts(snap)
        self._visit_rows(snap)

    def _visit_rows(self, snap: AdminSnapshot) -> None:
        """Today's visits, unanswered staff checks first and marked so (the snapshot's order)."""
        decisions, paths = self._decision_words(), self._path_words()
        waiting = sum(1 for v in snap.today_visits if v.decision == "manual")
        self.unanswered.setText(
            self.tr("%n staff check(s) not answered yet: listed first.", "", waiting) if waiting else ""
        )
        self.unanswered.setVisible(waiting > 0)
        self.visits.setRowCount(len(snap.today_visits))
        bold = QFont(self.font())
        bold.setBold(True)
        for r, v in enumerate(snap.today_visits):
            open_check = v.decision == "manual"
            verdict = decisions.get(v.decision, v.decision)
            if open_check:
                verdict = self.tr("Staff check, not answered")
            values = (
                clock_time(v.scanned_at, self._tz),
                verdict,
                v.holder_masked or "—",
                paths.get(v.verified_by, v.verified_by),
            )
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if open_check:
                    item.setFont(bold)
                self.visits.setItem(r, c, item)

    def _trust_texts(self, snap: AdminSnapshot) -> None:
        """The trust list's words (its age, a missing source), from the snapshot last shown."""
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
        self.trust_source.setText(
            snap.trust_source or self.tr("Imported certificates only (no upstream set)")
        )

    def set_update_available(self, available: bool) -> None:
        self.update_why.set_reason(
            None if available
            else lambda: self.tr("No upstream service is configured, so there is nothing to update from.")
        )

    def show_note(self, render: Render) -> None:
        self.trust_note.say(render)


class UploadsTab(Retranslating, QWidget):
    """Pending and quarantined uploads with "Retry now"; visits admitted offline later reported bad."""

    retry_requested = Signal()

    def __init__(self, tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self._snap: AdminSnapshot | None = None
        self.queue = queue = QGroupBox(self)
        form = QFormLayout(queue)
        self.pending = _count_label("pending")
        self.held = _count_label("held")
        self.quarantined = _count_label("quarantined")
        self._queue_names = [QLabel(queue) for _ in range(3)]
        for name, value in zip(self._queue_names, (self.pending, self.held, self.quarantined), strict=True):
            form.addRow(name, value)
        self.retry = button("", "primary", queue)
        self.retry.setObjectName("retryNow")
        self.retry.clicked.connect(self.retry_requested)
        self.note = StatusLine("retryNote", queue)
        self.retry_why = WhyDisabled("retryWhy", self.retry, parent=queue)
        form.addRow(self.retry)
        form.addRow(self.retry_why)
        form.addRow(self.note)
        self.quarantine_table = self._table("quarantineTable")
        form.addRow(self.quarantine_table)

        self.recon = recon = QGroupBox(self)
        box = QVBoxLayout(recon)
        self.recon_summary = QLabel(recon)
        self.recon_summary.setObjectName("reconSummary")
        self.recon_table = self._table("reconTable")
        box.addWidget(self.recon_summary)
        box.addWidget(self.recon_table)

        layout = QHBoxLayout(self)
        layout.addWidget(queue, 1)
        layout.addWidget(recon, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.queue.setTitle(self.tr("Uploads to the verification service"))
        names = (
            self.tr("Waiting to upload"),
            self.tr("…of which held back (service busy)"),
            self.tr("Set aside after an error"),
        )
        for label, name in zip(self._queue_names, names, strict=True):
            label.setText(name)
        self.retry.setText(self.tr("Retry now"))
        self.quarantine_table.setHorizontalHeaderLabels(
            [self.tr("Time"), self.tr("Name"), self.tr("Problem")]
        )
        self.recon.setTitle(self.tr("Admitted offline, later reported revoked or invalid"))
        self.recon_table.setHorizontalHeaderLabels([self.tr("Time"), self.tr("Name"), self.tr("Reported")])
        if self._snap is not None:
            self._texts(self._snap)

    def _table(self, name: str) -> QTableWidget:
        table = QTableWidget(0, 3, self)
        table.setObjectName(name)
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
        self._snap = snap
        self.pending.setText(str(snap.pending))
        self.held.setText(str(snap.held))
        self.quarantined.setText(str(snap.quarantined))
        self.retry_why.set_reason(
            None if snap.quarantined > 0 or snap.held > 0
            else lambda: self.tr("Nothing to retry: no upload is set aside or held back.")
        )
        self._fill(
            self.quarantine_table,
            [
                (clock_time(q.scanned_at, self._tz, with_day=True), q.holder_masked, q.cause)
                for q in snap.quarantined_items
            ],
        )
        self._texts(snap)

    def _texts(self, snap: AdminSnapshot) -> None:
        """The rows and the summary that carry words, from the snapshot last shown."""
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

    def show_note(self, render: Render) -> None:
        self.note.say(render)
