"""Backups are encrypted to the owner's key; the PIN, the recovery code or the key file opens them (issue 20).

A backup carries the PIN hash, the PIN-wrapped key and the sealed phones, often on a
FAT stick where file modes do not apply. Written unattended (no PIN), it is encrypted
to the owner's public key; a changed byte anywhere is refused.
"""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path

import pytest

from kiosk.owner_tools.sealed_backup import (
    CHUNK_BYTES,
    MAGIC,
    BackupFormatError,
    BackupKey,
    open_file,
    read_header,
    seal_file,
)
from kiosk.paths import database_path
from kiosk.store.sealing import generate_owner_keypair
from tests.owner.support import GOOD_PIN, OTHER_PIN
from tests.owner_tools.restore_support import (
    app_still_works,
    contents,
    doctor_checks,
    kiosk,
    make_kiosk,
    owner_public_key,
    set_up_owner,
    visit,
    visit_holders,
)

MARK = "SECRET-HOLDER-MARK"


@pytest.fixture
def owned(tmp_path: Path) -> tuple[Path, str]:
    """A kiosk with an owner (GOOD_PIN) and a visit; its folder and the owner's recovery code."""
    folder = tmp_path / "data"
    db_path = make_kiosk(folder)
    code = set_up_owner(db_path, GOOD_PIN).recovery_code
    visit(db_path, MARK)
    return folder, code


@pytest.fixture
def sealed(capsys, monkeypatch, owned, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    target = tmp_path / "usb" / "backup.db"
    target.parent.mkdir()
    done = kiosk(capsys, monkeypatch, "backup", "--data", owned[0], target)
    assert done.code == 0 and "encrypted to the owner's key" in done.err
    return target


def test_a_backup_is_encrypted_to_the_owner(sealed):  # type: ignore[no-untyped-def]
    raw = sealed.read_bytes()
    assert raw.startswith(MAGIC)
    assert b"SQLite format 3" not in raw and MARK.encode() not in raw and b"scrypt$" not in raw


@pytest.mark.parametrize("secret", ["pin", "recovery code"])
def test_it_opens_on_a_new_pc_with_the_pin_or_the_recovery_code(
    capsys, monkeypatch, owned, sealed, tmp_path, secret  # type: ignore[no-untyped-def]
):
    new_pc = tmp_path / "new-pc"
    given = GOOD_PIN if secret == "pin" else owned[1].lower().replace("-", " ")

    done = kiosk(capsys, monkeypatch, "restore", "--data", new_pc, "--pin-stdin", sealed, stdin=given + "\n")

    assert done.code == 0, done.err
    assert "encrypted" in done.err and "the backup's" in done.err  # proving the PIN brought the owner
    assert "no data file here" in done.err and "kept as" not in done.err
    assert visit_holders(database_path(new_pc)) == [MARK]
    assert owner_public_key(database_path(new_pc)) == owner_public_key(database_path(owned[0]))
    app_still_works(capsys, monkeypatch, new_pc)


@pytest.mark.parametrize(
    ("stdin", "reason"),
    [("", "give that owner's PIN"), (f"{OTHER_PIN}\n", "does not open"), ("ABCD-EFGH\n", "neither a PIN")],
)
def test_without_the_right_secret_it_is_refused(
    capsys, monkeypatch, sealed, tmp_path, stdin, reason  # type: ignore[no-untyped-def]
):
    new_pc = tmp_path / "new-pc"
    done = kiosk(capsys, monkeypatch, "restore", "--data", new_pc, "--pin-stdin", sealed, stdin=stdin)
    assert done.code == 2 and reason in done.err and str(sealed) in done.err
    assert not database_path(new_pc).exists()


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("version", "format"),
        ("nonce", "changed or damaged"),
        ("sealed data key", "changed or damaged"),
        ("ciphertext", "changed or damaged"),
        ("last byte", "changed or damaged"),
        ("cut short", "changed or damaged"),
        ("appended", "changed or damaged"),
    ],
)
def test_a_changed_byte_is_refused_and_the_current_file_stays(
    capsys, monkeypatch, owned, sealed, where, reason  # type: ignore[no-untyped-def]
):
    size = sealed.stat().st_size
    fixed = len(MAGIC) + 1 + 32 + 7 + 4  # magic, version, public key, nonce prefix, chunk size
    offsets = {"version": len(MAGIC), "nonce": fixed - 5, "sealed data key": fixed + 2 + 40,
               "ciphertext": size // 2, "last byte": size - 1}
    if where == "cut short":
        os.truncate(sealed, size - 100)
    elif where == "appended":
        with open(sealed, "ab") as f:
            f.write(b"\x00" * 64)
    else:
        flip(sealed, offsets[where])
    before = contents(database_path(owned[0]))

    done = kiosk(capsys, monkeypatch, "restore", "--data", owned[0], "--pin-stdin", sealed, stdin=GOOD_PIN)

    assert done.code == 2 and reason in done.err, done.err
    assert str(sealed) in done.err and str(database_path(owned[0])) in done.err
    assert contents(database_path(owned[0])) == before  # (switched out of WAL mode: the kiosk is closed)
    app_still_works(capsys, monkeypatch, owned[0])


def test_keep_owner_restores_another_owners_backup_without_its_owner(
    capsys, monkeypatch, sealed, tmp_path  # type: ignore[no-untyped-def]
):
    other = tmp_path / "other"
    set_up_owner(make_kiosk(other), OTHER_PIN)
    ours = owner_public_key(database_path(other))

    done = kiosk(capsys, monkeypatch, "restore", "--data", other, "--pin-stdin", "--keep-owner", sealed,
                 stdin=GOOD_PIN + "\n")

    assert done.code == 0, done.err
    assert "kept" in done.err and owner_public_key(database_path(other)) == ours
    assert visit_holders(database_path(other)) == [MARK]


def test_a_kiosk_keeping_no_private_key_writes_backups_opened_with_the_key_file(
    capsys, monkeypatch, tmp_path  # type: ignore[no-untyped-def]
):
    pair = generate_owner_keypair()
    config = tmp_path / "config.toml"
    config.write_text(f'[privacy]\nowner_public_key = "{base64.b64encode(pair.public_key).decode()}"\n')
    key_file = tmp_path / "owner.key"
    key_file.write_text(base64.b64encode(pair.private_key).decode())
    data = tmp_path / "data"
    visit(make_kiosk(data), MARK)
    target = tmp_path / "b.db"
    done = kiosk(capsys, monkeypatch, "backup", "--config", config, "--data", data, target)
    assert done.code == 0 and "encrypted" in done.err

    new_pc = tmp_path / "new-pc"
    done = kiosk(capsys, monkeypatch, "restore", "--data", new_pc, "--pin-stdin", target, stdin=GOOD_PIN)
    assert done.code == 2 and "--owner-key" in done.err
    done = kiosk(capsys, monkeypatch, "restore", "--data", new_pc, "--owner-key", key_file, target)
    assert done.code == 0, done.err
    assert visit_holders(database_path(new_pc)) == [MARK]


def test_doctor_says_whether_backups_are_encrypted(capsys, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    data, usb = tmp_path / "data", tmp_path / "usb"
    usb.mkdir()
    config = tmp_path / "config.toml"
    config.write_text(f'[backup]\nfolder = "{usb.as_posix()}"\n', encoding="utf-8")
    db_path = make_kiosk(data)
    assert kiosk(capsys, monkeypatch, "backup", "--config", config, "--data", data, "--daily").code == 0
    _code, checks = doctor_checks(capsys, "--config", config, "--data", data)
    assert checks["backup"]["status"] == "warn" and "unencrypted" in checks["backup"]["detail"]

    set_up_owner(db_path, GOOD_PIN)
    _code, checks = doctor_checks(capsys, "--config", config, "--data", data)
    assert checks["backup"]["status"] == "warn" and "is not encrypted" in checks["backup"]["detail"]
    newer = usb / "kiosk-backup-2999-12-31.db"
    assert kiosk(capsys, monkeypatch, "backup", "--config", config, "--data", data, newer).code == 0
    _code, checks = doctor_checks(capsys, "--config", config, "--data", data)
    assert checks["backup"]["status"] == "ok", checks["backup"]
    assert "encrypted to the owner's key" in checks["backup"]["detail"]


def test_the_body_is_chunked_and_every_chunk_is_bound_to_its_place(tmp_path):  # type: ignore[no-untyped-def]
    pair = generate_owner_keypair()
    plain = tmp_path / "plain"
    plain.write_bytes(os.urandom(2 * CHUNK_BYTES + 123))
    sealed = io.BytesIO()
    seal_file(plain, sealed, BackupKey(pair.public_key))

    def opened(raw: bytes) -> bytes:
        f, out = io.BytesIO(raw), io.BytesIO()
        open_file(f, read_header(f), pair.private_key, out, max_bytes=10 * CHUNK_BYTES)
        return out.getvalue()

    raw = sealed.getvalue()
    assert opened(raw) == plain.read_bytes()
    header_len = len(raw) - (2 * CHUNK_BYTES + 123) - 3 * 16
    block = CHUNK_BYTES + 16
    first, second = raw[header_len:header_len + block], raw[header_len + block:header_len + 2 * block]
    swapped = raw[:header_len] + second + first + raw[header_len + 2 * block:]
    at_boundary = raw[:header_len + 2 * block]  # the last chunk dropped whole
    for bad in (swapped, at_boundary):
        with pytest.raises(BackupFormatError):
            opened(bad)
    with pytest.raises(BackupFormatError, match="more than"):
        f = io.BytesIO(raw)
        open_file(f, read_header(f), pair.private_key, io.BytesIO(), max_bytes=CHUNK_BYTES)
