"""What the admin screen needs from the running app, gathered in one value (no Qt).

`build_admin_services` is the factory the window's composition root calls after a
correct owner PIN: the open data file, the config and where it lives, the owner
account, and two optional hooks into the app's background threads (a trust-list
update and an upload round now). Without upstream the hooks are None and the screen
says the action is not available.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.owner.account import OwnerAccount
from kiosk.owner_tools.admin_snapshot import AdminSnapshot, read_admin_snapshot
from kiosk.owner_tools.dates import system_timezone
from kiosk.store.database import Database
from kiosk.upstream.maintenance import Maintenance
from kiosk.upstream.maintenance_thread import MaintenanceThread
from kiosk.upstream.maintenance_values import Job
from kiosk.upstream.uploader import UploaderThread


@dataclass(frozen=True, slots=True)
class AdminServices:
    db: Database  # the app's own handle (thread-safe; writes wait their turn like the uploader's)
    db_path: Path  # owner tools open their own read-only snapshot of this file
    config: Config  # as loaded at start; the settings tab re-reads `config_path`
    config_path: Path
    clock: Clock
    tz: tzinfo
    account: OwnerAccount | None = None  # None: PIN change and phone export say "not available"
    update_trust: Callable[[], None] | None = None
    upload_now: Callable[[], None] | None = None

    @property
    def kiosk_id(self) -> str:
        return self.config.kiosk.id

    def snapshot(self) -> AdminSnapshot:
        cfg = self.config
        return read_admin_snapshot(
            self.db,
            now=self.clock.now(),
            tz=self.tz,
            warn_age_s=cfg.trust.warn_age_hours * 3600.0,
            stale_age_s=cfg.trust.stale_age_hours * 3600.0,
            upstream_url=cfg.upstream.url,
        )


def build_admin_services(
    db: Database,
    db_path: Path,
    config: Config,
    config_path: Path,
    *,
    clock: Clock,
    account: OwnerAccount | None = None,
    maintenance: Maintenance | None = None,
    maintenance_thread: MaintenanceThread | None = None,
    uploader_thread: UploaderThread | None = None,
    tz: tzinfo | None = None,
) -> AdminServices:
    update_trust = None
    if maintenance is not None:

        def update_trust() -> None:
            # The maintenance thread owns upstream traffic (breaker, backoff); ask it, do not call.
            maintenance.run_soon(Job.TRUST)
            if maintenance_thread is not None:
                maintenance_thread.wake()

    upload_now = uploader_thread.wake if uploader_thread is not None else None
    return AdminServices(
        db=db,
        db_path=Path(db_path),
        config=config,
        config_path=Path(config_path),
        clock=clock,
        tz=tz or system_timezone(),
        account=account,
        update_trust=update_trust,
        upload_now=upload_now,
    )
