""" "Update now" on the admin screen asks the app's real maintenance thread for a trust-list sync from
the simulator on 127.0.0.1; the screen then shows the new age."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk.clock import SystemClock
from kiosk.config import parse_config
from kiosk.simulator.server import Simulator
from kiosk.store.database import Database
from kiosk.store.opening import open_database
from kiosk.store.trust_store import TrustStore
from kiosk.ui.admin.screen import AdminScreen
from kiosk.ui.admin.services import build_admin_services
from kiosk.upstream.client import UpstreamClient
from kiosk.upstream.maintenance import Maintenance
from kiosk.upstream.maintenance_thread import MaintenanceThread
from kiosk.upstream.maintenance_values import MaintenanceSettings
from kiosk.upstream.uploader import Uploader, UploaderSettings, UploaderThread
from tests.ui.admin.seed import seed


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator() as simulator:
        yield simulator


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    with open_database(tmp_path / "data" / "kiosk.db") as database:
        yield database


def test_update_now_syncs_the_trust_list_through_maintenance(
    qtbot, sim: Simulator, db: Database, tmp_path: Path
):
    clock = SystemClock()
    config = parse_config(f'[kiosk]\nid = "kiosk-7"\n[upstream]\nurl = "{sim.url}"\napi_key = "demo-key"\n')
    with UpstreamClient(sim.url, "demo-key", connect_timeout_s=0.3, clock=clock) as client:
        settings = MaintenanceSettings(request_timeout_s=2.0, probe_timeout_s=1.0)
        maintenance = Maintenance(db, client, clock, random.Random(1), settings)
        maintenance.run_due()  # the first round at start-up: the next trust sync is an hour away
        first = TrustStore(db).last_updated()
        assert first is not None
        thread = MaintenanceThread(maintenance, clock)
        thread.start()
        try:
            services = build_admin_services(
                db,
                db.path,
                config,
                tmp_path / "config.toml",
                clock=clock,
                maintenance=maintenance,
                maintenance_thread=thread,
            )
            screen = AdminScreen(services)
            qtbot.addWidget(screen)
            screen.show()
            qtbot.waitUntil(lambda: screen.snapshot is not None, timeout=15000)
            assert screen.today.update_trust.isEnabled()
            assert screen.today.trust_source.text() == sim.url
            time.sleep(0.05)  # so that a new sync has a later time than the first
            qtbot.mouseClick(screen.today.update_trust, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: (TrustStore(db).last_updated() or 0) > first, timeout=10000)
            screen.refresh()
            qtbot.waitUntil(
                lambda: screen.snapshot is not None and (screen.snapshot.trust_age.updated_at or 0) > first,
                timeout=15000,
            )
            assert screen.today.trust_count.text() == str(len(sim.state.signers))
            screen.shutdown()
        finally:
            thread.stop(5.0)


def test_retry_now_uploads_a_quarantined_visit_at_once(qtbot, sim: Simulator, tmp_path: Path) -> None:
    seeded = seed(tmp_path)
    clock = SystemClock()
    try:
        with UpstreamClient(sim.url, "demo-key", connect_timeout_s=0.3, clock=clock) as client:
            uploader = Uploader(
                seeded.db, client, clock, random.Random(2), UploaderSettings(poll_interval_s=600)
            )
            thread = UploaderThread(uploader, clock)
            thread.start()
            try:
                # The first round sends what is due; the quarantined visit stays aside.
                qtbot.waitUntil(
                    lambda: seeded.db.scalar("SELECT count(*) FROM outbox WHERE state = 'pending'") == 0,
                    timeout=10000,
                )
                assert seeded.db.scalar(
                    "SELECT state FROM outbox WHERE visit_id = ?", (seeded.quarantined_id,)
                ) == ("quarantined")
                config = parse_config('[kiosk]\nid = "kiosk-7"\n')
                services = build_admin_services(
                    seeded.db,
                    seeded.db_path,
                    config,
                    tmp_path / "config.toml",
                    clock=clock,
                    account=seeded.account,
                    uploader_thread=thread,
                )
                screen = AdminScreen(services)
                qtbot.addWidget(screen)
                screen.show()
                qtbot.waitUntil(lambda: screen.uploads.retry.isEnabled(), timeout=15000)
                qtbot.mouseClick(screen.uploads.retry, Qt.MouseButton.LeftButton)
                # The uploader's next round is 10 minutes away: only the wake sends it now.
                qtbot.waitUntil(
                    lambda: (
                        seeded.db.scalar(
                            "SELECT state FROM outbox WHERE visit_id = ?", (seeded.quarantined_id,)
                        )
                        == "sent"
                    ),
                    timeout=10000,
                )
                screen.shutdown()
            finally:
                thread.stop(5.0)
    finally:
        seeded.db.close()
