"""The set-up wizard in the whole window: real widgets, the simulator over 127.0.0.1, real files."""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.camera.feed import SourceFactory, camera_factory
from kiosk.clock import SystemClock
from kiosk.config_layers import machine_config_path, user_config_path
from kiosk.context import Context, open_context
from kiosk.simulator.server import Simulator
from kiosk.ui.app import KioskApp
from kiosk.ui.model import Screen
from kiosk.ui.resources.i18n import window_language
from kiosk.ui.setup.camera_page import Framing
from kiosk.ui.setup.steps import Step, UpstreamOutcome
from kiosk.ui.setup.wizard import SetupWizard
from tests.owner.support import GOOD_PIN
from tests.ui.conftest import make_context, no_camera, pass_frame, write_frames
from tests.ui.owner.test_owner_window import type_pin
from tests.upstream.support import closed_port

Start = Callable[..., KioskApp]
restarts: list[KioskApp] = []  # the apps that asked `kiosk run` for a new start


@pytest.fixture
def start(qtbot: QtBot, tmp_path: Path) -> Iterator[Start]:
    """A fresh install's window (no owner yet) on `url`, reading `camera`."""
    running: list[KioskApp] = []
    restarts.clear()

    def _start(
        url: str = "", camera: SourceFactory | None = no_camera, ctx: Context | None = None
    ) -> KioskApp:
        """`ctx`: as `kiosk run` opens it (the config files) instead of the test's own config."""
        ctx = ctx or make_context(tmp_path, url=url)
        app = KioskApp(
            ctx,
            camera=camera,
            status_interval_ms=100,
            camera_retry_s=0.2,
            restart=lambda: restarts.append(app),
        )
        running.append(app)
        qtbot.addWidget(app.window)
        app.start()
        qtbot.waitExposed(app.window)
        return app

    yield _start
    for app in running:
        app.shutdown()


def wizard_of(app: KioskApp) -> SetupWizard:
    assert app.owner.setup is not None
    return app.owner.setup


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def to_step(qtbot: QtBot, wizard: SetupWizard, step: Step) -> None:
    while wizard.step is not step:
        click(qtbot, wizard.next_button)


def enter_text(qtbot: QtBot, field, text: str) -> None:  # type: ignore[no-untyped-def]
    field.selectAll()
    qtbot.keyClicks(field, text)


def try_upstream(qtbot: QtBot, wizard: SetupWizard, url: str, key: str) -> UpstreamOutcome:
    page = wizard.upstream
    enter_text(qtbot, page.url, url)
    enter_text(qtbot, page.api_key, key)
    assert page.outcome is None  # an edit forgets the last test
    click(qtbot, page.test_button)
    qtbot.waitUntil(lambda: page.outcome is not None, timeout=15_000)
    assert page.outcome is not None
    return page.outcome


def written() -> dict:
    return tomllib.loads(user_config_path().read_text(encoding="utf-8"))


def finish(qtbot: QtBot, app: KioskApp) -> str:
    """The owner's PIN and recovery code (today's first run), then doctor's checks; the summary text."""
    wizard, flow = wizard_of(app), app.owner.first_run
    assert wizard.step is Step.OWNER and not wizard.next_button.isVisible()
    type_pin(qtbot, flow.pin_pad, GOOD_PIN)
    type_pin(qtbot, flow.pin_pad, GOOD_PIN)
    qtbot.waitUntil(lambda: flow.pages.currentIndex() == flow.PAGE_CODE, timeout=15_000)
    flow.written_down.setChecked(True)
    click(qtbot, flow.done_button)
    assert wizard.step is Step.CHECKS and app.controller.state.screen is Screen.FIRST_RUN
    page = wizard.checks_page
    qtbot.waitUntil(page.start_button.isEnabled, timeout=20_000)
    rows = page.rows.text()
    click(qtbot, page.start_button)
    assert app.controller.state.screen is Screen.IDLE
    return rows


def test_a_wrong_key_is_said_and_can_be_fixed(qtbot: QtBot, start: Start, fresh_sim: Simulator) -> None:
    app = start(url=fresh_sim.url)
    wizard = wizard_of(app)
    to_step(qtbot, wizard, Step.UPSTREAM)
    assert try_upstream(qtbot, wizard, fresh_sim.url, "not-the-key") is UpstreamOutcome.WRONG_KEY
    assert "refuses this key" in wizard.upstream.result.text()
    assert not wizard.next_button.isEnabled()  # fix it, or skip
    assert wizard.skip_button.isVisible() and wizard.skip_button.isEnabled()
    assert try_upstream(qtbot, wizard, fresh_sim.url, "demo-key") is UpstreamOutcome.OK
    assert "key is accepted" in wizard.upstream.result.text()
    click(qtbot, wizard.next_button)
    click(qtbot, wizard.next_button)  # camera: none found, the default stays
    assert wizard.step is Step.OWNER
    up = written()["upstream"]
    assert (up["url"], up["api_key"]) == (fresh_sim.url, "demo-key")
    rows = finish(qtbot, app)
    assert "the kiosk key is accepted" in rows  # doctor's own upstream check, on the written config
    assert restarts == []  # the client the app runs with is the one the wizard tested


def test_a_wrong_key_can_be_skipped_to_offline_mode(qtbot: QtBot, start: Start, fresh_sim: Simulator) -> None:
    app = start(url=fresh_sim.url)
    wizard = wizard_of(app)
    to_step(qtbot, wizard, Step.UPSTREAM)
    assert try_upstream(qtbot, wizard, fresh_sim.url, "not-the-key") is UpstreamOutcome.WRONG_KEY
    click(qtbot, wizard.skip_button)
    assert wizard.step is Step.CAMERA
    click(qtbot, wizard.next_button)
    assert written()["upstream"] == {"url": "", "api_key": ""}
    finish(qtbot, app)
    assert restarts == [app]  # the app was built with an upstream client: a new start drops it


def test_no_network_is_cannot_reach_and_skippable(qtbot: QtBot, start: Start) -> None:
    wizard = wizard_of(start())
    to_step(qtbot, wizard, Step.UPSTREAM)
    url = f"http://127.0.0.1:{closed_port()}"
    assert try_upstream(qtbot, wizard, url, "demo-key") is UpstreamOutcome.UNREACHABLE
    assert "Cannot reach the service" in wizard.upstream.result.text()
    assert wizard.next_button.isEnabled()  # the network may come later: keeping the address is allowed
    click(qtbot, wizard.skip_button)
    assert wizard.step is Step.CAMERA


def test_an_address_that_is_not_https_is_refused_before_any_call(qtbot: QtBot, start: Start) -> None:
    wizard = wizard_of(start())
    to_step(qtbot, wizard, Step.UPSTREAM)
    assert try_upstream(qtbot, wizard, "http://verify.example.com", "k") is UpstreamOutcome.NOT_HTTPS
    assert "Not an https address" in wizard.upstream.result.text()
    assert not wizard.next_button.isEnabled()


def test_no_camera_takes_the_handheld_scanner_path(qtbot: QtBot, start: Start, tmp_path: Path) -> None:
    app = start()
    wizard = wizard_of(app)
    to_step(qtbot, wizard, Step.CAMERA)
    page = wizard.camera
    qtbot.waitUntil(lambda: page.framing is Framing.NO_PICTURE, timeout=10_000)
    assert "shows nothing" in page.framing_label.text()
    click(qtbot, page.buttons["none"])
    assert "handheld scanner" in page.framing_label.text() and not page.canvas.isVisible()
    click(qtbot, wizard.next_button)
    assert written()["ui"]["camera"] == "none"
    rows = finish(qtbot, app)
    assert "camera:" not in rows  # no camera asked for, none checked
    again = start(camera=None, ctx=open_context(None, tmp_path / "data"))  # the next start, set up
    assert again.owner.setup is None and again.ctx.config.ui.camera == "none"
    assert again.controller.state.screen is Screen.IDLE and not again.camera.running


def test_the_preview_shows_the_camera_and_says_when_a_pass_is_read(
    qtbot: QtBot, start: Start, tmp_path: Path
) -> None:
    folder = write_frames(tmp_path / "frames", [pass_frame("KP1:setup-framing-check")])
    wizard = wizard_of(start(camera=camera_factory(str(folder), SystemClock())))
    to_step(qtbot, wizard, Step.CAMERA)
    page = wizard.camera
    qtbot.waitUntil(lambda: page.canvas.frames_shown > 0, timeout=10_000)
    qtbot.waitUntil(lambda: page.framing is Framing.GOOD, timeout=10_000)
    assert page.framing_label.text() == "Good: the pass was read."
    assert page._worker is not None
    page._worker.hint_changed.emit("closer")  # the worker's evidence: a code too few pixels wide
    qtbot.waitUntil(lambda: page.framing is Framing.TOO_SMALL, timeout=5_000)
    assert page.framing_label.text() == "Too small — bring the pass closer."
    click(qtbot, wizard.back_button)  # leaving the step lets go of the camera
    assert wizard.step is Step.UPSTREAM and page._worker is None


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_config_is_written_private_with_the_answers_and_keeps_other_keys(
    qtbot: QtBot, start: Start
) -> None:
    user = user_config_path()
    user.parent.mkdir(parents=True, exist_ok=True)
    user.write_text("# the owner's own note\n[ui]\nsound_volume = 30\n", encoding="utf-8")
    wizard = wizard_of(start())
    to_step(qtbot, wizard, Step.VENUE)
    enter_text(qtbot, wizard.venue.venue, "Mapo Gukbap")
    enter_text(qtbot, wizard.venue.kiosk_id, "front-door")
    to_step(qtbot, wizard, Step.OWNER)
    assert stat.S_IMODE(user.stat().st_mode) == 0o600
    data = written()
    assert data["kiosk"] == {"language": "en", "venue_name": "Mapo Gukbap", "id": "front-door"}
    assert data["ui"] == {"sound_volume": 30, "camera": ""}
    assert "# the owner's own note" in user.read_text(encoding="utf-8")
    assert wizard.config.kiosk.venue_name == "Mapo Gukbap"


def test_an_interrupted_wizard_starts_again_with_nothing_written(qtbot: QtBot, start: Start) -> None:
    wizard = wizard_of(start())
    to_step(qtbot, wizard, Step.CAMERA)
    assert not user_config_path().exists()  # the answers are written on leaving this step only
    again = start()
    assert again.owner.setup is not None and again.controller.state.screen is Screen.FIRST_RUN


def test_the_installers_values_are_shown_not_edited_and_not_written(
    qtbot: QtBot, start: Start, tmp_path: Path
) -> None:
    machine = machine_config_path()
    machine.parent.mkdir(parents=True, exist_ok=True)
    machine.write_text('[upstream]\nurl = "https://verify.example.com"\napi_key = "installer-key"\n')
    wizard = wizard_of(start(ctx=open_context(None, tmp_path / "data")))
    to_step(qtbot, wizard, Step.UPSTREAM)
    page = wizard.upstream
    assert page.url.text() == "https://verify.example.com" and not page.url.isEnabled()
    assert page.url_note.isVisible() and page.url_note.text() == "Set by the installer"
    assert not page.api_key.isEnabled() and not wizard.skip_button.isVisible()
    to_step(qtbot, wizard, Step.OWNER)
    assert "upstream" not in written()
    assert wizard.config.upstream.url == "https://verify.example.com"  # in force, from the machine's file


def test_the_language_switches_the_window_live(qtbot: QtBot, start: Start, english_after: None) -> None:
    app = start()
    wizard = wizard_of(app)
    english = wizard.language.heading.text()
    click(qtbot, wizard.language.korean)
    QApplication.processEvents()
    assert window_language() == "ko" and app.controller.state.language == "ko"
    assert wizard.language.heading.text() != english
    assert (wizard.next_button.text(), wizard.back_button.text()) == ("다음", "이전")
    click(qtbot, wizard.language.english)
    QApplication.processEvents()
    assert wizard.language.heading.text() == english
    to_step(qtbot, wizard, Step.OWNER)
    assert written()["kiosk"]["language"] == "en"


def test_a_wizard_left_at_the_pin_starts_again_with_its_answers(
    qtbot: QtBot, start: Start, tmp_path: Path
) -> None:
    wizard = wizard_of(start(ctx=open_context(None, tmp_path / "data")))
    to_step(qtbot, wizard, Step.VENUE)
    enter_text(qtbot, wizard.venue.venue, "Mapo Gukbap")
    to_step(qtbot, wizard, Step.OWNER)
    again = wizard_of(start(ctx=open_context(None, tmp_path / "data")))  # the next start, no owner yet
    assert again.step is Step.LANGUAGE and again.venue.venue.text() == "Mapo Gukbap"
