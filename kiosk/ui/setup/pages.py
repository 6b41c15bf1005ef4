"""The wizard's simple pages: language, venue and kiosk id, and doctor's checks at the end.

Pages render and emit; the wizard (`wizard.py`) holds the answers and the order. A value
the machine-wide config sets is shown read-only under "Set by the installer".
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from kiosk.config_checks import MAX_KIOSK_ID
from kiosk.doctor import Check, Status
from kiosk.ui.owner.keypad import make_button, owner_heading, owner_text, scaled_font
from kiosk.ui.resources.i18n import Retranslating

SET_BY_INSTALLER = QT_TRANSLATE_NOOP("StepPage", "Set by the installer")


class StepPage(Retranslating, QWidget):
    """A heading, an explanation and the page's own parts below them."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.body = QVBoxLayout(self)
        self.heading = owner_heading(self, 1.8)
        self.explain = owner_text(self)
        self.body.addWidget(self.heading)
        self.body.addWidget(self.explain)
        self.notes: list[QLabel] = []

    def add_field(self, name: str) -> tuple[QLabel, QLineEdit, QLabel]:
        """A labelled text field and its "Set by the installer" note (hidden until locked)."""
        label, field, note = owner_text(self), text_field(self, name), self.add_note()
        for part in (label, field, note):
            self.body.addWidget(part)
        return label, field, note

    def add_note(self) -> QLabel:
        note = installer_note(self)
        self.notes.append(note)
        return note

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            for note in self.notes:
                note.setText(QCoreApplication.translate("StepPage", SET_BY_INSTALLER))
        super().changeEvent(event)


def text_field(parent: QWidget, name: str) -> QLineEdit:
    """A touch-sized line edit; tapping it brings up the platform's on-screen keyboard."""
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setFont(scaled_font(field, 1.6))
    field.setMinimumHeight(56)
    return field


def installer_note(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("setByInstaller")
    label.setFont(scaled_font(label, 1.1))
    label.setText(QCoreApplication.translate("StepPage", SET_BY_INSTALLER))
    label.hide()
    return label


def lock_field(field: QLineEdit, note: QLabel) -> None:
    """The machine-wide config sets this value: it is shown, not edited and not written."""
    field.setReadOnly(True)
    field.setEnabled(False)
    note.show()


class LanguagePage(StepPage):
    chosen = Signal(str)  # "ko" | "en": the window switches at once

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("setupLanguage", parent)
        row = QHBoxLayout()
        # Each language names itself, so either reader finds theirs whatever is shown.
        self.korean = make_button("한국어", "neutral", self)
        self.english = make_button("English", "neutral", self)
        for button, lang in ((self.korean, "ko"), (self.english, "en")):
            button.setCheckable(True)
            button.setMinimumHeight(120)
            button.clicked.connect(lambda _=False, lang=lang: self.choose(lang))
            row.addWidget(button)
        self.body.addStretch(1)
        self.body.addLayout(row)
        self.note = self.add_note()
        self.body.addWidget(self.note)
        self.body.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Welcome: let's set up this kiosk"))
        self.explain.setText(
            self.tr("Choose the language of the screen. Visitors can switch it at any time.")
        )

    def show_choice(self, lang: str, *, locked: bool) -> None:
        self.korean.setChecked(lang == "ko")
        self.english.setChecked(lang == "en")
        if locked:
            self.korean.setEnabled(False)
            self.english.setEnabled(False)
            self.note.show()

    def choose(self, lang: str) -> None:
        self.show_choice(lang, locked=False)
        self.chosen.emit(lang)


class VenuePage(StepPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("setupVenue", parent)
        self.venue_label, self.venue, self.venue_note = self.add_field("venueName")
        self.id_label, self.kiosk_id, self.id_note = self.add_field("kioskId")
        self.kiosk_id.setMaxLength(MAX_KIOSK_ID)
        self.body.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Your venue"))
        self.explain.setText(self.tr("The venue's name is shown at the top of the screen."))
        self.venue_label.setText(self.tr("Venue name"))
        self.venue.setPlaceholderText(self.tr("e.g. Mapo Gukbap"))
        self.id_label.setText(self.tr("Kiosk id (one per entrance; the suggestion is fine)"))


_MARKS = {Status.OK: "✓", Status.WARN: "!", Status.FAIL: "✗"}


class ChecksPage(StepPage):
    finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("setupChecks", parent)
        self.summary = owner_text(self)
        self.summary.setObjectName("checksSummary")
        self.summary.setFont(scaled_font(self.summary, 1.0, bold=True))
        self.rows = QLabel(self)
        self.rows.setObjectName("checkRows")
        self.rows.setWordWrap(True)
        self.rows.setTextFormat(Qt.TextFormat.PlainText)
        self.rows.setFont(scaled_font(self.rows, 1.1))
        self.rows.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.start_button = make_button("", "primary", self)
        self.start_button.setObjectName("setupStart")
        self.start_button.setMinimumHeight(72)
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(self.finished)
        self.body.addWidget(self.summary)
        self.body.addWidget(self.rows, 1)
        self.body.addWidget(self.start_button)
        self._checks: list[Check] | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Checking the installation"))
        self.start_button.setText(self.tr("Start the kiosk"))
        self._render()

    def waiting(self) -> None:
        self._checks = None
        self.start_button.setEnabled(False)
        self._render()

    def show_checks(self, checks: Sequence[Check]) -> None:
        self._checks = list(checks)
        self.start_button.setEnabled(True)
        self._render()

    def _render(self) -> None:
        checks = self._checks
        if checks is None:
            self.explain.setText(self.tr("The same checks as `kiosk doctor`, a few seconds…"))
            self.summary.setText("")
            self.rows.setText("")
            return
        self.explain.setText(self.tr("The same checks as `kiosk doctor`. The details are in English."))
        failing = sum(1 for c in checks if c.status is Status.FAIL)
        warning = sum(1 for c in checks if c.status is Status.WARN)
        if failing:
            self.summary.setText(
                self.tr("%n check(s) failed: the kiosk may not work until it is fixed.", "", failing)
            )
        elif warning:
            self.summary.setText(self.tr("%n check(s) need attention; the kiosk works.", "", warning))
        else:
            self.summary.setText(self.tr("Everything is ready."))
        self.rows.setText("\n".join(f"{_MARKS[c.status]} {c.name}: {c.detail}" for c in checks))
