"""The status bar's "visits today": counted from midnight in the kiosk's zone, whatever zone the
machine itself is set to (a real data file; the status poller's reader and the whole window)."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from kiosk.camera.errors import CameraUnavailableError
from kiosk.camera.sources import ImageFolderSource
from kiosk.clock import ManualClock
from kiosk.decision import Verdict, VerifiedBy
from kiosk.store.database import Database
from kiosk.store.opening import open_database
from kiosk.store.visits import UpstreamState
from kiosk.ui.app import KioskApp
from kiosk.ui.workers import StatusReader
from tests.ui.admin.seed import add
from tests.ui.conftest import make_context, provision_owner

AUCKLAND = ZoneInfo("Pacific/Auckland")
NOW = datetime(2026, 5, 28, 15, 0, tzinfo=AUCKLAND).timestamp()  # 03:00 UTC; 20:00 the day before in LA
MIDNIGHT = datetime(2026, 5, 28, tzinfo=AUCKLAND).timestamp()


@pytest.fixture
def machine_in_los_angeles(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's own zone, far from the kiosk's: a count from the machine's midnight shows."""
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def seed_around_midnight(db: Database) -> None:
    """A visit a minute before Auckland's midnight (yesterday there, today in Los Angeles),
    one a minute after it and one a minute before now."""
    rng = random.Random(8)
    for at in (MIDNIGHT - 60, MIDNIGHT + 60, NOW - 60):
        add(db, rng, at, Verdict.ADMIT, VerifiedBy.OFFLINE, UpstreamState.PENDING)


def reader(db: Database, now: float, tz: ZoneInfo | None) -> StatusReader:
    return StatusReader(db, ManualClock(now), breaker=None, tz=tz, warn_age_s=3600, stale_age_s=7200)


@pytest.mark.usefixtures("machine_in_los_angeles")
def test_visits_today_count_from_midnight_in_the_kiosks_zone(tmp_path: Path) -> None:
    with open_database(tmp_path / "kiosk.db") as db:
        seed_around_midnight(db)
        assert reader(db, NOW, AUCKLAND).snapshot().visits_today == 2
        assert reader(db, MIDNIGHT + 86_400, AUCKLAND).snapshot().visits_today == 0  # the next day
        # Without a zone the machine's own counts, as the operating system keeps it.
        assert reader(db, NOW, None).snapshot().visits_today == 3


def no_camera() -> ImageFolderSource:
    raise CameraUnavailableError("No camera found at index 0.")


@pytest.mark.usefixtures("machine_in_los_angeles")
def test_the_window_counts_today_in_the_zone_the_app_is_given(qtbot: QtBot, tmp_path: Path) -> None:
    ctx = make_context(tmp_path)
    with open_database(ctx.db_path) as db:
        seed_around_midnight(db)
    provision_owner(ctx)
    app = KioskApp(ctx, clock=ManualClock(NOW), camera=no_camera, status_interval_ms=100, local_tz=AUCKLAND)
    qtbot.addWidget(app.window)
    app.start()
    try:
        qtbot.waitUntil(lambda: app.controller.state.status is not None, timeout=15000)
        assert app.controller.state.status.visits_today == 2
        qtbot.waitUntil(lambda: app.window.status_bar.visits.text() == "Visits today: 2", timeout=15000)
    finally:
        app.shutdown()
