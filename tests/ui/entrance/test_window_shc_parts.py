"""A chunked SMART Health Card at the window: real QR images of its parts, one visit.

Real parts: the simulator on 127.0.0.1 issues the card and serves its issuer's keys
(synced by the app's own maintenance thread), segno renders each part's QR into a
720p frame read by an image-folder camera, SQLite on disk, widgets offscreen.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.camera.errors import CameraUnavailableError
from kiosk.camera.sources import ImageFolderSource, PacedSource
from kiosk.clock import SystemClock
from kiosk.decision import PassKind, Verdict, VerifiedBy
from kiosk.passes.shc_qr import parse_qr
from kiosk.simulator.foreign import SHC_ISSUER
from kiosk.simulator.server import Simulator
from kiosk.store.issuer_store import IssuerStore
from kiosk.store.visits import get_visit, list_visits
from kiosk.ui.app import KioskApp
from kiosk.ui.model import CardNotice, ScreenState
from tests.ui.conftest import empty_frame, make_context, pass_frame, provision_owner, write_frames


class GatedCamera:
    """The image folder once, after `ready` is set (the camera is "unplugged" before and after)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ready = threading.Event()
        self.opened = 0

    def __call__(self) -> PacedSource:
        if not self.ready.is_set() or self.opened:
            raise CameraUnavailableError("No camera found at index 0.")
        self.opened += 1
        return PacedSource(ImageFolderSource(self.folder, repeat_each=12), fps=30, clock=SystemClock())


@pytest.fixture
def app(qtbot: QtBot, tmp_path: Path, sim: Simulator) -> Iterator[tuple[KioskApp, GatedCamera, list[str]]]:
    sim.reset()
    parts = sim.state.foreign.issue_shc({"chunks": 3, "days_ago": 40})["passes"]
    assert [parse_qr(p).index for p in parts] == [1, 2, 3]
    # Shown out of order, with the room empty before and after.
    frames = [empty_frame(), pass_frame(parts[1]), pass_frame(parts[0]), pass_frame(parts[2]), empty_frame()]
    camera = GatedCamera(write_frames(tmp_path / "camera", frames))
    ctx = make_context(tmp_path, "", url=sim.url)
    provision_owner(ctx)
    kiosk = KioskApp(ctx, camera=camera, status_interval_ms=100, camera_retry_s=0.2)
    qtbot.addWidget(kiosk.window)
    kiosk.start()
    qtbot.waitExposed(kiosk.window)
    # The maintenance thread fetches the issuer's keys from the simulator; then the camera "plugs in".
    issuers = IssuerStore(kiosk.db)
    qtbot.waitUntil(lambda: any(e.issuer == SHC_ISSUER for e in issuers.list()), timeout=8000)
    yield kiosk, camera, parts
    kiosk.shutdown()
    sim.reset()


def test_parts_shown_to_the_camera_ask_for_the_next_one_and_make_one_visit(
    qtbot: QtBot, app: tuple[KioskApp, GatedCamera, list[str]]
) -> None:
    kiosk, camera, _ = app
    prompts: list[str] = []

    def on_state(state: ScreenState) -> None:
        text = kiosk.window.preview.prompt.text()
        if not prompts or prompts[-1] != text:
            prompts.append(text)

    kiosk.controller.state_changed.connect(on_state)
    camera.ready.set()
    qtbot.waitUntil(lambda: kiosk.controller.state.shown is not None, timeout=10000)
    shown = kiosk.controller.state.shown
    assert shown is not None
    assert (shown.verdict, shown.verified_by) == (Verdict.ADMIT, VerifiedBy.OFFLINE), shown
    # Part 2 first, then part 1: the window asked for part 1, then for part 3.
    assert "Show QR code 1 of 3" in prompts and "Show QR code 3 of 3" in prompts
    assert prompts.index("Show QR code 1 of 3") < prompts.index("Show QR code 3 of 3")
    assert shown.visit_id is not None
    record = get_visit(kiosk.db, shown.visit_id)
    assert record is not None and (record.decision, record.kind) == (Verdict.ADMIT, PassKind.SHC)
    # The last part stays in view a while longer: still one visit.
    qtbot.wait(800)
    assert len(list_visits(kiosk.db)) == 1


def type_scan(qtbot: QtBot, kiosk: KioskApp, text: str) -> None:
    """A handheld scanner: what the window's keyboard wedge emits for a text ended by Enter.

    The wedge itself is tested with key events elsewhere; typing ~1,000 keys per part
    here would make the test depend on the machine's load (the wedge drops a scan with a
    key gap over half a second)."""
    kiosk.window.scan_entered.emit(text)


def test_a_scanner_part_of_another_card_says_so_and_starts_again(
    qtbot: QtBot, app: tuple[KioskApp, GatedCamera, list[str]], sim: Simulator
) -> None:
    kiosk, _, parts = app
    other = sim.state.foreign.issue_shc({"chunks": 2, "days_ago": 40})["passes"]
    type_scan(qtbot, kiosk, parts[0])
    qtbot.waitUntil(lambda: kiosk.window.preview.prompt.text() == "Show QR code 2 of 3", timeout=3000)
    type_scan(qtbot, kiosk, other[1])
    qtbot.waitUntil(lambda: kiosk.window.preview.prompt.text() == "Show QR code 1 of 2", timeout=3000)
    assert kiosk.controller.state.notice is CardNotice.RESTARTED
    notice = kiosk.window.preview.card_notice
    assert notice.isVisible() and "another card" in notice.text()
    type_scan(qtbot, kiosk, other[0])
    qtbot.waitUntil(lambda: kiosk.controller.state.shown is not None, timeout=5000)
    shown = kiosk.controller.state.shown
    assert shown is not None and shown.verdict is Verdict.ADMIT
    assert not notice.isVisible()
    assert len(list_visits(kiosk.db)) == 1
