"""Installer checks: each one ok / warn / fail with a hint that says what to do."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config import Config
from kiosk.errors import KioskError
from kiosk.logsetup import LOG_FILE, log_folder
from kiosk.paths import COMMAND, data_files, database_path, open_to_others, private_folder
from kiosk.store.trust_age import TrustAge, TrustAgeLevel

if TYPE_CHECKING:
    from kiosk.store.trust_store import ListRefusal

if TYPE_CHECKING:
    from kiosk.camera.webcam import CameraFormat


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    status: Status
    detail: str
    hint: str = ""
    # What went wrong, for a screen that words it itself (the set-up wizard): "" or a key.
    cause: str = ""


def check_data_dir(folder: Path) -> Check:
    probe = folder / ".doctor-write-test"
    try:
        private_folder(folder)
        try:
            probe.write_bytes(b"ok")
        finally:
            # A write that fails half-way (full disk) still created the file: never leave it.
            probe.unlink(missing_ok=True)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return Check(
                "data folder",
                Status.FAIL,
                f"disk full: free space on {folder}",
                "delete or move other files on that disk; the kiosk's data is unharmed",
            )
        return Check(
            "data folder",
            Status.FAIL,
            f"{folder}: {exc.strerror}",
            "make the folder writable for the kiosk user, or set [kiosk] data_dir / --data",
        )
    return Check("data folder", Status.OK, str(folder))


def check_log_folder(folder: Path) -> Check:
    """Names where the window and the demo write their log (support asks for it first)."""
    if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
        return Check(
            "log folder",
            Status.WARN,
            f"{folder}: not writable; the window logs to the console only",
            "make the folder writable for the kiosk user",
        )
    made = "" if folder.exists() else f" (made by the first `{COMMAND} run` or `{COMMAND} demo`)"
    return Check("log folder", Status.OK, f"{folder}{made}")


def check_private(folder: Path, config_file: Path | None) -> Check:
    """The data folder, its files and logs, and a config file holding secrets: this user's only?

    Run after the data file was opened, which tightens what the kiosk's user owns: what is
    left open belongs to someone else or sits on a file system without modes.
    """
    if os.name != "posix":
        return Check("file permissions", Status.OK, "per-user data folder (private on Windows)")
    logs = log_folder(folder)
    paths = [folder, *data_files(database_path(folder)), logs, *sorted(logs.glob(LOG_FILE + "*"))]
    exposed = [p for p in [*paths, *([config_file] if config_file else [])] if open_to_others(p)]
    if not exposed:
        return Check("file permissions", Status.OK, f"{folder}, its files and logs: this user only")
    more = f" and {len(exposed) - 3} more" if len(exposed) > 3 else ""
    return Check(
        "file permissions",
        Status.FAIL,
        f"open to other users: {', '.join(str(p) for p in exposed[:3])}{more}",
        "the data file holds the PIN hash and the owner key: as their owner run "
        "`chmod -R go-rwx` on them, or give them to the kiosk's user",
    )


def check_rejected_journal(lines: int, path: Path) -> Check:
    if not lines:
        return Check("visit journal", Status.OK, "no line set aside")
    return Check(
        "visit journal",
        Status.WARN,
        f"{lines} line(s) could not be merged and are kept in {path.name} in {path.parent}",
        "send that file to support; every other visit was merged and the kiosk runs normally",
    )


def _store_hint(key: str) -> str:
    # Only a damaged file calls for a backup: a full disk, a lock or a folder problem does not.
    if key == "store.access_denied":
        return "make the data folder writable for the kiosk user, or set [kiosk] data_dir / --data"
    if key == "store.disk_full":
        return f"free disk space (the data file is fine), then run `{COMMAND} doctor` again"
    if key == "store.busy":
        return "close the program holding the data file (a second kiosk, a backup tool), then try again"
    if key in ("store.corrupt", "store.not_a_database"):
        return "restore the latest backup, or move the file aside to start a new one"
    return "check the disk and the data folder; keep the file for support"


def check_database(open_db: Callable[[], object]) -> tuple[Check, object | None]:
    try:
        db = open_db()
        problems = db.integrity_check()  # type: ignore[attr-defined]
    except KioskError as exc:
        return Check("database", Status.FAIL, exc.message, _store_hint(exc.key)), None
    if problems:
        return Check(
            "database",
            Status.FAIL,
            f"integrity check: {problems[0]}",
            "restore the latest backup; keep the damaged file for support",
        ), db
    return Check("database", Status.OK, f"schema version {db.schema_version}"), db  # type: ignore[attr-defined]


_CHANGED_HINT = (
    "the file was changed outside the app: restore a backup (`kiosk restore`), or move the file "
    "aside to start a new one; keep it for support"
)


def check_writable(
    write_error: KioskError | None,
    journal_waiting: int,
    *,
    schema_problems: Sequence[str] = (),
    read_back: bool = True,
) -> Check:
    """Could a visit be committed in time (`write_error` None) into a file with the app's own schema
    (`schema_problems` empty) and be read back (`read_back`), and are visits waiting in the journal?"""
    waiting = f"; {journal_waiting} visit(s) waiting in the visit journal" if journal_waiting else ""
    if schema_problems:
        more = f" (and {len(schema_problems) - 1} more)" if len(schema_problems) > 1 else ""
        return Check(
            "database writes",
            Status.FAIL,
            f"the data file's schema is not this version's: {schema_problems[0]}{more}" + waiting,
            _CHANGED_HINT,
        )
    exc = write_error
    if exc is not None:
        if exc.key == "store.busy":
            return Check(
                "database writes",
                Status.WARN,
                "another program holds the data file's write lock: visits go to the visit journal "
                "until it lets go" + waiting,
                "close the program holding it (a second kiosk, a backup tool, an sqlite3 shell); "
                "the journal is merged automatically afterwards",
            )
        return Check("database writes", Status.FAIL, exc.message, _store_hint(exc.key))
    if not read_back:
        return Check(
            "database writes",
            Status.FAIL,
            "a test visit was accepted but could not be read back: visits are being lost" + waiting,
            _CHANGED_HINT,
        )
    if journal_waiting:
        return Check(
            "database writes",
            Status.WARN,
            f"writable, but {journal_waiting} visit(s) are still in the visit journal",
            f"run `{COMMAND} doctor` again; if the number stays, send the data folder to support",
        )
    return Check("database writes", Status.OK, "a test visit commits in time and reads back")


def check_backup(
    encrypted: bool, key_file_only: bool, folder: str, newest: tuple[str, bool] | None
) -> Check:
    """Are backups encrypted (there is an owner key to encrypt to), and is the newest daily one?

    `key_file_only`: `[privacy] owner_public_key` is set, so a backup opens with the owner's
    key file, not the PIN. `newest`: the newest daily backup's name and whether it is encrypted.
    """
    where = f"; daily copies to {folder}" if folder else "; no daily copy ([backup] folder is not set)"
    if not encrypted:
        return Check(
            "backup",
            Status.WARN,
            "no owner is set up yet: backups are written unencrypted" + where,
            "set up the owner PIN in the window; later backups are encrypted to the owner's key",
        )
    opened = "the owner's key file" if key_file_only else "the owner PIN or recovery code"
    detail = f"encrypted to the owner's key (opened with {opened})" + where
    if newest is not None and not newest[1]:
        return Check(
            "backup",
            Status.WARN,
            f"{detail}, but the newest, {newest[0]}, is not encrypted",
            "it was made before the owner was set up: delete it once a newer, encrypted one is there",
        )
    return Check("backup", Status.OK, detail)


def check_quarantined(count: int) -> Check:
    if count == 0:
        return Check("upload quarantine", Status.OK, "no visit set aside")
    return Check(
        "upload quarantine",
        Status.WARN,
        f"{count} visit(s) set aside: unreadable or refused by upstream, not uploaded",
        "send the data folder to support; the other visits keep uploading",
    )


def check_trust_age(
    last_updated: float | None, count: int, now: float, config: Config, source: str = "", waiting: str = ""
) -> Check:
    """`source`: where the list came from ("bundled (a simulator snapshot) from URL"); `waiting`:
    with no list yet, the package's snapshot that the first start imports."""
    if count == 0 or last_updated is None:
        if waiting:
            return Check(
                "trust list",
                Status.WARN,
                f"empty until the first start imports the package's list ({waiting})",
                f"start the kiosk, or run `{COMMAND} trust update`",
            )
        return Check(
            "trust list",
            Status.FAIL,
            "empty: signed passes get a staff check (trust_list_missing)",
            f"run `{COMMAND} trust update` (or `{COMMAND} trust import CERT`)",
        )
    hours = (now - last_updated) / 3600
    text = f"{count} signer certificates, {hours:.1f} h old" + (f", {source}" if source else "")
    if hours >= config.trust.hard_limit_days * 24:
        return Check(
            "trust list",
            Status.FAIL,
            text + f" (past [trust] hard_limit_days = {config.trust.hard_limit_days}: signed passes "
            "get a staff check)",
            f"check the upstream connection, then run `{COMMAND} trust update`",
        )
    # The same fresh / aging / stale rule as the status bar and the admin screen.
    age = TrustAge.at(
        last_updated, now, config.trust.warn_age_hours * 3600.0, config.trust.stale_age_hours * 3600.0
    )
    if age.level is TrustAgeLevel.STALE:
        return Check(
            "trust list",
            Status.WARN,
            text + " (stale: offline verdicts may miss new signers)",
            f"check the upstream connection, then run `{COMMAND} trust update`",
        )
    if age.level is TrustAgeLevel.AGING:
        return Check("trust list", Status.WARN, text, f"run `{COMMAND} trust update`")
    return Check("trust list", Status.OK, text)


def check_pending(pending: int) -> Check:
    if pending == 0:
        return Check("upload backlog", Status.OK, "nothing pending")
    return Check(
        "upload backlog",
        Status.WARN if pending > 500 else Status.OK,
        f"{pending} visits waiting to upload",
        f"run `{COMMAND} sync` once upstream answers" if pending > 500 else "",
    )


def check_upstream(
    config: Config, probe: Callable[[], float] | None, key_probe: Callable[[], float] | None = None
) -> Check:
    """`probe`: the unauthenticated health call (is upstream there?); `key_probe`: an
    authenticated no-op (does it accept this kiosk's key?). A rejected key fails the check:
    every token would silently fall back to manual and no visit would upload."""
    from kiosk.verify.online import FailureCause

    up = config.upstream
    fix_key = "set [upstream] api_key in config.toml to the key issued for this kiosk"
    if not up.url:
        return Check(
            "upstream",
            Status.WARN,
            "no [upstream] url: the kiosk runs offline-only",
            "set [upstream] url and api_key in config.toml",
        )
    if not up.api_key.strip():
        return Check(
            "upstream",
            Status.FAIL,
            f"{up.url}: [upstream] api_key is empty; upstream will reject it",
            fix_key,
            "upstream.no_key",
        )
    if probe is None:
        return Check("upstream", Status.OK, f"configured: {up.url} (not probed)")
    try:
        ms = probe() * 1000
    except KioskError as exc:
        return Check(
            "upstream",
            Status.WARN,
            f"{up.url}: {exc.message}",
            "the kiosk still works offline; check the network and the api_key",
            "upstream.unreachable",
        )
    if key_probe is None:
        return Check("upstream", Status.OK, f"{up.url} answered in {ms:.0f} ms (key not checked)")
    try:
        key_probe()
    except KioskError as exc:
        cause = getattr(exc, "cause", None)
        if cause is FailureCause.AUTH:
            rejected = f"{up.url}: upstream rejects this kiosk's key"
            return Check("upstream", Status.FAIL, rejected, fix_key, "upstream.wrong_key")
        if cause is FailureCause.CLIENT_ERROR:
            return Check(
                "upstream",
                Status.WARN,
                f"{up.url} answered in {ms:.0f} ms, but has no key check (/v1/whoami): key not verified",
                f"run `{COMMAND} sync` and look for an auth error to check the key",
                "upstream.key_not_checked",
            )
        return Check(
            "upstream",
            Status.WARN,
            f"{up.url} answered in {ms:.0f} ms, but the key check failed: {exc.message}",
            f"run `{COMMAND} doctor` again; the kiosk still works offline meanwhile",
            "upstream.unreachable",
        )
    return Check("upstream", Status.OK, f"{up.url} answered in {ms:.0f} ms; the kiosk key is accepted")


def check_decoder() -> Check:
    try:
        import zxingcpp  # noqa: F401
    except ImportError:
        return Check("QR decoder", Status.FAIL, "zxing-cpp is not installed", "reinstall the kiosk package")
    return Check("QR decoder", Status.OK, "zxing-cpp")


def check_assets(files: Sequence[Path]) -> Check:
    """The window's bundled files (sounds, Hangul fonts, translations): an install that lost
    them still runs, but in English, silent and with Korean drawn as empty boxes."""
    missing = [path.name for path in files if not path.is_file()]
    if missing:
        return Check(
            "window files",
            Status.FAIL,
            f"missing: {', '.join(missing)}",
            "reinstall the kiosk (package or installer); without them the window is English-only and silent",
        )
    return Check("window files", Status.OK, f"{len(files)} sounds, fonts and translations")


def check_camera() -> Check:
    from kiosk.camera.devices import camera_numbers

    if camera_numbers() == []:
        return Check(
            "camera",
            Status.WARN,
            "no camera found",
            "plug in a USB webcam, or use a handheld scanner in keyboard mode",
        )
    return Check("camera", Status.OK, "video device present")


def check_list_signing(config: Config, refusals: Sequence[ListRefusal]) -> Check | None:
    """Are upstream's lists checked against a pinned key, and was one refused? None without upstream."""
    from kiosk.config_checks import is_loopback_url

    up = config.upstream
    if not up.url:
        return None
    if refusals:
        latest = refusals[0]
        return Check(
            "list signatures",
            Status.WARN,
            f"{latest.message} ({_local_time(latest.at)})",
            "check that [trust] signing_key is your upstream provider's current key; if it is, "
            "something on the network alters upstream's answers",
        )
    if config.trust.signing_key:
        return Check("list signatures", Status.OK, "lists are taken only signed by [trust] signing_key")
    if is_loopback_url(up.url):
        return Check("list signatures", Status.OK, "not checked: upstream is a simulator on this computer")
    return Check(
        "list signatures",
        Status.FAIL,
        f"no [trust] signing_key: no trust list, issuer or revocation list is taken from {up.url}",
        "set [trust] signing_key in config.toml to the key your upstream provider publishes",
    )


def check_clock_skew(skew_s: float | None) -> Check:
    """This computer's clock against upstream's `Date` (seen in the doctor's own upstream calls)."""
    from kiosk.clock import SKEW_WARN_S

    if skew_s is None:
        return Check("clock", Status.OK, "not compared: upstream did not answer")
    if abs(skew_s) > SKEW_WARN_S:
        return Check(
            "clock",
            Status.WARN,
            f"this computer's clock is {round(abs(skew_s) / 60)} min "
            f"{'behind' if skew_s > 0 else 'ahead of'} upstream's",
            "set the date and time (or turn on network time): pass validity and the PIN lockout depend on it",
        )
    return Check("clock", Status.OK, f"within {abs(skew_s):.0f} s of upstream's")


def _local_time(at: float) -> str:
    return datetime.fromtimestamp(at).strftime("%Y-%m-%d %H:%M")


def check_camera_format(probe: Callable[[], tuple[CameraFormat, float | None]]) -> Check:
    """The webcam's actual size, frame rate and pixel format; a warning below MIN_FPS.

    `probe` opens the camera as the kiosk does and measures its frame rate
    (`camera.webcam.probe_camera`).
    """
    from kiosk.camera.webcam import MIN_FPS

    try:
        fmt, measured = probe()
    except KioskError as exc:
        return Check("camera format", Status.WARN, exc.message, "run `kiosk camera test` after fixing it")
    fps = measured if measured is not None else fmt.fps
    detail = fmt.describe() + (f", measured {measured:.1f} fps" if measured is not None else "")
    if fmt.notes:
        detail += "; " + "; ".join(fmt.notes)
    if fps < MIN_FPS:
        return Check(
            "camera format",
            Status.WARN,
            detail,
            f"below {MIN_FPS:.0f} fps phone screens blur: use a camera that offers MJPG at 30 fps,"
            " or give the door more light so the exposure can stay short",
        )
    return Check("camera format", Status.OK, detail)
