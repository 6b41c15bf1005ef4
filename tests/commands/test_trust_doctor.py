"""`kiosk trust import|list` and `kiosk doctor`, in-process against real data folders."""

from __future__ import annotations

import json
import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from kiosk.cli import main
from kiosk.passes.issue import issue_dcc, make_signer
from kiosk.passes.signer import load_signer_cert
from kiosk.simulator.server import Simulator
from kiosk.store.opening import open_database
from kiosk.store.trust_store import TrustStore
from tests.upstream.support import closed_port

NOW = time.time()
DAY = 86_400.0
DOCTOR_KEYS = {"check", "status", "detail", "hint"}


@dataclass(frozen=True)
class Cert:
    key: Any
    der: bytes

    @property
    def kid_hex(self) -> str:
        return load_signer_cert(self.der).kid.hex()

    @property
    def pem(self) -> str:
        return x509.load_der_x509_certificate(self.der).public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture(scope="module")
def certs() -> tuple[Cert, Cert]:
    a = make_signer("ES256", "XA", "Doctor DSC A", None, NOW - 30 * DAY, NOW + 365 * DAY)
    b = make_signer("ES256", "XB", "Doctor DSC B", frozenset({"t"}), NOW - 30 * DAY, NOW + 365 * DAY)
    return Cert(*a), Cert(*b)


@pytest.fixture
def files(tmp_path: Path, certs: tuple[Cert, Cert]) -> dict[str, Path]:
    a, b = certs
    out = {"pem": tmp_path / "a.pem", "der": tmp_path / "b.der", "garbage": tmp_path / "junk.crt"}
    out["pem"].write_text(a.pem)
    out["der"].write_bytes(b.der)
    out["garbage"].write_text("definitely not a certificate\n")
    return out


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def doctor_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, dict[str, str]]]:
    code, out, err = cli(capsys, "doctor", "--json", "--no-network", *argv)
    assert err == ""
    rows = [json.loads(line) for line in out.splitlines()]
    for row in rows:
        assert set(row) == DOCTOR_KEYS
        assert row["status"] in ("ok", "warn", "fail")
        assert all(isinstance(row[k], str) for k in DOCTOR_KEYS)
    return code, {row["check"]: row for row in rows}


# --- trust import / list -------------------------------------------------------------------------


def test_import_pem_der_and_garbage(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, files: dict[str, Path], certs: tuple[Cert, Cert]
) -> None:
    data = tmp_path / "data"
    code, out, err = cli(capsys, "trust", "import", "--data", str(data),
                         str(files["pem"]), str(files["der"]), str(files["garbage"]))
    assert code == 0
    imported = [line for line in out.splitlines() if "imported kid" in line]
    assert len(imported) == 2
    assert out.splitlines()[-1] == "imported 2 certificate(s); 1 refused"
    assert certs[0].kid_hex in imported[0] and "XA" in imported[0]
    assert certs[1].kid_hex in imported[1] and "XB" in imported[1]
    assert "junk.crt" in err and "skipped" in err
    assert "junk.crt" not in out

    code, out, err = cli(capsys, "trust", "list", "--data", str(data), "--json")
    assert code == 0 and err == ""
    entries = [json.loads(line) for line in out.splitlines()]
    assert {e["kid_hex"] for e in entries} == {certs[0].kid_hex, certs[1].kid_hex}
    for e in entries:
        assert set(e) == {"kid_hex", "country", "subject", "key_usage", "fetched_at", "age_seconds",
                          "source", "origin", "snapshot_source"}
        assert (e["source"], e["origin"]) == ("import", None)
        assert 0 <= e["age_seconds"] < 600
    usage = {e["country"]: e["key_usage"] for e in entries}
    assert usage == {"XA": "r,t,v", "XB": "t"}

    code, out, _ = cli(capsys, "trust", "list", "--data", str(data))
    origin, *lines = out.splitlines()
    assert origin.startswith("signer list: import, ")
    assert code == 0 and lines[0].split()[:3] == ["kid", "country", "usage"]
    assert len(lines) == 3
    assert any(certs[1].kid_hex in line and " t " in line for line in lines[1:])


def test_import_is_idempotent(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, files: dict[str, Path]
) -> None:
    data = str(tmp_path / "data")
    for _ in range(2):
        assert cli(capsys, "trust", "import", "--data", data, str(files["pem"]))[0] == 0
    _, out, _ = cli(capsys, "trust", "list", "--data", data, "--json")
    assert len(out.splitlines()) == 1


def test_import_of_nothing_usable_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, files: dict[str, Path]
) -> None:
    code, out, err = cli(capsys, "trust", "import", "--data", str(tmp_path / "d"),
                         str(files["garbage"]), str(tmp_path / "missing.pem"))
    assert code == 2
    assert "no certificate imported" in err.splitlines()[-1]
    assert "missing.pem" in err and "junk.crt" in err
    assert out == ""


def test_list_of_an_empty_trust_list(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = cli(capsys, "trust", "list", "--data", str(tmp_path / "d"))
    assert code == 0 and err == ""
    assert "empty" in out and "kiosk trust import" in out
    code, out, _ = cli(capsys, "trust", "list", "--data", str(tmp_path / "d"), "--json")
    assert code == 0 and out == ""


def test_imported_trust_is_what_verify_uses(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, files: dict[str, Path], certs: tuple[Cert, Cert]
) -> None:
    sampled = datetime.fromtimestamp(NOW - 2 * 3600, tz=UTC).isoformat()
    hcert = {"ver": "1.3.0", "nam": {"fn": "Kim", "gn": "Minsu"}, "dob": "1990-01-01",
             "t": [{"tg": "840539006", "tt": "LP6464-4", "sc": sampled, "tr": "260415000",
                    "co": "XB", "is": "x", "ci": "URN:UVCI:01:XB:T1"}]}
    text = issue_dcc(hcert, private_key=certs[1].key, kid=load_signer_cert(certs[1].der).kid, issuer="XB",
                     issued_at=NOW - DAY, expires_at=NOW + 365 * DAY)
    data = str(tmp_path / "data")
    _, before, _ = cli(capsys, "verify", "--json", "--offline", "--data", data, text)
    assert json.loads(before)["reason"] == "unknown_signer"
    cli(capsys, "trust", "import", "--data", data, str(files["der"]))
    _, after, _ = cli(capsys, "verify", "--json", "--offline", "--data", data, text)
    result = json.loads(after)
    assert (result["signature"], result["key_usage"], result["decision"]) == ("valid", "ok", "admit")


# --- doctor ---------------------------------------------------------------------------------------


def test_doctor_on_a_fresh_folder_fails_on_the_empty_trust_list(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, checks = doctor_json(capsys, "--data", str(tmp_path / "fresh"))
    assert code == 1
    assert {"config", "data folder", "database", "trust list", "upload backlog", "upstream"} <= set(checks)
    assert checks["trust list"]["status"] == "fail"
    assert "kiosk trust" in checks["trust list"]["hint"]
    assert checks["database"]["status"] == checks["data folder"]["status"] == "ok"
    assert [name for name, c in checks.items() if c["status"] == "fail"] == ["trust list"]


def test_doctor_after_trust_import_passes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, files: dict[str, Path]
) -> None:
    data = str(tmp_path / "data")
    cli(capsys, "trust", "import", "--data", data, str(files["pem"]), str(files["der"]))
    code, checks = doctor_json(capsys, "--data", data)
    assert code == 0
    assert checks["trust list"]["status"] == "ok"
    assert "2 signer certificates" in checks["trust list"]["detail"]


def test_doctor_warns_on_a_stale_trust_list(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, certs: tuple[Cert, Cert]
) -> None:
    data = tmp_path / "data"
    with open_database(data / "kiosk.db") as db:
        TrustStore(db).add(load_signer_cert(certs[0].der), time.time() - 100 * 3600)
    code, checks = doctor_json(capsys, "--data", str(data))
    assert code == 0
    assert checks["trust list"]["status"] == "warn"
    assert "stale" in checks["trust list"]["detail"]


def test_doctor_with_a_corrupt_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    with open_database(data / "kiosk.db") as db, db.transaction() as conn:
        for i in range(300):
            conn.execute("INSERT INTO audit_log (at, actor, action, detail) VALUES (?, 't', 'f', ?)",
                         (float(i), "x" * 200))
    raw = bytearray((data / "kiosk.db").read_bytes())
    rng = random.Random(2)
    for page in range(2, len(raw) // 4096):
        raw[page * 4096 + 100 : page * 4096 + 300] = rng.randbytes(200)
    (data / "kiosk.db").write_bytes(bytes(raw))
    code, checks = doctor_json(capsys, "--data", str(data))
    assert code == 1
    assert checks["database"]["status"] == "fail"
    assert "damaged" in checks["database"]["detail"]
    assert "backup" in checks["database"]["hint"]


def test_doctor_with_a_file_that_is_not_a_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "kiosk.db").write_text("not sqlite\n" * 100)
    code, checks = doctor_json(capsys, "--data", str(data))
    assert code == 1 and checks["database"]["status"] == "fail"


def test_doctor_with_an_unusable_data_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, checks = doctor_json(capsys, "--data", str(blocker / "sub"))
    assert code == 1
    assert checks["data folder"]["status"] == "fail"
    assert checks["database"]["status"] == "fail"
    assert "backup" not in checks["database"]["hint"]  # a folder problem, not a damaged file


def test_doctor_with_a_broken_config(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[kiosk]\nlanguage = 'fr'\n")
    code, checks = doctor_json(capsys, "--config", str(config), "--data", str(tmp_path / "d"))
    assert code == 1
    assert checks["config"]["status"] == "fail" and "language" in checks["config"]["detail"]


def test_doctor_plain_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = cli(capsys, "doctor", "--no-network", "--data", str(tmp_path / "fresh"))
    assert code == 1 and err == ""
    assert "[FAIL] trust list:" in out
    assert "hint: run `kiosk trust update`" in out


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator() as simulator:
        yield simulator


def test_doctor_probes_the_upstream(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sim: Simulator
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[upstream]\nurl = "{sim.url}"\napi_key = "demo-key"\n')
    _, out, _ = cli(capsys, "doctor", "--json", "--config", str(config), "--data", str(tmp_path / "d"))
    checks = {row["check"]: row for row in map(json.loads, out.splitlines())}
    assert checks["upstream"]["status"] == "ok" and "answered in" in checks["upstream"]["detail"]

    config.write_text(f'[upstream]\nurl = "http://127.0.0.1:{closed_port()}"\napi_key = "k"\n')
    _, out, _ = cli(capsys, "doctor", "--json", "--config", str(config), "--data", str(tmp_path / "d"))
    checks = {row["check"]: row for row in map(json.loads, out.splitlines())}
    assert checks["upstream"]["status"] == "warn"
    assert "offline" in checks["upstream"]["hint"]


def upstream_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, url: str, key: str
) -> tuple[int, dict[str, str]]:
    config = tmp_path / "config.toml"
    config.write_text(f'[upstream]\nurl = "{url}"\napi_key = "{key}"\n')
    code, out, _ = cli(capsys, "doctor", "--json", "--config", str(config), "--data", str(tmp_path / "d"))
    checks = {row["check"]: row for row in map(json.loads, out.splitlines())}
    return code, checks["upstream"]


def test_doctor_proves_the_key_works(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sim: Simulator
) -> None:
    _, check = upstream_check(capsys, tmp_path, sim.url, "demo-key")
    assert check["status"] == "ok"
    assert "key is accepted" in check["detail"]


@pytest.mark.parametrize("key", ["not-this-kiosks-key", "", "   "], ids=["wrong", "empty", "blank"])
def test_doctor_fails_on_a_key_upstream_rejects(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sim: Simulator, key: str
) -> None:
    code, check = upstream_check(capsys, tmp_path, sim.url, key)
    assert code == 1
    assert check["status"] == "fail"
    assert "api_key" in check["hint"] and "config.toml" in check["hint"]
    if key == "not-this-kiosks-key":
        assert "upstream rejects this kiosk's key" in check["detail"]
        assert key not in check["detail"] + check["hint"]  # the key itself is never printed
    else:
        assert "api_key is empty" in check["detail"]


def test_doctor_rejected_key_in_plain_output(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sim: Simulator
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[upstream]\nurl = "{sim.url}"\napi_key = "wrong"\n')
    code, out, _ = cli(capsys, "doctor", "--config", str(config), "--data", str(tmp_path / "d"))
    assert code == 1
    assert "[FAIL] upstream: " in out and "upstream rejects this kiosk's key" in out
    assert "hint: set [upstream] api_key in config.toml" in out


def test_doctor_leaves_the_database_consistent(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "fresh"
    doctor_json(capsys, "--data", str(data))
    conn = sqlite3.connect(data / "kiosk.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM visits").fetchone()[0] == 0
    finally:
        conn.close()
