"""The owner jobs the running app does once a day: merge queued audit entries, purge, back up.

The purge covers the copies kept beside the data file (before an upgrade or a restore).

For the app's status poller (no Qt, no timer of its own: the caller decides when a
day has passed). A failing job (e.g. the USB stick is missing) is reported in the
result and does not stop the others; nothing here raises for an expected problem.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from kiosk.config import Config
from kiosk.errors import KioskError
from kiosk.owner_tools.audit_trail import flush_pending_audit, record_owner_audit
from kiosk.owner_tools.backup import daily_backup
from kiosk.owner_tools.purge import PurgeResult, purge_expired
from kiosk.store.database import Database
from kiosk.store.kept_copies import remove_expired_copies

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DailyResult:
    audit_merged: int
    purge: PurgeResult | None
    backup: Path | None  # the new daily backup, None if none was due or configured
    problems: tuple[str, ...]  # user-facing messages of jobs that failed (no personal data)


def run_daily_owner_jobs(db: Database, config: Config, *, now: float, tz: tzinfo) -> DailyResult:
    problems: list[str] = []
    merged = 0
    purged: PurgeResult | None = None
    made: Path | None = None
    try:
        merged = flush_pending_audit(db)
    except KioskError as exc:
        problems.append(exc.message)
    try:
        purged = purge_expired(db, now=now, retention_days=config.privacy.retention_days, actor="system")
    except KioskError as exc:
        problems.append(exc.message)
    remove_expired_copies(db.path, now=now, retention_days=config.privacy.retention_days)
    if config.backup.folder:
        try:
            folder = Path(config.backup.folder).expanduser()
            made = daily_backup(
                db.path, folder, config.backup.keep, now=now, tz=tz,
                configured_key=config.privacy.owner_public_key_bytes(),
            )
            if made is not None:
                # Queued beside the data file when it is busy, never a reason to call the backup failed.
                record_owner_audit(db.path, now, "system", "backup.daily", {"file": made.name})
        except (KioskError, OSError) as exc:
            detail = exc.message if isinstance(exc, KioskError) else (exc.strerror or type(exc).__name__)
            problems.append(f"daily backup to {config.backup.folder} failed: {detail}")
    return DailyResult(merged, purged, made, tuple(problems))


class DailyJobs:
    """Merge queued audit entries, retention purge, daily backup: logged by count, never by content."""

    def __init__(self, db: Database, config: Config, tz: tzinfo) -> None:
        self._db = db
        self._config = config
        self._tz = tz

    def __call__(self, now: float) -> None:
        result = run_daily_owner_jobs(self._db, self._config, now=now, tz=self._tz)
        if result.purge is not None:
            counts = result.purge.counts
            log.info(
                "retention purge: %d visit(s), %d manual entr(ies) deleted; %d kept (not uploaded yet)",
                counts.visits_deleted,
                counts.manual_entries_deleted,
                counts.kept_unsent,
            )
        if result.audit_merged:
            log.info("merged %d queued audit entr(ies)", result.audit_merged)
        if result.backup is not None:
            log.info("daily backup written (%s)", result.backup.name)
        for problem in result.problems:
            # Job messages carry paths and counts only (owner_tools never puts personal data in them).
            log.warning("daily owner job: %s", problem)
