"""Walk every page of the real window at a size and say what is cut off (the layout test's engine).

A page is reached the way the window reaches it (a rendered `ScreenState`, the owner
flow's own methods, the admin screen's tabs); then every visible widget is checked:
it must lie inside the window (inside its scroll area's content when it scrolls), and a
label's text must fit its contents rectangle. Problems name the page, the size, the
widget's objectName and class and the text's length, never the text itself.

Run as a module (`python -m tests.ui.layout_walk DATA_DIR`) it opens the window at the
screen's available size, as `kiosk run` does, and prints one problem per line: the
Qt scale factors need a fresh process each.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QLabel, QWidget

from kiosk.decision import Health, Reason, Verdict, VerifiedBy
from kiosk.ui.app import KioskApp
from kiosk.ui.events import HealthChanged, StatusSnapshot
from kiosk.ui.model import Screen, ScreenState, Shown
from kiosk.ui.resources import texts

SIZES = (
    QSize(800, 600),
    QSize(1024, 600),
    QSize(1280, 800),
    QSize(1920, 1080),
    QSize(800, 1280),
    QSize(1080, 1920),
)
# The longest figures the bar can show, so the widest bar is the one checked.
STATUS = StatusSnapshot(
    at=1_700_000_000.0,
    health=Health.DEGRADED,
    pending_uploads=88_888,
    visits_today=8_888,
    trust_updated_at=1_700_000_000.0 - 40 * 3600,
    trust_level="aging",
    last_failure="timeout",
    next_probe_at=1_700_000_100.0,
    quarantined_uploads=888,
)
RECOVERY_CODE = "WWWW-WWWW-WWWW-WWWW-WWWW-WWWW"  # the widest letters of the code's alphabet


def _longest_reason(verdict: Verdict) -> Reason:
    reasons = [r for r in Reason if r is not Reason.VALID] if verdict is not Verdict.ADMIT else [Reason.VALID]
    return max(reasons, key=lambda r: len(texts.reason_text(r)))


def _verdict(verdict: Verdict, by: VerifiedBy) -> ScreenState:
    shown = Shown(verdict, _longest_reason(verdict), by, "W** WWWWWW", "visit-1", repeat=True)
    return ScreenState(screen=Screen.VERDICT, shown=shown, shown_until=time.monotonic() + 3600)


def show_state(app: KioskApp, state: ScreenState) -> None:
    """Put the window on `state`, with the widest status bar figures."""
    c = app.controller
    # The controller's own state, so its timer and the owner flow render the same page.
    c.state = replace(state, language=c.state.language)
    c.dispatch(HealthChanged(STATUS))


def pages(app: KioskApp) -> Iterator[tuple[str, Callable[[], None]]]:
    """(name, reach) for every page; `reach` puts the window on it (in any order)."""
    c, owner = app.controller, app.owner

    def render(state: ScreenState) -> Callable[[], None]:
        return lambda: show_state(app, state)

    yield "idle", render(ScreenState())
    yield "verifying", render(ScreenState(screen=Screen.VERIFYING, verifying="digest"))
    yield "no camera", render(ScreenState(camera_ok=False))
    yield "admit", render(_verdict(Verdict.ADMIT, VerifiedBy.OFFLINE))
    yield "deny", render(_verdict(Verdict.DENY, VerifiedBy.ONLINE))
    yield "check", render(_verdict(Verdict.MANUAL, VerifiedBy.NONE))

    def manual() -> None:
        owner.panel.set_phone_allowed(True)
        owner.panel.show_error(QCoreApplication.translate("ManualLogPanel", "Not a mobile number."))
        render(ScreenState(screen=Screen.MANUAL_LOG))()

    yield "manual log", manual
    page = owner.owner_page

    def owner_page(show: Callable[[], None]) -> Callable[[], None]:
        def go() -> None:
            render(ScreenState(screen=Screen.PIN))()
            show()

        return go

    yield "pin pad", owner_page(page.ask_pin)
    yield "pin locked", owner_page(lambda: (page.ask_pin(), page.pin_pad.show_locked(60)))
    yield "forgotten pin", owner_page(page.show_recovery)
    yield "new recovery code", owner_page(lambda: page.show_new_code(RECOVERY_CODE))
    yield "owner menu", owner_page(page.show_menu)
    flow = owner.first_run

    def first_run(index: int) -> Callable[[], None]:
        def go() -> None:
            render(ScreenState(screen=Screen.FIRST_RUN))()
            if index == flow.PAGE_CODE:
                flow.show_recovery_code(RECOVERY_CODE)
            flow.pages.setCurrentIndex(index)

        return go

    yield "first run", first_run(flow.PAGE_PIN)
    yield "first run working", first_run(flow.PAGE_WORKING)
    yield "first run code", first_run(flow.PAGE_CODE)

    def admin(index: int) -> Callable[[], None]:
        def go() -> None:
            if c.state.screen is not Screen.ADMIN:
                owner_page(page.show_menu)()
                app.admin.open()
            assert app.admin.screen is not None and c.state.screen is Screen.ADMIN
            app.admin.screen.tabs.setCurrentIndex(index)

        return go

    app.admin._screen()  # built here so the tab count is known; the app builds it on first use
    screen = app.admin.screen
    assert screen is not None
    for index in range(screen.tabs.count()):
        yield f"admin tab {index}", admin(index)


def _window_rect(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _bounds(widget: QWidget, window: QWidget) -> QRect:
    """Where `widget` may be: inside its scroll area's content when it scrolls, else the window."""
    child, parent = widget, widget.parentWidget()
    while parent is not None and parent is not window:
        area = parent.parentWidget()
        if isinstance(area, QAbstractScrollArea) and parent is area.viewport():
            return _window_rect(child, window)  # hidden under the viewport is what scrolling is for
        child, parent = parent, parent.parentWidget()
    return window.rect()


def _describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QLabel) else ""
    return f"{widget.objectName() or '-'} ({type(widget).__name__}, text of {len(text)} chars)"


def problems(window: QWidget, where: str) -> list[str]:
    """What is cut off on the window as it is now; `where` names the page, size and language."""
    found: list[str] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.isWindow():
            continue
        rect, bounds = _window_rect(widget, window), _bounds(widget, window)
        if not bounds.contains(rect):
            found.append(f"{where}: {_describe(widget)} at {_fmt(rect)} leaves {_fmt(bounds)}")
        if isinstance(widget, QLabel) and widget.text() and widget.textFormat() != Qt.TextFormat.RichText:
            flags = int(widget.alignment().value)
            if widget.wordWrap():
                flags |= Qt.TextFlag.TextWordWrap.value
            inner = widget.contentsRect()
            need = QFontMetrics(widget.font()).boundingRect(inner, flags, widget.text())
            if not inner.contains(need):
                found.append(
                    f"{where}: {_describe(widget)} is clipped: text needs {need.width()}x{need.height()}"
                    f" in {inner.width()}x{inner.height()}"
                )
    return found


def _fmt(rect: QRect) -> str:
    return f"{rect.x()},{rect.y()} {rect.width()}x{rect.height()}"


def settle() -> None:
    for _ in range(3):
        QCoreApplication.processEvents()


def walk(app: KioskApp, size: QSize, language: str) -> list[str]:
    """Every page at `size` (the window resized to it) in `language`: the problems found."""
    window = app.window
    window.resize(size)
    settle()
    found: list[str] = []
    label = f"{size.width()}x{size.height()} {language}"
    for name, reach in pages(app):
        reach()
        window.resize(size)  # a full-screen window keeps the screen's size whatever the page
        settle()
        where = f"{name} at {label}"
        minimum = window.minimumSizeHint()
        if window.size() != size or minimum.boundedTo(size) != minimum:
            found.append(
                f"{where}: the window is {window.width()}x{window.height()}"
                f" and its page needs {minimum.width()}x{minimum.height()}"
            )
        found.extend(problems(window, where))
    return found


def main(data_dir: Path) -> int:  # pragma: no cover - run in a subprocess by the layout test
    from kiosk.ui.app import load_fonts
    from kiosk.ui.resources.i18n import install_language
    from tests.ui.conftest import make_context, provision_owner

    qt = QApplication.instance() or QApplication(sys.argv[:1])
    load_fonts()  # the bundled Hangul font, as `kiosk run` does
    ctx = make_context(data_dir)
    provision_owner(ctx)
    app = KioskApp(ctx, camera=_no_camera)
    app.start()
    app.poller.stop()  # the walk shows the widest status figures, not the live ones
    settle()
    available = app.window.screen().availableGeometry().size()
    found: list[str] = []
    if app.window.size() != available:
        found.append(f"the window opened at {app.window.width()}x{app.window.height()}, not {_sz(available)}")
    for language in ("ko", "en"):
        install_language(qt, language)
        app.controller.set_language(language)
        found.extend(walk(app, available, language))
    print(f"screen {_sz(available)}")
    for line in found:
        print(line)
    app.shutdown()
    return 0


def _sz(size: QSize) -> str:
    return f"{size.width()}x{size.height()}"


def _no_camera():  # type: ignore[no-untyped-def]
    from kiosk.camera.errors import CameraUnavailableError

    raise CameraUnavailableError("No camera found at index 0.")


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(Path(sys.argv[1])))
