"""The admin screen inside the running window: owner PIN -> owner menu -> Admin -> Back.

Real parts: the project's simulator over 127.0.0.1, a real SQLite file, the bundled
translations, real widgets offscreen, a real config file written by the settings tab.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.config import load_config
from kiosk.simulator.server import Simulator
from kiosk.store.visits import list_visits
from kiosk.ui.admin.screen import AdminScreen
from kiosk.ui.app import KioskApp
from kiosk.ui.model import Screen
from tests.owner.support import GOOD_PIN
from tests.ui.conftest import make_context, provision_owner, started_app

StartKiosk = Callable[..., KioskApp]


@pytest.fixture
def start(qtbot: QtBot, tmp_path: Path, sim: Simulator, qapp: QApplication) -> Iterator[StartKiosk]:
    sim.reset()
    running: list[KioskApp] = []

    def _start(*, admin_idle_s: float = 180.0) -> KioskApp:
        ctx = make_context(tmp_path, url=sim.url)
        config_path = tmp_path / "config.toml"
        config_path.write_text('[kiosk]\nid = "test-kiosk"\nlanguage = "en"\n', encoding="utf-8")
        provision_owner(ctx)
        return started_app(qtbot, running, ctx, config_path=config_path, admin_idle_s=admin_idle_s)

    yield _start
    for app in running:
        app.shutdown()
    sim.reset()
    # A test that switched to Korean leaves the next one in English again.
    for translator in qapp.findChildren(QTranslator, "kiosk-translator"):
        qapp.removeTranslator(translator)
        translator.setParent(None)
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


def open_admin(qtbot: QtBot, app: KioskApp) -> AdminScreen:
    assert app.window.corner is not None  # the owner's way in, also in a normal window
    app.window.corner.long_pressed.emit()  # the 3-second press itself is tested in test_views
    page = app.owner.owner_page
    assert app.controller.state.screen is Screen.PIN
    qtbot.keyClicks(page.pin_pad, GOOD_PIN)
    qtbot.keyClick(page.pin_pad, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.unlocked, timeout=5000)
    assert page.menu.admin_button.isVisible()
    qtbot.mouseClick(page.menu.admin_button, Qt.MouseButton.LeftButton)
    screen = app.admin.screen
    assert screen is not None
    return screen


def staff_deny(qtbot: QtBot, app: KioskApp) -> None:
    """A visitor with no pass, refused by staff (the owner's PIN opens the staff tools: no staff PIN)."""
    before = len(list_visits(app.db))
    if not app.controller.state.staff_open:
        qtbot.mouseClick(app.window.status_bar.staff_button, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(app.owner.staff_pad, GOOD_PIN)
        qtbot.keyClick(app.owner.staff_pad, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: app.controller.state.staff_open, timeout=5000)
    qtbot.mouseClick(app.window.staff_strip.no_pass_deny, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(list_visits(app.db)) > before, timeout=5000)
    qtbot.waitUntil(lambda: app.controller.state.screen is Screen.VERDICT, timeout=5000)


def test_pin_menu_admin_shows_todays_counts_then_back_to_the_entrance(
    qtbot: QtBot, start: StartKiosk, sim: Simulator
) -> None:
    app = start()
    app.window.scan_entered.emit(sim.state.issue_token().token)  # upstream healthy: online admit
    qtbot.waitUntil(lambda: app.controller.state.screen is Screen.VERDICT, timeout=5000)
    staff_deny(qtbot, app)

    screen = open_admin(qtbot, app)
    assert app.controller.state.screen is Screen.ADMIN
    assert app.window.pages.currentWidget() is screen
    assert app.window.status_bar.isVisible()  # the status bar stays over the owner's page
    qtbot.waitUntil(lambda: screen.snapshot is not None, timeout=5000)
    assert screen.today.total.text() == "2"
    assert screen.today.decision_counts["admit"].text() == "1"
    assert screen.today.decision_counts["deny"].text() == "1"
    assert screen.today.path_counts["online"].text() == "1"
    assert screen.today.path_counts["staff"].text() == "1"

    # A visitor's scan while the owner works here is not verified and logs nothing.
    app.window.scan_entered.emit(sim.state.issue_token().token)
    QCoreApplication.processEvents()
    assert app.controller.state.screen is Screen.ADMIN and app.controller.state.verifying is None
    assert len(list_visits(app.db)) == 2

    qtbot.mouseClick(screen.close_button, Qt.MouseButton.LeftButton)
    assert app.controller.state.screen is Screen.IDLE
    assert app.window.shown_page() is app.window.preview
    assert app.owner.owner_page.asking_pin  # the next visit to the menu needs the PIN again
    # The entrance works again at once.
    app.window.scan_entered.emit(sim.state.issue_token().token)
    qtbot.waitUntil(lambda: len(list_visits(app.db)) == 3, timeout=5000)


def test_settings_tab_applies_language_and_verdict_time_at_once(
    qtbot: QtBot, start: StartKiosk, tmp_path: Path
) -> None:
    app = start()
    screen = open_admin(qtbot, app)
    assert app.window.status_bar.staff_button.text() == "Staff"
    assert screen.close_button.text() == "Back to the entrance"
    tab = screen.settings
    screen.tabs.setCurrentWidget(tab)
    tab.language.setCurrentIndex(tab.language.findData("ko"))
    tab.verdict.setValue(7.5)
    saved: list[object] = []
    tab.saved.connect(saved.append)
    qtbot.mouseClick(tab.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(saved), timeout=5000)
    QCoreApplication.processEvents()  # Qt posts LanguageChange; the loop delivers it

    assert load_config(tmp_path / "config.toml").kiosk.language == "ko"  # written for the next start
    assert app.controller.state.language == "ko"
    assert app.window.status_bar.staff_button.text() == "직원"  # the window, retranslated
    assert screen.close_button.text() != "Back to the entrance"  # the admin header too
    # ...and every tab of the open screen, with what the owner chose still in place.
    assert tab.save.text() == "설정 저장" and screen.today.update_trust.text() == "지금 갱신"
    assert screen.tabs.currentWidget() is tab and tab.verdict.value() == 7.5
    assert app.controller.state.screen is Screen.ADMIN  # saving does not leave the page

    qtbot.mouseClick(screen.close_button, Qt.MouseButton.LeftButton)
    t0 = time.monotonic()
    staff_deny(qtbot, app)
    t1 = time.monotonic()
    until = app.controller.state.shown_until
    assert until is not None and t0 + 7.5 <= until <= t1 + 7.5  # the new verdict time, no restart

    # The next opening builds the screen afresh, every tab in the new language.
    again = open_admin(qtbot, app)
    assert again is not screen
    assert again.tabs.tabText(0) != "Today" and again.settings.save.text() != "Save settings"


def test_the_admin_page_closes_itself_when_left_idle(qtbot: QtBot, start: StartKiosk, sim: Simulator) -> None:
    app = start(admin_idle_s=0.5)
    open_admin(qtbot, app)
    assert app.controller.state.screen is Screen.ADMIN
    qtbot.waitUntil(lambda: app.controller.state.screen is Screen.IDLE, timeout=5000)
    app.window.scan_entered.emit(sim.state.issue_token().token)  # the entrance serves again
    qtbot.waitUntil(lambda: len(list_visits(app.db)) == 1, timeout=5000)
