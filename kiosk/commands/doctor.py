"""`kiosk doctor`: installer checks with hints; exit 1 when any check fails."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import doctor
from kiosk.camera.devices import NO_CAMERA
from kiosk.clock import SystemClock
from kiosk.commands import doctor_qt
from kiosk.config import Config, load_config
from kiosk.config_layers import machine_config_path, user_config_path
from kiosk.errors import KioskError
from kiosk.logsetup import log_folder
from kiosk.paths import data_dir, database_path
from kiosk.ui.resources import assets

if TYPE_CHECKING:
    from kiosk.camera.webcam import CameraFormat
    from kiosk.upstream.client import UpstreamClient


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("doctor", help="check the installation: config, data folder, database, trust list")
    common(p)
    p.add_argument("--json", action="store_true")
    p.add_argument("--no-network", action="store_true", help="do not probe the upstream service")
    # The child process of the "Qt platform" and "sounds" checks (kiosk/commands/doctor_qt.py).
    p.add_argument("--qt-probe", metavar="PLATFORM", help=argparse.SUPPRESS)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.context import Context

    if args.qt_probe:
        from kiosk.ui.desktop.qt_probe import print_probe

        return print_probe(args.qt_probe)
    checks: list[doctor.Check] = []
    try:
        config = load_config(args.config)
    except KioskError as exc:
        checks.append(
            doctor.Check("config", doctor.Status.FAIL, exc.message, "fix the file, see config.example.toml")
        )
        return _report(checks, args.json)
    source = Path(args.config) if args.config else user_config_path()
    where = str(source) if source.exists() else f"defaults (no file at {source})"
    machine = machine_config_path()
    if not args.config and machine.exists():
        where = f"{source} over {machine}" if source.exists() else f"{machine} (no user file at {source})"
    checks.append(doctor.Check("config", doctor.Status.OK, where))
    folder = data_dir(args.data, config.kiosk.data_dir)
    checks.append(doctor.check_data_dir(folder))
    checks.append(doctor.check_log_folder(log_folder(folder)))
    db_check, db = doctor.check_database(lambda: _open_unless_disk_full(folder))
    checks.append(db_check)
    checks.append(doctor.check_private(folder, source if config.holds_secrets() else None))
    checks.append(_check_journal_rejects(folder))
    now = SystemClock().now()
    if db is not None:
        from kiosk.store.issuer_store import IssuerStore
        from kiosk.store.outbox import pending_count, quarantined_count
        from kiosk.store.trust_age import trust_lists_updated_at
        from kiosk.store.trust_store import TrustStore

        checks.append(_check_writes(db, now))
        checks.append(_check_backup(db, config))
        store = TrustStore(db)  # type: ignore[arg-type]
        updated = trust_lists_updated_at(store, IssuerStore(db))  # type: ignore[arg-type]
        source, waiting = _trust_source(db, now, config)
        checks.append(doctor.check_trust_age(updated, len(store), now, config, source, waiting))
        checks.append(doctor.check_pending(pending_count(db)))  # type: ignore[arg-type]
        checks.append(doctor.check_quarantined(quarantined_count(db)))  # type: ignore[arg-type]
    probe = key_probe = None
    client = None
    if config.upstream.url and not args.no_network:
        from kiosk.wiring import build_client

        ctx = Context(config=config, data_dir=folder, db_path=database_path(folder))
        client = build_client(ctx, clock=SystemClock(), rng=random.Random())
        probe, key_probe = client.health, client.whoami
    checks.append(doctor.check_upstream(config, probe, key_probe))
    checks.extend(_signature_and_clock(config, db, client))
    if client is not None:
        client.close()
    checks.append(doctor.check_decoder())
    checks.append(doctor.check_assets(assets.bundled_files()))
    probes = [doctor_qt.run_probe(platform) for platform in doctor_qt.display_platforms(os.environ)]
    checks.append(doctor_qt.check_platforms(probes))
    checks.append(doctor_qt.check_sounds(probes[0]))
    spec = config.ui.camera
    if spec == NO_CAMERA:
        checks.append(doctor.Check("camera", doctor.Status.OK, "none: a handheld scanner reads passes"))
    else:
        checks.append(camera := doctor.check_camera())
    if spec != NO_CAMERA and camera.status is doctor.Status.OK and (spec == "" or spec.isdigit()):
        checks.append(doctor.check_camera_format(lambda: _probe_camera(int(spec or 0))))
    if db is not None:
        db.close()  # type: ignore[attr-defined]
    return _report(checks, args.json)


def _signature_and_clock(
    config: Config, db: object | None, client: UpstreamClient | None
) -> list[doctor.Check]:
    """Upstream's list signatures, and this computer's clock against the `Date` of the probes above."""
    from kiosk.store.database import Database
    from kiosk.store.trust_store import TrustStore

    refusals = TrustStore(db).refusals() if isinstance(db, Database) else []
    checks = [c for c in (doctor.check_list_signing(config, refusals),) if c is not None]
    if client is not None:
        checks.append(doctor.check_clock_skew(client.clock_skew()))
    return checks
def _probe_camera(index: int) -> tuple[CameraFormat, float | None]:
    from kiosk.camera.webcam import probe_camera

    return probe_camera(index, SystemClock())


def _trust_source(db: object, now: float, config: Config) -> tuple[str, str]:
    """Where the stored list came from, and (with none stored) the package's snapshot waiting."""
    from kiosk.errors import KioskError
    from kiosk.passes.trust_snapshot import load_snapshot, usable_with
    from kiosk.paths import bundled_trust_snapshot
    from kiosk.store.trust_origin import trust_origin

    origin = trust_origin(db, now, config.upstream.url)  # type: ignore[arg-type]
    if origin.source != "missing":
        return origin.describe(), ""
    try:
        snapshot = load_snapshot(bundled_trust_snapshot().read_bytes())
    except (OSError, KioskError):
        return "", ""
    if usable_with(snapshot, config.upstream.url) is not None:
        return "", ""
    return "", f"{snapshot.source} snapshot, {(now - snapshot.made_at) / 3600:.1f} h old"


def _open_unless_disk_full(folder: Path) -> object:
    from kiosk.store.errors import disk_full_error, disk_nearly_full
    from kiosk.store.opening import open_database

    path = database_path(folder)
    # Opening on a full disk leaves SQLite's -wal/-shm files half-made; doctor creates nothing.
    if disk_nearly_full(folder):
        raise disk_full_error(path)
    return open_database(path)


def _check_journal_rejects(folder: Path) -> doctor.Check:
    from kiosk.store.journal import VisitJournal

    journal = VisitJournal(database_path(folder))
    try:
        lines = journal.rejected_lines()
    except KioskError as exc:
        return doctor.Check("visit journal", doctor.Status.WARN, exc.message)
    return doctor.check_rejected_journal(lines, journal.rejected)


# How long a visit may wait for the write lock on the verdict path (the default budget's order).
_WRITE_WAIT_S = 0.5


def _check_writes(db: object, now: float) -> doctor.Check:
    from kiosk.store.database import Database
    from kiosk.store.journal import VisitJournal, merge_journal
    from kiosk.store.schema_check import inspect_database
    from kiosk.store.write_probe import probe_visit_write

    assert isinstance(db, Database)

    error: KioskError | None = None
    problems: tuple[str, ...] = ()
    read_back = True
    try:
        merge_journal(db, wait_s=_WRITE_WAIT_S)
        # The schema first: a file with a trigger or a view was changed outside the app.
        problems = inspect_database(db, wait_s=_WRITE_WAIT_S).problems
        if not problems:
            # A visit written, read back and rolled back: changes nothing, leaves no file.
            read_back = probe_visit_write(db, now=now, rng=random.Random(), wait_s=_WRITE_WAIT_S)
    except KioskError as exc:
        error = exc
    try:
        waiting = VisitJournal(db.path).waiting()
    except KioskError as exc:
        return doctor.Check("database writes", doctor.Status.FAIL, exc.message)
    return doctor.check_writable(error, waiting, schema_problems=problems, read_back=read_back)


def _check_backup(db: object, config: Config) -> doctor.Check:
    from kiosk.owner.account import OwnerAccount
    from kiosk.owner_tools.backup import DAILY_NAME
    from kiosk.owner_tools.sealed_backup import file_kind
    from kiosk.store.database import Database

    assert isinstance(db, Database)
    configured = config.privacy.owner_public_key_bytes()
    account = OwnerAccount(db, SystemClock(), configured_public_key=configured)
    newest = None
    if config.backup.folder:
        folder = Path(config.backup.folder).expanduser()
        with contextlib.suppress(OSError):
            made = sorted(p for p in folder.iterdir() if DAILY_NAME.fullmatch(p.name))
            newest = (made[-1].name, file_kind(made[-1]) == "sealed") if made else None
    return doctor.check_backup(
        account.sealing_key() is not None, configured is not None, config.backup.folder, newest
    )


def _report(checks: list[doctor.Check], as_json: bool) -> int:
    for c in checks:
        if as_json:
            print(
                json.dumps(
                    {"check": c.name, "status": str(c.status), "detail": c.detail, "hint": c.hint},
                    ensure_ascii=False,
                )
            )
        else:
            line = f"[{c.status.upper():4}] {c.name}: {c.detail}"
            print(line + (f"\n       hint: {c.hint}" if c.hint else ""))
    return 1 if any(c.status is doctor.Status.FAIL for c in checks) else 0
