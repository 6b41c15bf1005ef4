"""The wizard's upstream step: URL and API key, a live test of both, or skipping to offline mode."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from kiosk.ui.owner.keypad import make_button, owner_text
from kiosk.ui.setup.pages import StepPage, lock_field
from kiosk.ui.setup.steps import UpstreamOutcome


class UpstreamPage(StepPage):
    test_requested = Signal(str, str)  # url, api key: run doctor's upstream check on them
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("setupUpstream", parent)
        self.url_label, self.url, self.url_note = self.add_field("upstreamUrl")
        self.key_label, self.api_key, self.key_note = self.add_field("upstreamKey")
        # Shown while typed (it is long and typed once), hidden from anyone passing later.
        self.api_key.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.test_button = make_button("", "primary", self)
        self.test_button.setObjectName("upstreamTest")
        self.test_button.setMinimumHeight(64)
        self.test_button.clicked.connect(self._test)
        self.result = owner_text(self)
        self.result.setObjectName("upstreamResult")
        row = QHBoxLayout()
        row.addWidget(self.test_button, 1)
        row.addWidget(self.result, 2)
        self.body.addLayout(row)
        self.body.addStretch(1)
        self.outcome: UpstreamOutcome | None = None
        self._testing = False
        self.url.textEdited.connect(self._edited)
        self.api_key.textEdited.connect(self._edited)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("The verification service"))
        self.explain.setText(
            self.tr(
                "The address and key your provider gave for this kiosk. Without them (Skip) the kiosk "
                "checks passes offline with the certificate list it came with."
            )
        )
        self.url_label.setText(self.tr("Address (https://…)"))
        self.key_label.setText(self.tr("API key"))
        self.test_button.setText(self.tr("Test"))
        self._render()

    def show_values(self, url: str, api_key: str, *, url_locked: bool, key_locked: bool) -> None:
        self.url.setText(url)
        self.api_key.setText(api_key)
        if url_locked:
            lock_field(self.url, self.url_note)
        if key_locked:
            lock_field(self.api_key, self.key_note)

    def show_outcome(self, outcome: UpstreamOutcome | None) -> None:
        self._testing = False
        self.outcome = outcome
        self.test_button.setEnabled(True)
        self._render()

    def _test(self) -> None:
        self._testing = True
        self.test_button.setEnabled(False)
        self._render()
        self.test_requested.emit(self.url.text().strip(), self.api_key.text().strip())

    def _edited(self) -> None:
        if not self._testing:
            self.outcome = None
            self._render()
        self.edited.emit()

    def _render(self) -> None:
        if self._testing:
            self.result.setText(self.tr("Testing…"))
            return
        texts = {
            None: "",
            UpstreamOutcome.OK: self.tr("✓ Connected: the key is accepted."),
            UpstreamOutcome.WRONG_KEY: self.tr("✗ The service refuses this key. Check it, or skip."),
            UpstreamOutcome.UNREACHABLE: self.tr(
                "✗ Cannot reach the service. Check the address and the network, or skip: the kiosk "
                "works offline meanwhile."
            ),
            UpstreamOutcome.NOT_HTTPS: self.tr("✗ Not an https address. Use the https:// address given."),
            UpstreamOutcome.KEY_NOT_CHECKED: self.tr("! The service answers but cannot check keys."),
        }
        self.result.setText(texts[self.outcome])
