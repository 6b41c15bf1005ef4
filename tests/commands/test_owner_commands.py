"""The owner commands through `kiosk ...`: exit codes, messages, files, and the demo's outage."""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.decision import VerifiedBy
from kiosk.demo.story import OUTAGE
from kiosk.paths import data_dir, database_path
from kiosk.store.audit import audit_entries
from kiosk.store.health_log import health_events
from kiosk.store.opening import open_database
from kiosk.store.sealing import generate_owner_keypair, record_manual_entry, seal
from kiosk.store.visits import list_visits
from tests.owner_tools.conftest import locked_by_other_process, read_csv_text

TODAY = date.today()


def kiosk(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err + out
    return code, out, err


@pytest.fixture
def data(tmp_path: Path, add_visit_cli) -> Path:  # type: ignore[no-untyped-def]
    return tmp_path / "data"


@pytest.fixture
def add_visit_cli(db_path: Path, add_visit):  # type: ignore[no-untyped-def]
    # Today's visits (the CLI works in the machine's local time; a visit at local noon today).
    noon = datetime.combine(TODAY, datetime.min.time()).replace(hour=12).astimezone().timestamp()
    add_visit(scanned_at=noon, holder_masked="홍*동")
    add_visit(scanned_at=noon + 60, holder_masked="R***i M.")
    return add_visit


def test_export_csv_by_default_path_and_the_message(capsys, data, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _out, err = kiosk(capsys, "export", "--data", str(data), "--from", str(TODAY), "--to", str(TODAY))
    assert code == 0 and "exported 2 visits" in err
    made = tmp_path / f"visits-{TODAY}-{TODAY}.csv"
    rows = read_csv_text(made.read_bytes())
    assert rows[0][1] == "판정" and [r[4] for r in rows[1:]] == ["홍*동", "R***i M."]


@pytest.mark.parametrize(
    ("first", "last", "expect"),
    [
        (str(TODAY), str(TODAY - timedelta(days=1)), "reversed"),
        (str(TODAY + timedelta(days=2)), str(TODAY + timedelta(days=3)), "future"),
        ("2026-13-01", str(TODAY), "--from must be a date"),
    ],
)
def test_bad_ranges_exit_2_with_a_message_and_write_nothing(capsys, data, tmp_path, first, last, expect):
    out_file = tmp_path / "x.csv"
    argv = ("export", "--data", str(data), "--from", first, "--to", last, "-o", str(out_file))
    code, _out, err = kiosk(capsys, *argv)
    assert code == 2 and expect in err and not out_file.exists()


def test_empty_range_and_xlsx_and_unwritable_path(capsys, data, tmp_path):
    empty = tmp_path / "empty.xlsx"
    code, _o, err = kiosk(capsys, "export", "--data", str(data), "--from", "2020-01-01", "--to", "2020-01-02",
                          "--format", "xlsx", "-o", str(empty))
    assert code == 0 and "exported 0 visits" in err and empty.stat().st_size > 0
    code, _o, err = kiosk(capsys, "export", "--data", str(data), "--from", str(TODAY), "--to", str(TODAY),
                          "-o", str(tmp_path / "missing-folder" / "v.csv"))
    assert code == 2 and "does not exist" in err


def test_export_with_phones_needs_the_owner_key(capsys, data, db, add_visit_cli, tmp_path, monkeypatch):
    owner = generate_owner_keypair()
    noon = datetime.combine(TODAY, datetime.min.time()).replace(hour=12).astimezone().timestamp()
    visit = add_visit_cli(verified_by=VerifiedBy.STAFF, scanned_at=noon + 120)
    record_manual_entry(db, visit.id, seal(owner.public_key, json.dumps({"phone": "010-2222-3333"}).encode()))
    out_file = tmp_path / "p.csv"
    # No owner on this kiosk: no PIN can open anything, and no file is written.
    monkeypatch.setattr("sys.stdin", io.StringIO("480317\n"))
    code, _o, err = kiosk(capsys, "export", "--data", str(data), "--from", str(TODAY), "--to", str(TODAY),
                          "--with-phones", "--pin-stdin", "-o", str(out_file))
    assert code == 2 and "not set" in err and not out_file.exists()
    key = tmp_path / "owner.key"
    key.write_text(base64.b64encode(owner.private_key).decode())
    code, _o, err = kiosk(capsys, "export", "--data", str(data), "--from", str(TODAY), "--to", str(TODAY),
                          "--with-phones", "--owner-key", str(key), "-o", str(out_file))
    assert code == 0
    assert "010-2222-3333" in [r[-1] for r in read_csv_text(out_file.read_bytes())]
    details = [e.detail for e in audit_entries(db) if e.action == "export"]
    assert [d["with_phone"] for d in details] == [True]


def test_purge_backup_restore_commands(capsys, data, db, tmp_path):
    code, _o, err = kiosk(capsys, "purge", "--data", str(data))
    assert code == 0 and "purged 0 visits" in err
    copy = tmp_path / "copy.db"
    code, _o, err = kiosk(capsys, "backup", "--data", str(data), str(copy))
    assert code == 0 and "verified" in err and copy.exists()
    [backup] = [e for e in audit_entries(db) if e.action == "backup"]
    assert (backup.actor, backup.detail["file"]) == ("cli", "copy.db")  # the name, not the folder
    db.close()
    code, _o, err = kiosk(capsys, "restore", "--data", str(data), str(copy))
    assert code == 0 and "kept as" in err
    with open_database(database_path(data)) as restored:
        # The restored file's trail: what the copy held, then the restore itself.
        *_, restore = audit_entries(restored)
        assert (restore.action, restore.actor) == ("restore", "cli")
        assert restore.detail["file"] == "copy.db" and restore.detail["previous_kept"] is True
    code, _o, err = kiosk(capsys, "restore", "--data", str(data), str(tmp_path / "nothing.db"))
    assert code == 2 and "no file" in err
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00" * 4096)
    code, _o, err = kiosk(capsys, "restore", "--data", str(data), str(junk))
    assert code == 2 and "not a kiosk data file" in err


def test_purge_and_backup_when_the_kiosk_holds_the_lock(capsys, data, db_path, tmp_path):
    with locked_by_other_process(db_path):
        code, _o, err = kiosk(capsys, "purge", "--data", str(data))
        assert code == 2 and "the kiosk is busy" in err and "try again" in err
        code, _o, err = kiosk(capsys, "backup", "--data", str(data), str(tmp_path / "b.db"))
        assert code == 0  # a backup only reads: it goes ahead beside the app


def test_daily_backup_needs_a_folder_in_the_config(capsys, data, tmp_path):
    code, _o, err = kiosk(capsys, "backup", "--data", str(data), "--daily")
    assert code == 2 and "[backup] folder" in err
    usb = tmp_path / "usb"
    usb.mkdir()
    config = tmp_path / "config.toml"
    config.write_text(f'[backup]\nfolder = "{usb}"\nkeep = 2\n', encoding="utf-8")
    code, _o, err = kiosk(capsys, "backup", "--config", str(config), "--data", str(data), "--daily")
    assert code == 0 and len(list(usb.glob("kiosk-backup-*.db"))) == 1


@pytest.mark.slow
def test_report_after_the_demo_lists_the_demos_outage(capsys):
    """The README's promise: `./dev demo`, then the owner's report shows that outage, right."""
    demo = subprocess.run(
        [sys.executable, "-m", "kiosk", "demo", "--pace", "0.01"],
        capture_output=True, text=True, timeout=240, env=dict(os.environ),
    )
    assert demo.returncode == 0, demo.stderr[-2000:]

    code, out, err = kiosk(capsys, "report", "outages", "--format", "json")
    assert code == 0
    [period] = json.loads(out)
    assert list(period) == ["start", "end", "cause", "verified_offline", "logged_manually", "unanswered"]

    with open_database(database_path(data_dir())) as db:
        events = health_events(db)
        visits = list_visits(db)
    [opened] = [e for e in events if e.state != "online"]
    [closed] = [e for e in events if e.state == "online"]
    assert datetime.fromisoformat(period["start"]).timestamp() == pytest.approx(opened.at, abs=0.001)
    assert datetime.fromisoformat(period["end"]).timestamp() == pytest.approx(closed.at, abs=0.001)
    assert period["cause"] == opened.cause == "timeout"
    # Every signed pass of the outage was verified offline, every token went to the manual log.
    tokens = sum(v.label == "check-in token" for v in OUTAGE)
    assert period["verified_offline"] == len(OUTAGE) - tokens
    assert period["logged_manually"] == tokens
    # The period counts from the last online verdict before it (the breaker opens after a few
    # failed calls). Signed passes shown just after the recovery keep their offline verdict
    # while upstream settles (the breaker's settle time): they are not the outage's.
    during = [v for v in visits if v.scanned_at < closed.at]
    assert period["verified_offline"] == sum(v.verified_by == "offline" for v in during)
    assert "demo-kiosk" in err and "sha256" in err


def test_export_with_phones_asks_for_the_owner_pin_and_counts_wrong_ones(
    capsys, data, db, add_visit_cli, tmp_path, monkeypatch
):
    from kiosk.clock import SystemClock
    from kiosk.owner.account import OwnerAccount
    from kiosk.owner.manual_entry import ManualAnswer, ManualRecorder
    from tests.owner.support import FAST_SCRYPT, GOOD_PIN

    account = OwnerAccount(db, SystemClock(), scrypt=FAST_SCRYPT)
    account.set_up(GOOD_PIN)
    import random

    recorder = ManualRecorder(db, clock=SystemClock(), rng=random.Random(7), kiosk_id="k1",
                              sealing_key=account.sealing_key)
    recorder.record_manual(ManualAnswer(admit=True, phone="01055512345"))
    out_file = tmp_path / "p.csv"
    argv = ("export", "--data", str(data), "--from", str(TODAY), "--to", str(TODAY),
            "--with-phones", "--pin-stdin", "-o", str(out_file))

    monkeypatch.setattr("sys.stdin", io.StringIO("111111\n"))
    code, _o, err = kiosk(capsys, *argv)
    assert code == 2 and "wrong PIN (4 tries left" in err and not out_file.exists()

    monkeypatch.setattr("sys.stdin", io.StringIO(GOOD_PIN + "\n"))
    code, _o, err = kiosk(capsys, *argv)
    assert code == 0 and "010-5551-2345" in [r[-1] for r in read_csv_text(out_file.read_bytes())]
    out_file.unlink()

    for _ in range(5):  # the PIN pad's lockout applies here too
        monkeypatch.setattr("sys.stdin", io.StringIO("111111\n"))
        code, _o, err = kiosk(capsys, *argv)
    assert code == 2 and "locked" in err and not out_file.exists()
    monkeypatch.setattr("sys.stdin", io.StringIO(GOOD_PIN + "\n"))
    code, _o, err = kiosk(capsys, *argv)
    assert code == 2 and "locked" in err and not out_file.exists()
    assert sum(e.action == "owner.pin_failed" for e in audit_entries(db)) == 6
