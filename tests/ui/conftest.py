"""Fixtures for the window tests: Qt errors fail the test, real config/SQLite, QR frames on disk.

PySide6 (>= 6.5.2) prints exceptions raised inside Qt virtual methods and slots and
carries on, so pytest-qt cannot see them: the `qt_errors` fixture swaps in an
excepthook that records them, and fails the test that caused one.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator
from pytestqt.qtbot import QtBot

from kiosk.camera.errors import CameraUnavailableError
from kiosk.camera.feed import SourceFactory
from kiosk.clock import SystemClock
from kiosk.config import parse_config
from kiosk.context import Context
from kiosk.owner.account import OwnerAccount
from kiosk.paths import database_path
from kiosk.ui.app import KioskApp
from kiosk.ui.resources.i18n import install_language
from tests.camera.qrimages import qr_image
from tests.owner.support import FAST_SCRYPT, GOOD_PIN
from tests.ui.admin.seed import Seeded, seed

FRAME_W, FRAME_H = 1280, 720


@pytest.fixture(autouse=True)
def qt_errors() -> Iterator[list[str]]:
    caught: list[str] = []
    previous = sys.excepthook

    def hook(kind: type[BaseException], exc: BaseException, tb: types.TracebackType | None) -> None:
        caught.append(f"{kind.__name__}: {exc}")
        previous(kind, exc, tb)

    sys.excepthook = hook
    yield caught
    sys.excepthook = previous
    assert not caught, f"exceptions inside Qt callbacks: {caught}"


def make_context(tmp_path: Path, extra: str = "", *, url: str = "") -> Context:
    upstream = (
        f'[upstream]\nurl = "{url}"\napi_key = "demo-key"\nprobe_base_s = 0.3\nprobe_max_s = 1.0\n'
        if url
        else ""
    )
    text = f'[kiosk]\nid = "test-kiosk"\nlanguage = "en"\n{upstream}{extra}'
    config = parse_config(text, source="test config")
    folder = tmp_path / "data"
    return Context(config=config, data_dir=folder, db_path=database_path(folder))


def provision_owner(ctx: Context, pin: str = GOOD_PIN) -> str:
    """Set the owner up before the window opens (as an installer or the demo does); the recovery code."""
    return OwnerAccount(ctx.db(), SystemClock(), scrypt=FAST_SCRYPT).set_up(pin).recovery_code


def no_camera():  # type: ignore[no-untyped-def]
    raise CameraUnavailableError("No camera found at index 0.")


def started_app(qtbot: QtBot, running: list[KioskApp], ctx: Context, **options: Any) -> KioskApp:
    """The whole window on `ctx` with no camera, started and on screen; the caller shuts `running` down."""
    app = KioskApp(ctx, camera=no_camera, status_interval_ms=100, camera_retry_s=0.2, **options)
    running.append(app)
    qtbot.addWidget(app.window)
    app.start()
    qtbot.waitExposed(app.window)
    return app


Watcher = TypeVar("Watcher")


def start_kiosk(
    qtbot: QtBot,
    ctx: Context,
    camera: SourceFactory,
    running: list[KioskApp],
    watch: Callable[[KioskApp], Watcher],
) -> Watcher:
    """A whole window on `ctx` (its owner set up) reading `camera`, shown; `watch(app)` connects
    what the test watches before anything can happen. `running` collects it for shutdown."""
    provision_owner(ctx)
    app = KioskApp(ctx, camera=camera, status_interval_ms=100, camera_retry_s=0.2)
    running.append(app)
    qtbot.addWidget(app.window)
    watcher = watch(app)
    app.start()
    qtbot.waitExposed(app.window)
    return watcher


def pass_frame(text: str, *, px: int = 5, background: int = 140) -> np.ndarray:
    """A webcam-sized grey frame with the pass's QR (segno) in the middle, as a phone held up."""
    code = qr_image(text, px=px)
    frame = np.full((FRAME_H, FRAME_W), background, dtype=np.uint8)
    h, w = code.shape
    if h > FRAME_H or w > FRAME_W:
        raise ValueError("QR too large for the frame")
    y, x = (FRAME_H - h) // 2, (FRAME_W - w) // 2
    frame[y : y + h, x : x + w] = code
    return frame


def write_frames(folder: Path, frames: list[np.ndarray]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, frame in enumerate(frames):
        cv2.imwrite(str(folder / f"frame{i:03d}.png"), frame)
    return folder


def empty_frame() -> np.ndarray:
    return np.full((FRAME_H, FRAME_W), 140, dtype=np.uint8)


@pytest.fixture
def english_after(qapp) -> Iterator[None]:
    """Leave the session's QApplication as the other tests expect it: no kiosk translators."""
    yield
    for translator in qapp.findChildren(QTranslator, "kiosk-translator"):
        qapp.removeTranslator(translator)
        translator.setParent(None)
    for translator in qapp.findChildren(QTranslator, "kiosk-other-language"):
        translator.setParent(None)  # loaded for bilingual lines, never installed
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


def speak(qapp, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Switch the running window's language as the app does; Qt delivers LanguageChange."""
    assert install_language(qapp, lang)
    QCoreApplication.processEvents()


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[Seeded]:
    """The admin screen's seeded data file (`tests/ui/admin/seed.py`), closed after the test."""
    s = seed(tmp_path)
    yield s
    s.db.close()



def pass_setup(qtbot: QtBot, app: KioskApp) -> None:
    """Through the set-up wizard's config steps as they come (Next on each) to its PIN step."""
    from kiosk.ui.setup.steps import Step

    wizard = app.owner.setup
    assert wizard is not None
    while wizard.step is not Step.OWNER:
        assert wizard.next_button.isEnabled(), f"Next refused at {wizard.step}: {wizard.error.text()}"
        qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
