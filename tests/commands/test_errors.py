"""Every way a user can hold the CLI wrong: exit code 2, one clear `kiosk: ...` line, no traceback."""

from __future__ import annotations

import base64
import random
import sqlite3
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.store.opening import open_database

PASS = "HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOO6+IUKRG*I.I2CVH.O1:YHN7LX4XG/G2IL:U+F0%2DB/LFI7CTDXQJ"


def run_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run the CLI expecting a usage/input error; return the one message line."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert "Traceback" not in err and "Traceback" not in out
    lines = [line for line in err.splitlines() if line.startswith("kiosk:")]
    assert len(lines) == 1, err
    # Anything else on stderr is argparse's usage text, never a stack.
    assert all(line.startswith(("kiosk:", "usage:", " ")) for line in err.splitlines()), err
    return lines[0]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- config ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("[kiosk\nid = 1\n", ["config.toml:1", "syntax"]),
        ('[kiosk]\nidd = "x"\n', ["config.toml:2", "unknown key", "idd", 'did you mean "id"']),
        ('[verify]\nbudget_ms = "fast"\n', ["config.toml:2", "budget_ms", "fast"]),
        ("[verify]\nbudget_ms = 5\n", ["budget_ms", "100"]),
        ('[upstream]\nurl = "ftp://x"\n', ["url", "http"]),
        ('[upstream]\nurl = "http://[::1"\n', ["config.toml:2", "url", "IPv6"]),
        ('[upstream]\nurl = "http://127.0.0.1:99999"\n', ["config.toml:2", "url", "out of range"]),
        ('[upstream]\nurl = "http://127.0.0.1:0"\n', ["config.toml:2", "url", "port 0"]),
        ('[upstream]\nurl = "http://:8700"\n', ["config.toml:2", "url"]),
    ],
    ids=[
        "syntax", "unknown-key", "wrong-type", "out-of-range", "bad-url", "broken-ipv6", "port-too-big",
        "port-zero", "no-host",
    ],
)
def test_malformed_config(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, expect: list[str]
) -> None:
    config = write(tmp_path / "config.toml", text)
    message = run_error(capsys, "verify", "--config", str(config), "--offline", PASS)
    for part in expect:
        assert part in message


def test_missing_config_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    message = run_error(capsys, "verify", "--config", str(tmp_path / "nope.toml"), "--offline", PASS)
    assert "nope.toml" in message and "not found" in message


def test_per_user_config_is_read_and_checked(capsys: pytest.CaptureFixture[str], isolated_home: Path) -> None:
    folder = isolated_home / "config" / "venue-pass-kiosk"
    folder.mkdir(parents=True)
    write(folder / "config.toml", "[rules]\nvaccination_min_days = -1\n")
    message = run_error(capsys, "verify", "--offline", PASS)
    assert "vaccination_min_days" in message


# --- data folder and database -------------------------------------------------------------------


def test_data_folder_under_a_regular_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blocker = write(tmp_path / "not-a-folder", "x")
    message = run_error(capsys, "trust", "list", "--data", str(blocker / "sub"))
    assert "data folder" in message and "not-a-folder" in message
    message = run_error(capsys, "verify", "--db", str(blocker / "kiosk.db"), "--offline", PASS)
    assert "data folder" in message


def test_db_that_is_not_sqlite(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fake = write(tmp_path / "kiosk.db", "these are my notes, not a database\n" * 50)
    before = fake.read_bytes()
    message = run_error(capsys, "verify", "--db", str(fake), "--offline", PASS)
    assert "not a kiosk data file" in message
    assert fake.read_bytes() == before  # never "repaired" by overwriting


def _corrupt_database(path: Path) -> None:
    with open_database(path) as db, db.transaction() as conn:
        for i in range(300):
            conn.execute(
                "INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?)",
                (float(i), "test", "fill", "x" * 200),
            )
    data = bytearray(path.read_bytes())
    rng = random.Random(1)
    page_size = 4096
    # Scribble over the body of every page after the schema page: b-tree structure broken.
    for page in range(2, len(data) // page_size):
        start = page * page_size + 100
        data[start : start + 200] = rng.randbytes(200)
    path.write_bytes(bytes(data))


def test_corrupt_db(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "data" / "kiosk.db"
    _corrupt_database(path)
    damaged = path.read_bytes()
    message = run_error(capsys, "verify", "--db", str(path), "--offline", PASS)
    assert "damaged" in message
    message = run_error(capsys, "trust", "list", "--data", str(path.parent))
    assert "damaged" in message
    assert path.read_bytes() == damaged


# --- --trust-cert --------------------------------------------------------------------------------


def test_trust_cert_garbage_file_names_the_argument(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    garbage = write(tmp_path / "garbage.pem", "this is not a certificate")
    message = run_error(capsys, "verify", "--offline", "--trust-cert", str(garbage), PASS)
    assert "--trust-cert" in message and "garbage.pem" in message


def test_trust_cert_pem_with_broken_base64(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    broken = write(tmp_path / "broken.pem", "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n")
    message = run_error(capsys, "verify", "--offline", "--trust-cert", str(broken), PASS)
    assert "--trust-cert" in message and "broken.pem" in message


def test_trust_cert_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    message = run_error(capsys, "verify", "--offline", "--trust-cert", str(tmp_path / "nope.der"), PASS)
    assert "--trust-cert" in message and "nope.der" in message and "no such file" in message


def test_trust_cert_inline_base64_that_is_no_certificate(capsys: pytest.CaptureFixture[str]) -> None:
    inline = base64.b64encode(b"\x30\x03\x02\x01\x01" * 20).decode()
    message = run_error(capsys, "verify", "--offline", "--trust-cert", inline, PASS)
    assert "--trust-cert" in message
    assert inline not in message  # a long inline value is not echoed back


def test_trust_cert_with_a_non_dcc_key_type(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519
    from cryptography.x509.oid import NameOID

    key = ed25519.Ed25519PrivateKey.generate()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ed25519")])
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(datetime(2025, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2027, 1, 1, tzinfo=UTC)).sign(key, None)
    )
    path = tmp_path / "ed.der"
    path.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    message = run_error(capsys, "verify", "--offline", "--trust-cert", str(path), PASS)
    assert "--trust-cert" in message and "ES256" in message


# --- --at, --image, usage --------------------------------------------------------------------------


@pytest.mark.parametrize("at", ["yesterday", "2026-13-45", "28.05.2026", "", "2026-05-28T25:00:00Z"])
def test_bad_at(capsys: pytest.CaptureFixture[str], at: str) -> None:
    message = run_error(capsys, "verify", "--offline", "--at", at, PASS)
    assert "time" in message


@pytest.mark.parametrize(
    "at", ["-99999999999", "99999999999999", "0001-01-01", "1969-12-31T23:59:59Z", "nan"]
)
def test_at_out_of_range_recording_a_visit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, at: str
) -> None:
    db = tmp_path / "kiosk.db"
    message = run_error(capsys, "verify", "--offline", f"--at={at}", "--db", str(db), "KP1:token")
    assert "--at" in message and "time" in message
    if db.exists():
        with open_database(db) as opened:
            assert opened.scalar("SELECT count(*) FROM visits") == 0


def test_doctor_reports_a_broken_upstream_url(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import json

    config = write(tmp_path / "config.toml", '[upstream]\nurl = "http://[::1"\n')
    code = main(["doctor", "--json", "--no-network", "--config", str(config), "--data", str(tmp_path / "d")])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in err and "internal error" not in err
    checks = {row["check"]: row for row in map(json.loads, out.splitlines())}
    assert checks["config"]["status"] == "fail" and "config.toml:2" in checks["config"]["detail"]


def test_image_that_is_not_an_image(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fake = write(tmp_path / "photo.png", "I am text pretending to be a PNG")
    message = run_error(capsys, "verify", "--offline", "--image", str(fake))
    assert "photo.png" in message and "image" in message.lower()


def test_image_missing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    message = run_error(capsys, "verify", "--offline", "--image", str(tmp_path / "nope.png"))
    assert "nope.png" in message


def test_image_without_a_qr_code(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import cv2
    import numpy as np

    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((200, 300), 255, dtype=np.uint8))
    message = run_error(capsys, "verify", "--offline", "--image", str(blank))
    assert "no QR code" in message


@pytest.mark.parametrize(
    ("argv", "expect"),
    [
        ([], "COMMAND"),
        (["frobnicate"], "invalid choice"),
        (["verify"], "required"),
        (["verify", "--image", "x.png", "HC1:X"], "not allowed"),
        (["verify", "--bogus", "HC1:X"], "--bogus"),
        (["verify", "--at"], "--at"),
        (["trust"], "required"),
        (["trust", "import"], "required"),
    ],
)
def test_usage_errors(capsys: pytest.CaptureFixture[str], argv: list[str], expect: str) -> None:
    message = run_error(capsys, *argv)
    assert expect in message


def altered_database(tmp_path: Path, sql: str) -> Path:
    """A fresh data file changed behind the store's back by one SQL statement."""
    path = tmp_path / "kiosk.db"
    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute(sql)
    conn.commit()
    conn.close()
    return path


def test_store_failure_during_verify_is_reported_not_raised(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # The file accepts reads but refuses the visit: the write fails half-way through verify.
    path = altered_database(
        tmp_path, "CREATE TRIGGER refuse BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    message = run_error(capsys, "verify", "--db", str(path), "--offline", "not a pass")
    assert "could not be recorded" in message
    conn = sqlite3.connect(path)
    try:
        # The visit row went in first; the outbox failure must have rolled it back.
        assert conn.execute("SELECT count(*) FROM visits").fetchone()[0] == 0
    finally:
        conn.close()


def test_db_from_a_newer_app(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = altered_database(tmp_path, "UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    message = run_error(capsys, "verify", "--db", str(path), "--offline", PASS)
    assert "newer version" in message


def test_help_and_version_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("kiosk ")
    assert main(["verify", "--help"]) == 0
    assert "--trust-cert" in capsys.readouterr().out
