"""The app's daily owner jobs: purge and backup happen, a missing backup disk is reported, not raised."""

from __future__ import annotations

import logging
import os
from datetime import UTC

import pytest

from kiosk.config import parse_config
from kiosk.owner_tools.daily import DailyJobs, run_daily_owner_jobs
from kiosk.store.audit import audit_entries
from kiosk.store.outbox import mark_sent
from kiosk.store.visits import list_visits
from tests.owner_tools.conftest import T0

DAY = 86_400.0


def test_daily_jobs_purge_and_back_up(db, add_visit, tmp_path):
    old = add_visit(scanned_at=T0)
    mark_sent(db, [old.id])
    add_visit(scanned_at=T0 + 9 * DAY)
    usb = tmp_path / "usb"
    usb.mkdir()
    config = parse_config(f'[privacy]\nretention_days = 7\n[backup]\nfolder = "{usb}"\nkeep = 2\n')

    result = run_daily_owner_jobs(db, config, now=T0 + 10 * DAY, tz=UTC)

    assert result.problems == ()
    assert result.purge is not None and result.purge.counts.visits_deleted == 1
    assert result.backup == usb / "kiosk-backup-2026-06-07.db" and result.backup.exists()
    [entry] = [e for e in audit_entries(db) if e.action == "backup.daily"]
    assert (entry.actor, entry.detail) == ("system", {"file": "kiosk-backup-2026-06-07.db"})
    assert len(list_visits(db)) == 1


def test_daily_jobs_remove_copies_kept_beside_the_data_file_past_retention(db, tmp_path):
    kept = db.path.with_name(f"{db.path.name}.before-restore-20260601-120000")
    kept.write_bytes(b"visits of a replaced file")
    os.utime(kept, (T0, T0))
    config = parse_config("[privacy]\nretention_days = 7\n")

    run_daily_owner_jobs(db, config, now=T0 + 6 * DAY, tz=UTC)
    assert kept.exists()
    run_daily_owner_jobs(db, config, now=T0 + 8 * DAY, tz=UTC)
    assert not kept.exists()


def test_a_missing_backup_disk_is_a_problem_not_a_crash(db, add_visit, tmp_path):
    add_visit()
    config = parse_config(f'[backup]\nfolder = "{tmp_path / "unplugged"}"\n')
    result = run_daily_owner_jobs(db, config, now=T0, tz=UTC)
    assert result.purge is not None and result.backup is None
    [problem] = result.problems
    assert "daily backup" in problem and "unplugged" in problem


def test_the_apps_daily_jobs_back_up_and_report_problems_as_log_lines(
    db, tmp_path, caplog: pytest.LogCaptureFixture
):
    now = 1_790_000_000.0
    backups = tmp_path / "usb"
    backups.mkdir()
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backup folder should be")
    DailyJobs(db, parse_config(f'[backup]\nfolder = "{backups.as_posix()}"\n'), UTC)(now)
    assert [p.name for p in backups.iterdir()] == ["kiosk-backup-2026-09-21.db"]
    caplog.set_level(logging.INFO, logger="kiosk.owner_tools.daily")
    DailyJobs(db, parse_config(f'[backup]\nfolder = "{blocked.as_posix()}"\n'), UTC)(now)  # no raise
    problems = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(problems) == 1 and "daily backup" in problems[0].getMessage()
