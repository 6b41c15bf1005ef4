"""The demo's running window: the real KioskApp on the simulator and the virtual camera, and a director.

The story runs on a director thread (it sleeps between scenes, talks to the
simulator and the store) and touches the window only through the controller's
public intents, posted to the GUI thread (`on_gui`). It watches the screen through
`Controller.state_changed`. So whatever panels the app installs (manual log, PIN
pad) are what the demo shows and photographs.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from kiosk.clock import SystemClock
from kiosk.config import parse_config
from kiosk.context import Context
from kiosk.demo.stage import Stage
from kiosk.demo.story import DEMO_CONFIG, DEMO_KEY
from kiosk.owner.account import OwnerAccount
from kiosk.owner.staff_pin import StaffPin
from kiosk.paths import database_path
from kiosk.simulator.server import Simulator
from kiosk.store.database import Database
from kiosk.store.trust_store import TrustStore
from kiosk.ui.app import KioskApp
from kiosk.ui.model import ScreenState
from kiosk.ui.resources.i18n import install_language
from kiosk.upstream.trust_sync import sync_trust_list
from kiosk.wiring import build_client

# The owner PIN the demo sets up in a data folder that has no owner yet (printed at start).
DEMO_PIN = "204863"
# The staff PIN the demo sets in a data folder that has none (it guards the staff answers).
DEMO_STAFF_PIN = "4826"

WINDOW_CONFIG = DEMO_CONFIG + """[ui]
verdict_seconds = {verdict_s}
cooldown_s = 5.0
"""


class StoryAborted(RuntimeError):
    """The window was closed (or a scene never came) before the story ended."""


class _Bridge(QObject):
    """Runs callables on the GUI thread: the only way the director touches widgets."""

    posted = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.posted.connect(self._run, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _run(self, call: Callable[[], None]) -> None:
        call()


class ScreenWatch:
    """The newest ScreenState, readable from the director thread; `wait` blocks until a condition holds."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._state: ScreenState | None = None
        self.closed = False

    def update(self, state: ScreenState) -> None:
        with self._cond:
            self._state = state
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    def pause(self, seconds: float) -> None:
        """Let the scene be seen for `seconds`; ends early (StoryAborted) if the window closes."""
        deadline = time.monotonic() + seconds
        with self._cond:
            while not self.closed and (remaining := deadline - time.monotonic()) > 0:
                self._cond.wait(remaining)
            if self.closed:
                raise StoryAborted("the window was closed")

    @property
    def state(self) -> ScreenState | None:
        with self._cond:
            return self._state

    def wait(self, condition: Callable[[ScreenState], bool], timeout_s: float, what: str) -> ScreenState:
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while True:
                if self.closed:
                    raise StoryAborted("the window was closed")
                if self._state is not None and condition(self._state):
                    return self._state
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise StoryAborted(f"the demo waited in vain for {what}")
                self._cond.wait(remaining)


def provision_owner(db: Database, clock: SystemClock) -> bool:
    """Set up the demo owner (PIN `DEMO_PIN`) and the staff PIN (`DEMO_STAFF_PIN`) unless the
    folder has them. True when the owner was set up now."""
    staff = StaffPin(db, clock)
    if not staff.is_set():
        staff.set_pin(DEMO_STAFF_PIN)
    account = OwnerAccount(db, clock)
    if account.is_set_up():
        return False
    account.set_up(DEMO_PIN)
    return True


def _quiet_offscreen_notes() -> None:
    """Qt's own messages go to the log as in `kiosk run`, and the offscreen platform's note
    about size hints (once per window) nowhere: the demo's terminal shows the demo only."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    from kiosk.ui.desktop.qtlog import route_qt_messages

    def handler(kind: QtMsgType, context: Any, message: str) -> None:
        if "propagateSizeHints" not in message:
            route_qt_messages(kind, context, message)

    qInstallMessageHandler(handler)


def start_qt(app: QCoreApplication | None = None) -> Any:
    """The QApplication (created if there is none), with the kiosk's fonts registered."""
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    qt = app or QApplication.instance()
    if qt is None:
        _quiet_offscreen_notes()
        qt = QApplication(["kiosk-demo"])
    try:
        from kiosk.ui.resources.fonts import load_fonts as register

        family = register()
        if family:
            qt.setFont(QFont(family))
    except (ImportError, RuntimeError):
        pass  # the platform's own fonts, as in `kiosk run`
    return qt


class DemoWindow:
    """A KioskApp in `data_dir` against `sim`, fed by `stage`; the director's handle on it."""

    def __init__(
        self,
        sim: Simulator,
        data_dir: Path,
        stage: Stage,
        *,
        language: str = "ko",
        verdict_s: float = 4.0,
        size: tuple[int, int] | None = None,
        say: Callable[[str], None] = print,
    ) -> None:
        self.sim = sim
        self.size = size  # the window's width and height; None: the screen's, as `kiosk run`
        self.stage = stage
        self.clock = SystemClock()
        text = WINDOW_CONFIG.format(
            url=sim.url,
            key=DEMO_KEY,
            language=language,
            verdict_s=verdict_s,
            signing_key=sim.state.list_signing_key,
        )
        config = parse_config(text, source="demo settings")
        self.ctx = Context(config=config, data_dir=data_dir, db_path=database_path(data_dir))
        self.db = self.ctx.db()
        self.owner_created = provision_owner(self.db, self.clock)
        # The trust list first, so the first offline verdict has signers to check against.
        client = build_client(self.ctx, clock=self.clock, rng=random.Random())
        try:
            self.trust_stored = sync_trust_list(client, TrustStore(self.db), self.clock).stored
        finally:
            client.close()
        qt = QCoreApplication.instance()
        if qt is not None:
            install_language(qt, language)  # type: ignore[arg-type]
        self.app = KioskApp(self.ctx, clock=self.clock, camera=stage.open, status_interval_ms=300)
        self.watch = ScreenWatch()
        self.bridge = _Bridge()
        self.app.controller.state_changed.connect(self.watch.update)
        self.watch.update(self.app.controller.state)

    @property
    def controller(self):  # type: ignore[no-untyped-def]
        return self.app.controller

    def on_gui(self, call: Callable[[], None]) -> None:
        """Post `call` to the GUI thread (from the director thread)."""
        self.bridge.posted.emit(call)

    def on_gui_wait(self, call: Callable[[], Any], timeout_s: float = 10.0) -> Any:
        """Run `call` on the GUI thread and wait for its result."""
        done = threading.Event()
        box: list[Any] = []

        def run() -> None:
            try:
                box.append(call())
            finally:
                done.set()

        self.on_gui(run)
        deadline = time.monotonic() + timeout_s
        while not done.wait(0.05):
            if self.watch.closed or time.monotonic() > deadline:
                raise StoryAborted("the window did not answer")
        return box[0] if box else None

    def grab(self, path: Path) -> Path:
        """A PNG of the whole window as it is painted now (taken on the GUI thread)."""

        def shoot() -> bool:
            QCoreApplication.processEvents()  # language changes and repaints are posted events
            return self.app.window.grab().save(str(path), "PNG")

        path.parent.mkdir(parents=True, exist_ok=True)
        if not self.on_gui_wait(shoot):
            raise OSError(f"could not write the screenshot {path.name}")
        return path

    def set_language(self, language: str) -> None:
        self.on_gui_wait(lambda: self.controller.set_language(language))
        self.watch.wait(lambda s: s.language == language, 5, f"the {language} screen")

    def start(self) -> None:
        self.app.start()
        if self.size is not None:
            self.app.window.resize(*self.size)

    def shutdown(self) -> None:
        self.watch.close()
        self.app.shutdown()


def run_directed(qt: Any, win: DemoWindow, direct: Callable[[DemoWindow], None]) -> BaseException | None:
    """Start the window, run `direct(win)` on a director thread while Qt's loop runs; the director's error.

    The loop ends when the director is done (it posts `exit`) or the person watching
    closes the window; either way every worker is stopped and joined before returning.
    """
    errors: list[BaseException] = []

    def body() -> None:
        try:
            direct(win)
        except BaseException as exc:  # reported by the caller, after the window is down
            errors.append(exc)
        finally:
            win.on_gui(lambda: qt.exit(0))

    win.start()
    director = threading.Thread(target=body, name="demo-director", daemon=True)
    director.start()
    qt.exec()
    win.watch.close()  # a director still waiting on the screen gives up now
    director.join(30)
    win.shutdown()
    return errors[0] if errors else None
