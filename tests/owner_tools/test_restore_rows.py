"""A restore takes a backup's visits, never its trust list, and its owner only with its PIN (issue 20).

The backup comes from another kiosk: its own owner (another PIN and key), a forged
signer in its trust list and no revocations. This kiosk has visits recorded after
that backup and not yet uploaded. The backups here are unencrypted, as versions
before backup encryption wrote them (and as anyone can forge them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.owner.account import PinOutcome
from kiosk.paths import database_path
from kiosk.store.opening import open_database
from kiosk.store.sealing import record_manual_entry, seal
from tests.owner.support import GOOD_PIN, OTHER_PIN
from tests.owner_tools.restore_support import (
    account,
    app_still_works,
    kiosk,
    make_kiosk,
    owner_public_key,
    plain_copy,
    rows,
    set_up_owner,
    signer_der,
    visit,
    visit_holders,
)
from tests.store.conftest import execute_sql

REVOKED = "ab" * 32
WRONG_PIN = "205813"


@pytest.fixture(scope="module")
def signers() -> dict[str, bytes]:
    return {"ours": signer_der("Our DSC"), "forged": signer_der("Forged DSC")}


@pytest.fixture
def data(tmp_path: Path, signers: dict[str, bytes]) -> Path:
    """This kiosk: owner GOOD_PIN, our signer, one revocation, a visit sent and one not yet sent."""
    folder = tmp_path / "data"
    db_path = make_kiosk(folder, signer=signers["ours"], revoked=REVOKED)
    set_up_owner(db_path, GOOD_PIN)
    visit(db_path, "OURS-SENT")
    unsent = visit(db_path, "OURS-UNSENT", sent=False)
    with open_database(db_path) as db:
        record_manual_entry(db, unsent, seal(owner_public_key(db_path) or b"", b'{"phone": "x"}'))
    return folder


@pytest.fixture
def theirs(tmp_path: Path, signers: dict[str, bytes]) -> Path:
    """Another kiosk's backup: owner OTHER_PIN, a forged signer, no revocations, its own visit."""
    db_path = make_kiosk(tmp_path / "other", signer=signers["forged"])
    set_up_owner(db_path, OTHER_PIN)
    visit(db_path, "THEIRS")
    return plain_copy(db_path, tmp_path / "usb-theirs.db")


def trusted_subjects(db_path: Path) -> list[str]:
    return [str(r[0]) for r in rows(db_path, "SELECT subject FROM trust_certs")]


def restore(capsys, monkeypatch, data: Path, backup: Path, stdin: str):  # type: ignore[no-untyped-def]
    return kiosk(capsys, monkeypatch, "restore", "--data", data, "--pin-stdin", backup, stdin=stdin)


def test_without_its_pin_the_backups_visits_come_but_not_its_owner_nor_its_trust(
    capsys, monkeypatch, data, theirs  # type: ignore[no-untyped-def]
):
    db_path = database_path(data)
    ours = owner_public_key(db_path)

    done = restore(capsys, monkeypatch, data, theirs, stdin="\n")

    assert done.code == 0, done.err
    assert str(theirs) in done.err and str(db_path) in done.err
    assert "owner PIN and key are kept" in done.err and "1 visit(s)" in done.err
    assert visit_holders(db_path) == ["OURS-UNSENT", "THEIRS"]  # the unsent one came along
    assert rows(db_path, "SELECT count(*) FROM manual_entries") == [(1,)]
    assert owner_public_key(db_path) == ours
    assert trusted_subjects(db_path) == ["CN=Our DSC,C=XA"]
    assert rows(db_path, "SELECT uci_hash FROM revocations") == [(REVOKED,)]
    with open_database(db_path) as db:
        assert account(db).check_pin(GOOD_PIN).ok  # this kiosk's PIN, not the backup's
    app_still_works(capsys, monkeypatch, data)


def test_with_both_pins_the_backups_owner_comes_too_but_never_its_trust(
    capsys, monkeypatch, data, theirs  # type: ignore[no-untyped-def]
):
    db_path = database_path(data)
    theirs_key = owner_public_key(theirs)

    done = restore(capsys, monkeypatch, data, theirs, stdin=f"{OTHER_PIN}\n{GOOD_PIN}\n")

    assert done.code == 0, done.err
    assert "the backup's" in done.err and str(theirs) in done.err and str(db_path) in done.err
    assert owner_public_key(db_path) == theirs_key
    assert trusted_subjects(db_path) == ["CN=Our DSC,C=XA"]
    assert rows(db_path, "SELECT uci_hash FROM revocations") == [(REVOKED,)]
    assert visit_holders(db_path) == ["OURS-UNSENT", "THEIRS"]


@pytest.mark.parametrize(
    ("stdin", "reason"),
    [(f"{WRONG_PIN}\n", "not its owner's"), (f"{OTHER_PIN}\n{WRONG_PIN}\n", "wrong")],
)
def test_a_wrong_pin_refuses_the_restore_and_changes_nothing(
    capsys, monkeypatch, data, theirs, stdin, reason  # type: ignore[no-untyped-def]
):
    db_path = database_path(data)
    ours = owner_public_key(db_path)

    done = restore(capsys, monkeypatch, data, theirs, stdin=stdin)

    assert done.code == 2 and reason in done.err and "nothing was restored" in done.err
    assert str(theirs) in done.err and str(db_path) in done.err
    assert visit_holders(db_path) == ["OURS-SENT", "OURS-UNSENT"]
    assert owner_public_key(db_path) == ours
    assert not list(data.glob("*before-restore*"))
    app_still_works(capsys, monkeypatch, data)


def test_the_pin_lockout_survives_a_restore(capsys, monkeypatch, data, theirs, tmp_path):  # type: ignore[no-untyped-def]
    db_path = database_path(data)
    own_backup = plain_copy(db_path, tmp_path / "own.db")  # before the lock: no failed tries
    with open_database(db_path) as db:
        for _ in range(5):
            check = account(db).check_pin(WRONG_PIN)
    assert check.locked_for_s > 0

    # The kiosk's own backup (same owner): restored, and the lock still holds.
    done = restore(capsys, monkeypatch, data, own_backup, stdin="")
    assert done.code == 0, done.err
    assert rows(db_path, "SELECT failed_tries FROM owner") == [(5,)]
    with open_database(db_path) as db:
        assert account(db).check_pin(GOOD_PIN).outcome is PinOutcome.LOCKED

    # Another owner's backup with both PINs: the locked PIN is not even checked.
    done = restore(capsys, monkeypatch, data, theirs, stdin=f"{OTHER_PIN}\n{GOOD_PIN}\n")
    assert done.code == 2 and "locked" in done.err
    assert rows(db_path, "SELECT failed_tries FROM owner") == [(5,)]


def test_a_kiosk_without_owner_takes_the_backups_owner_only_with_its_pin(
    capsys, monkeypatch, tmp_path, theirs  # type: ignore[no-untyped-def]
):
    fresh = tmp_path / "fresh"
    make_kiosk(fresh)

    done = restore(capsys, monkeypatch, fresh, theirs, stdin="\n")
    assert done.code == 0 and "set it up in the window" in done.err
    assert rows(database_path(fresh), "SELECT count(*) FROM owner") == [(0,)]

    done = restore(capsys, monkeypatch, fresh, theirs, stdin=f"{OTHER_PIN}\n")
    assert done.code == 0, done.err
    assert owner_public_key(database_path(fresh)) == owner_public_key(theirs)


def test_the_backups_lockout_comes_with_its_owner(capsys, monkeypatch, tmp_path, data, theirs):  # type: ignore[no-untyped-def]
    with open_database(theirs) as db:
        for _ in range(3):
            account(db).check_pin(WRONG_PIN)

    done = restore(capsys, monkeypatch, data, theirs, stdin=f"{OTHER_PIN}\n{GOOD_PIN}\n")

    assert done.code == 0, done.err
    assert rows(database_path(data), "SELECT failed_tries FROM owner") == [(3,)]


def test_unsent_visits_in_both_files_are_restored_once(capsys, monkeypatch, data, tmp_path):  # type: ignore[no-untyped-def]
    db_path = database_path(data)
    backup = plain_copy(db_path, tmp_path / "own.db")  # holds OURS-UNSENT already
    visit(db_path, "LATER-UNSENT", sent=False)

    done = restore(capsys, monkeypatch, data, backup, stdin="")

    assert done.code == 0, done.err
    assert visit_holders(db_path) == ["LATER-UNSENT", "OURS-SENT", "OURS-UNSENT"]
    assert rows(db_path, "SELECT count(*) FROM outbox WHERE state = 'pending'") == [(2,)]
    assert "1 visit(s)" in done.err


def test_a_backups_owner_with_costly_scrypt_settings_is_refused_without_computing_them(
    capsys, monkeypatch, data, theirs  # type: ignore[no-untyped-def]
):
    """The hash's settings come from the file: 2**20 x r 32 would make one PIN check take 4 GB."""
    db_path = database_path(data)
    salt_and_digest = str(rows(theirs, "SELECT pin_hash FROM owner")[0][0]).split("$", 4)[4]
    execute_sql(theirs, f"UPDATE owner SET pin_hash = 'scrypt$20$32$1${salt_and_digest}'")

    done = restore(capsys, monkeypatch, data, theirs, stdin=f"{OTHER_PIN}\n{GOOD_PIN}\n")

    assert done.code == 2 and "not its owner's" in done.err and "nothing was restored" in done.err
    assert visit_holders(db_path) == ["OURS-SENT", "OURS-UNSENT"]
    app_still_works(capsys, monkeypatch, data)
