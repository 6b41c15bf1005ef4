"""The set-up wizard: the first screen of a fresh install, until the owner starts the kiosk.

Language (switched live), venue name and kiosk id, upstream address and key (tested
live, or skipped), camera (previewed live, or none), then today's first run (owner PIN
and recovery code) unchanged, then doctor's checks. The answers are written to the
user's config.toml in one go when the owner leaves the camera step (`steps.py` says
why); values the machine-wide config sets are shown read-only and never written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from kiosk.config import Config
from kiosk.errors import KioskError
from kiosk.ui.config_edit import save_values
from kiosk.ui.owner.first_run import FirstRunFlow
from kiosk.ui.owner.keypad import make_button, owner_text, scaled_font
from kiosk.ui.resources.i18n import Retranslating
from kiosk.ui.setup.camera_page import CameraPage, PreviewFactory
from kiosk.ui.setup.checks import SetupChecks
from kiosk.ui.setup.pages import ChecksPage, LanguagePage, VenuePage, lock_field
from kiosk.ui.setup.steps import (
    ORDER,
    Answers,
    Step,
    UpstreamOutcome,
    config_values,
    default_kiosk_id,
    may_leave_upstream,
    next_step,
    previous_step,
    set_by_installer,
    url_problem,
    writes_config,
)
from kiosk.ui.setup.upstream_page import UpstreamPage


class SetupWizard(Retranslating, QWidget):
    language_chosen = Signal(str)
    done = Signal()  # the owner started the kiosk
    # Requests to the checks worker (queued: it lives on its own thread).
    _test = Signal(str, str)
    _check = Signal(object)

    def __init__(
        self,
        first_run: FirstRunFlow,
        *,
        config: Config,
        machine: Mapping[str, Mapping[str, Any]],
        config_path: Path,
        reload: Callable[[], Config],
        checks: SetupChecks,
        preview: PreviewFactory,
        cameras: Sequence[str],
        hostname: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("setupWizard")
        self.config = config
        self._machine = machine
        self._config_path = config_path
        self._reload = reload
        self.answers = Answers.of(config, hostname)
        self._hostname = hostname
        self.step = Step.LANGUAGE

        self.progress = QLabel(self)
        self.progress.setObjectName("setupProgress")
        self.progress.setFont(scaled_font(self.progress, 1.1))
        self.language = LanguagePage(self)
        self.venue = VenuePage(self)
        self.upstream = UpstreamPage(self)
        self.camera = CameraPage(preview, self)
        self.first_run = first_run
        self.checks_page = ChecksPage(self)
        self.pages = QStackedWidget(self)
        self._page: dict[Step, QWidget] = {
            Step.LANGUAGE: self.language,
            Step.VENUE: self.venue,
            Step.UPSTREAM: self.upstream,
            Step.CAMERA: self.camera,
            Step.OWNER: first_run,
            Step.CHECKS: self.checks_page,
        }
        for step in ORDER:
            self.pages.addWidget(self._page[step])
        self.error = owner_text(self)
        self.error.setObjectName("setupError")
        self.error.setProperty("state", "error")
        self.back_button = make_button("", "neutral", self)
        self.skip_button = make_button("", "neutral", self)
        self.next_button = make_button("", "primary", self)
        nav = QHBoxLayout()
        for button in (self.back_button, self.skip_button, self.next_button):
            button.setMinimumHeight(64)
            nav.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error)
        layout.addLayout(nav)

        self._show_answers()
        self.camera.show_cameras(cameras, self.answers.camera, locked=set_by_installer(machine, "camera"))
        self._wire(checks)
        self.retranslate()
        self._go(Step.LANGUAGE)

    def _wire(self, checks: SetupChecks) -> None:
        self._test.connect(checks.test_upstream)
        self._check.connect(checks.run_checks)
        checks.upstream_tested.connect(self._on_tested)
        checks.checked.connect(self.checks_page.show_checks)
        self.language.chosen.connect(self._on_language)
        self.upstream.test_requested.connect(self._on_test)
        self.upstream.edited.connect(self._render_nav)
        self.camera.chosen.connect(self._on_camera)
        self.back_button.clicked.connect(self._back)
        self.skip_button.clicked.connect(self._skip)
        self.next_button.clicked.connect(self._next)
        self.first_run.finished.connect(self._owner_done)
        self.checks_page.finished.connect(self.done)

    def retranslate(self) -> None:
        self.back_button.setText(self.tr("Back"))
        self.skip_button.setText(self.tr("Skip"))
        self.next_button.setText(self.tr("Next"))
        number = ORDER.index(self.step) + 1
        progress = self.tr("Setting up the kiosk: step %1 of %2")
        self.progress.setText(progress.replace("%1", str(number)).replace("%2", str(len(ORDER))))

    def stop(self) -> None:
        """The window closes: the camera preview, if shown, lets go of the camera."""
        self.camera.stop_preview()

    # --- steps ---

    def _go(self, step: Step) -> None:
        if self.step is Step.CAMERA and step is not Step.CAMERA:
            self.camera.stop_preview()
        self.step = step
        self.error.setText("")
        self.pages.setCurrentWidget(self._page[step])
        if step is Step.CAMERA:
            self.camera.start_preview()
        elif step is Step.CHECKS:
            self.checks_page.waiting()
            self._check.emit(self.config)
        self.retranslate()
        self._render_nav()

    def _render_nav(self) -> None:
        step = self.step
        config_step = step not in (Step.OWNER, Step.CHECKS)
        self.back_button.setVisible(config_step and previous_step(step) is not None)
        self.next_button.setVisible(config_step)
        url_locked = set_by_installer(self._machine, "upstream_url")
        self.skip_button.setVisible(step is Step.UPSTREAM and not url_locked)
        if step is Step.UPSTREAM:
            self.next_button.setEnabled(may_leave_upstream(self.upstream.url.text(), self.upstream.outcome))
        else:
            self.next_button.setEnabled(True)

    def _back(self) -> None:
        previous = previous_step(self.step)
        if previous is not None:
            self._take_answers()
            self._go(previous)

    def _skip(self) -> None:
        self.upstream.show_outcome(None)
        self.answers = self.answers.offline()
        self.upstream.show_values("", "", url_locked=False, key_locked=False)
        self._advance()

    def _next(self) -> None:
        self._take_answers()
        self._advance()

    def _advance(self) -> None:
        if writes_config(self.step) and not self._write():
            return
        following = next_step(self.step)
        if following is not None:
            self._go(following)

    def _take_answers(self) -> None:
        """The typed fields into the answers (the buttons' answers are taken as they are pressed)."""
        a = self.answers
        if self.step is Step.VENUE:
            kiosk_id = self.venue.kiosk_id.text().strip() or default_kiosk_id(self._hostname)
            self.answers = replace(a, venue_name=self.venue.venue.text().strip(), kiosk_id=kiosk_id)
        elif self.step is Step.UPSTREAM:
            url, key = self.upstream.url.text().strip(), self.upstream.api_key.text().strip()
            self.answers = replace(a, upstream_url=url, api_key=key)

    def _write(self) -> bool:
        try:
            save_values(self._config_path, config_values(self.answers, self._machine))
            self.config = self._reload()
        except KioskError as exc:
            self.error.setText(self.tr("The settings could not be saved: %1").replace("%1", exc.message))
            return False
        return True

    def _show_answers(self) -> None:
        a, m = self.answers, self._machine
        self.language.show_choice(a.language, locked=set_by_installer(m, "language"))
        self.venue.venue.setText(a.venue_name)
        self.venue.kiosk_id.setText(a.kiosk_id)
        if set_by_installer(m, "venue_name"):
            lock_field(self.venue.venue, self.venue.venue_note)
        if set_by_installer(m, "kiosk_id"):
            lock_field(self.venue.kiosk_id, self.venue.id_note)
        self.upstream.show_values(
            a.upstream_url,
            a.api_key,
            url_locked=set_by_installer(m, "upstream_url"),
            key_locked=set_by_installer(m, "api_key"),
        )

    # --- the pages' and the worker's signals ---

    @Slot(str)
    def _on_language(self, lang: str) -> None:
        self.answers = replace(self.answers, language=lang)
        self.language_chosen.emit(lang)

    @Slot(str, str)
    def _on_test(self, url: str, api_key: str) -> None:
        if url_problem(url):
            self.upstream.show_outcome(UpstreamOutcome.NOT_HTTPS)
        else:
            self._test.emit(url, api_key)
        self._render_nav()

    @Slot(str)
    def _on_tested(self, outcome: str) -> None:
        self.upstream.show_outcome(UpstreamOutcome(outcome))
        self._render_nav()

    @Slot(str)
    def _on_camera(self, spec: str) -> None:
        self.answers = replace(self.answers, camera=spec)

    @Slot()
    def _owner_done(self) -> None:
        self._go(Step.CHECKS)
