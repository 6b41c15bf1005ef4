"""Kiosk data folders, genuine and doctored backups, and the CLI, for the backup and restore tests."""

from __future__ import annotations

import io
import json
import random
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kiosk.cli import main
from kiosk.clock import SystemClock
from kiosk.decision import PassKind, Reason, Verdict, VerifiedBy
from kiosk.owner.account import OwnerAccount, SetupResult
from kiosk.pass_hash import pass_hash
from kiosk.passes.issue import make_signer
from kiosk.passes.signer import load_signer_cert
from kiosk.paths import database_path
from kiosk.store.database import Database
from kiosk.store.opening import open_database
from kiosk.store.revocations import add_revocations
from kiosk.store.trust_store import TrustStore
from kiosk.store.visits import UpstreamState, VisitRecord, new_visit_id, record_visit
from tests.owner.support import FAST_SCRYPT
from tests.store.conftest import execute_sql

DAY = 86_400.0
NOW = time.time()
_RNG = random.Random(20)


@dataclass(frozen=True)
class Outcome:
    code: int
    err: str


def kiosk(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *argv: object, stdin: str = ""
) -> Outcome:
    """`kiosk ARGV...` in this process, with `stdin` as its standard input."""
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return Outcome(code, err)


def signer_der(name: str) -> bytes:
    return make_signer("ES256", "XA", name, None, NOW - 30 * DAY, NOW + 365 * DAY)[1]


def make_kiosk(data: Path, *, signer: bytes | None = None, revoked: str | None = None) -> Path:
    """A kiosk's data file in `data`: optionally a trusted signer and a revocation."""
    path = database_path(data)
    with open_database(path) as db:
        if signer is not None:
            TrustStore(db).add(load_signer_cert(signer), NOW)
        if revoked is not None:
            add_revocations(db, [revoked], NOW)
    return path


def account(db: Database, **kwargs: Any) -> OwnerAccount:
    return OwnerAccount(db, SystemClock(), scrypt=FAST_SCRYPT, **kwargs)


def set_up_owner(db_path: Path, pin: str, **kwargs: Any) -> SetupResult:
    """The owner of the kiosk at `db_path`, set up with `pin` as the window's first run does."""
    with open_database(db_path) as db:
        return account(db, **kwargs).set_up(pin)


def owner_public_key(db_path: Path) -> bytes | None:
    found = rows(db_path, "SELECT public_key FROM owner")
    return bytes(found[0][0]) if found else None  # type: ignore[arg-type]


def visit(db_path: Path, holder: str, *, sent: bool = True, at: float = NOW) -> str:
    """Record one visit (already uploaded, or `sent=False`: still waiting to upload); its id."""
    record = VisitRecord(
        id=new_visit_id(at, _RNG), scanned_at=at, kind=PassKind.DCC, pass_hash=pass_hash(holder),
        uci_hash=None, holder_masked=holder, decision=Verdict.ADMIT, reason=Reason.VALID,
        verified_by=VerifiedBy.OFFLINE,
        upstream_state=UpstreamState.CONFIRMED if sent else UpstreamState.PENDING, kiosk_id="kiosk-7",
    )
    with open_database(db_path) as db:
        record_visit(db, record)
    return record.id


def plain_copy(db_path: Path, target: Path) -> Path:
    """An unencrypted backup, as versions before backup encryption wrote them (SQLite's backup API)."""
    src = sqlite3.connect(db_path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()
        src.close()
    return target


def doctored(backup: Path, target: Path, *sql: str) -> Path:
    """A copy of a genuine backup changed with plain SQLite, as anyone holding the file could."""
    shutil.copyfile(backup, target)
    execute_sql(target, *sql)
    return target


def rows(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def contents(path: Path) -> list[str]:
    """Every schema object and row of a data file, as SQL (the same for the same data)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def visit_holders(path: Path) -> list[str]:
    return [str(r[0]) for r in rows(path, "SELECT holder_masked FROM visits ORDER BY holder_masked")]


def doctor_checks(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, dict[str, dict[str, str]]]:
    code = main(["doctor", "--json", "--no-network", *map(str, argv)])
    out, _err = capsys.readouterr()
    return code, {row["check"]: row for row in map(json.loads, out.splitlines())}


def app_still_works(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: Path) -> None:
    """A scan gets its verdict and its visit, and doctor finds the data file sound and writable."""
    db_path = database_path(data)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["verify", "--offline", "--json", "--db", str(db_path), "not a pass"]) == 0
    out, _err = capsys.readouterr()
    visit_id = json.loads(out)["visit_id"]
    assert rows(db_path, "SELECT count(*) FROM visits WHERE id = ?", (visit_id,)) == [(1,)]
    _code, checks = doctor_checks(capsys, "--data", data)
    assert checks["database"]["status"] == "ok", checks["database"]
    assert checks["database writes"]["status"] == "ok", checks["database writes"]
