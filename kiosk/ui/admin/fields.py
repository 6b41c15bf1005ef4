"""Input pieces the export and report tabs share: a destination folder and a day range."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QStandardPaths
from PySide6.QtWidgets import QDateEdit, QFileDialog, QHBoxLayout, QLineEdit, QWidget

from kiosk.ui.admin.common import button
from kiosk.ui.resources.i18n import Retranslating


def default_folder() -> Path:
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs else Path.home()


class FolderField(Retranslating, QWidget):
    """Where a file goes: typed, or chosen (a USB stick, usually) with the folder dialog."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(str(default_folder()), self)
        self.edit.setMinimumHeight(48)
        self.choose = button("", "neutral", self)
        self.choose.clicked.connect(self._choose)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.choose)
        self.retranslate()

    def retranslate(self) -> None:
        self.choose.setText(self.tr("Choose…"))

    def folder(self) -> Path:
        return Path(self.edit.text().strip()).expanduser()

    def set_folder(self, folder: Path) -> None:
        self.edit.setText(str(folder))

    def _choose(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Save to folder"), self.edit.text())
        if chosen:
            self.edit.setText(chosen)


def date_edit(day: date, parent: QWidget) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day), parent)
    edit.setCalendarPopup(True)  # a calendar to tap rather than digits to type
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumHeight(48)
    return edit


def day_of(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())
