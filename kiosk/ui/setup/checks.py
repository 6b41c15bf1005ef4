"""The wizard's slow work on a thread of its own: the upstream key test and doctor's checks.

Both reuse `kiosk.doctor`'s check functions with the parts `kiosk doctor` gives them
(the app's own upstream client, the data file opened as the app opens it), so the
wizard and `kiosk doctor` cannot disagree about an installation.
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

from PySide6.QtCore import Signal, Slot

from kiosk import doctor
from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.context import Context
from kiosk.errors import KioskError
from kiosk.logsetup import log_folder
from kiosk.store.opening import open_database
from kiosk.ui.resources import assets
from kiosk.ui.setup.steps import NO_CAMERA, upstream_outcome
from kiosk.ui.worker_thread import ThreadedWorker
from kiosk.wiring import build_client


class SetupChecks(ThreadedWorker):
    upstream_tested = Signal(str)  # an UpstreamOutcome value
    checked = Signal(object)  # list[doctor.Check]

    def __init__(self, ctx: Context, clock: Clock, rng: random.Random, config_file: Path) -> None:
        super().__init__("setup-checks")
        self._ctx = ctx
        self._clock = clock
        self._rng = rng
        self._config_file = config_file

    @Slot(str, str)
    def test_upstream(self, url: str, api_key: str) -> None:
        """doctor's authenticated upstream check on this URL and key (`/v1/health`, then `/v1/whoami`)."""
        base = self._ctx.config
        upstream = dataclasses.replace(base.upstream, url=url, api_key=api_key)
        config = dataclasses.replace(base, upstream=upstream)
        self.upstream_tested.emit(upstream_outcome(self._upstream_check(config)).value)

    @Slot(object)
    def run_checks(self, config: Config) -> None:
        """doctor's installation checks on the config the wizard wrote."""
        folder = self._ctx.data_dir
        checks = [doctor.check_data_dir(folder), doctor.check_log_folder(log_folder(folder))]
        db_check, db = doctor.check_database(lambda: open_database(self._ctx.db_path))
        if db is not None:
            db.close()  # type: ignore[attr-defined]
        checks.append(db_check)
        checks.append(doctor.check_private(folder, self._config_file if config.holds_secrets() else None))
        checks.append(self._upstream_check(config))
        checks.append(doctor.check_decoder())
        checks.append(doctor.check_assets(assets.bundled_files()))
        if config.ui.camera != NO_CAMERA:
            checks.append(doctor.check_camera())
        self.checked.emit(checks)

    def _upstream_check(self, config: Config) -> doctor.Check:
        if not config.upstream.url:
            return doctor.check_upstream(config, None)
        ctx = Context(config=config, data_dir=self._ctx.data_dir, db_path=self._ctx.db_path)
        try:
            client = build_client(ctx, clock=self._clock, rng=self._rng)
        except KioskError as exc:
            return doctor.Check("upstream", doctor.Status.FAIL, exc.message, cause="upstream.unreachable")
        try:
            return doctor.check_upstream(config, client.health, client.whoami)
        finally:
            client.close()
