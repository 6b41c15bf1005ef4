"""`kiosk verify`: the contract in docs/architecture.md "Contracts", in-process (plus two subprocesses)."""

from __future__ import annotations

import base64
import io
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import segno
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from kiosk.cli import main
from kiosk.passes.issue import issue_dcc, make_signer
from kiosk.passes.signer import load_signer_cert
from kiosk.paths import data_dir, database_path
from kiosk.simulator.server import Simulator
from kiosk.store.opening import open_database
from kiosk.store.trust_store import TrustStore

REPO = Path(__file__).resolve().parents[2]
CONTRACT_KEYS = {
    "kind", "decoded", "stage_error", "signature", "expired", "key_usage", "decision", "reason",
    "verified_by", "payload",
}
# Additive keys beyond the contract: the masked holder and the recorded visit (with --db).
EXTRA_KEYS = {"holder_masked", "visit_id"}

MIDNIGHT = datetime(2026, 5, 28, tzinfo=UTC)
NOW = MIDNIGHT.timestamp()
DAY = 86_400.0
HCERT = {
    "ver": "1.3.0",
    "nam": {"fn": "Musterfrau", "fnt": "MUSTERFRAU", "gn": "Erika", "gnt": "ERIKA"},
    "dob": "1964-08-12",
    "v": [
        {
            "tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215",
            "dn": 2, "sd": 2, "dt": "2026-04-01", "co": "XA", "is": "Test issuer",
            "ci": "URN:UVCI:01:XA:CLITEST#1",
        }
    ],
}


@dataclass(frozen=True)
class Issued:
    text: str  # valid from NOW - 10 days until NOW + 12 h
    der: bytes
    pem: str
    other_text: str  # signed by a signer nobody trusts


@pytest.fixture(scope="module")
def issued() -> Issued:
    key, der = make_signer("ES256", "XA", "CLI test DSC", None, NOW - 365 * DAY, NOW + 365 * DAY)
    kid = load_signer_cert(der).kid
    text = issue_dcc(HCERT, private_key=key, kid=kid, issuer="XA", issued_at=NOW - 10 * DAY,
                     expires_at=NOW + DAY / 2)
    other_key, other_der = make_signer("ES256", "XB", "Other DSC", None, NOW - DAY, NOW + DAY)
    other = issue_dcc(HCERT, private_key=other_key, kid=load_signer_cert(other_der).kid, issuer="XB",
                      issued_at=NOW - DAY, expires_at=NOW + DAY)
    pem = x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM).decode()
    return Issued(text, der, pem, other)


@pytest.fixture
def pem_file(tmp_path: Path, issued: Issued) -> Path:
    path = tmp_path / "signer.pem"
    path.write_text(issued.pem, encoding="ascii")
    return path


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    code = main(["verify", "--json", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err == ""
    return [json.loads(line) for line in out.splitlines()]


def default_db() -> Path:
    return database_path(data_dir())


# --- the JSON contract -------------------------------------------------------------------------


def test_json_keys_and_values_for_a_valid_pass(
    capsys: pytest.CaptureFixture[str], issued: Issued, pem_file: Path
) -> None:
    [out] = run_json(capsys, "--offline", "--trust-cert", str(pem_file), "--at", "2026-05-28T06:00:00Z",
                     issued.text)
    assert set(out) == CONTRACT_KEYS | EXTRA_KEYS
    assert out == {
        "kind": "dcc",
        "decoded": True,
        "stage_error": None,
        "signature": "valid",
        "expired": False,
        "key_usage": "ok",
        "decision": "admit",
        "reason": "valid",
        "verified_by": "offline",
        "payload": HCERT,
        "holder_masked": "M********u E.",
        "visit_id": None,
    }


def test_json_for_untrusted_garbled_and_foreign_inputs(
    capsys: pytest.CaptureFixture[str], issued: Issued, pem_file: Path
) -> None:
    trust = ["--offline", "--trust-cert", str(pem_file), "--at", "2026-05-28T06:00:00Z"]
    [unknown] = run_json(capsys, *trust, issued.other_text)
    assert (unknown["signature"], unknown["decision"], unknown["reason"]) == (
        "unknown-key", "deny", "unknown_signer"
    )
    assert unknown["decoded"] is True and unknown["key_usage"] is None

    [garbled] = run_json(capsys, *trust, issued.text[: len(issued.text) // 2])
    assert garbled["decoded"] is False and garbled["payload"] is None
    assert garbled["stage_error"] in {"base45", "zlib", "cose", "cbor", "payload"}
    assert (garbled["decision"], garbled["reason"], garbled["signature"]) == (
        "deny", "decode_failed", "not-checked"
    )
    assert garbled["expired"] is None

    [foreign] = run_json(capsys, *trust, "https://example.com/menu")
    assert (foreign["kind"], foreign["stage_error"], foreign["decision"], foreign["reason"]) == (
        "unknown", "prefix", "deny", "not_a_pass"
    )
    assert set(foreign) == CONTRACT_KEYS | EXTRA_KEYS

    [token] = run_json(capsys, *trust, "KP1:c29tZS10b2tlbg")
    assert (token["kind"], token["decision"], token["reason"], token["verified_by"]) == (
        "token", "manual", "upstream_unavailable", "none"
    )


def test_plain_output_is_one_line_per_input(
    capsys: pytest.CaptureFixture[str], issued: Issued, pem_file: Path
) -> None:
    code = main(["verify", "--offline", "--trust-cert", str(pem_file), "--at", "2026-05-28", issued.text])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert out.splitlines() == ["ADMIT   valid  (offline)  M********u E."]
    assert "Musterfrau" not in out and "Erika" not in out


# --- --trust-cert forms --------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["pem-file", "der-file", "base64-file", "inline-base64"])
def test_trust_cert_forms(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, issued: Issued, form: str
) -> None:
    b64 = base64.b64encode(issued.der).decode()
    if form == "inline-base64":
        value = b64
    else:
        path = tmp_path / f"cert.{form}"
        if form == "pem-file":
            path.write_text(issued.pem)
        elif form == "der-file":
            path.write_bytes(issued.der)
        else:
            path.write_text(b64 + "\n")
        value = str(path)
    [out] = run_json(capsys, "--offline", "--trust-cert", value, "--at", "2026-05-28", issued.text)
    assert (out["signature"], out["decision"]) == ("valid", "admit")


def test_several_trust_certs_are_all_trusted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, issued: Issued, pem_file: Path
) -> None:
    # The matching certificate comes second: every --trust-cert counts, not just the first.
    _, unrelated = make_signer("ES256", "XC", "Unrelated", None, NOW - DAY, NOW + DAY)
    der_file = tmp_path / "unrelated.der"
    der_file.write_bytes(unrelated)
    [out] = run_json(capsys, "--offline", "--trust-cert", str(der_file), "--trust-cert", str(pem_file),
                     "--at", "2026-05-28", issued.text)
    assert out["signature"] == "valid"


# --- --at ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "instant"),
    [
        ("2026-05-28", MIDNIGHT),
        ("2026-05-28T11:59:00Z", MIDNIGHT + timedelta(hours=11, minutes=59)),
        ("2026-05-28T12:01:00Z", MIDNIGHT + timedelta(hours=12, minutes=1)),
        ("2026-05-28T12:01:00", MIDNIGHT + timedelta(hours=12, minutes=1)),  # no zone = UTC
        ("2026-05-28 12:01:00", MIDNIGHT + timedelta(hours=12, minutes=1)),
        ("2026-05-28T20:59:00+09:00", MIDNIGHT + timedelta(hours=11, minutes=59)),
        ("2026-05-28T21:01:00+0900", MIDNIGHT + timedelta(hours=12, minutes=1)),
        ("2026-05-28T11:59:59.123456789Z", MIDNIGHT + timedelta(hours=11, minutes=59, seconds=59)),
        ("2026-05-28t12:00:01z", MIDNIGHT + timedelta(hours=12, seconds=1)),
        (str(int(NOW + 13 * 3600)), MIDNIGHT + timedelta(hours=13)),
        ("2026-05-17T23:00:00-02:00", MIDNIGHT - timedelta(days=10) + timedelta(hours=1)),
        ("2026-05-17T21:00:00-02:00", MIDNIGHT - timedelta(days=10) - timedelta(hours=1)),
    ],
)
def test_at_formats(
    capsys: pytest.CaptureFixture[str], issued: Issued, pem_file: Path, at: str, instant: datetime
) -> None:
    # The pass is valid from NOW - 10 days to NOW + 12 h.
    expected_expired = not (NOW - 10 * DAY <= instant.timestamp() <= NOW + DAY / 2)
    [out] = run_json(capsys, "--offline", "--trust-cert", str(pem_file), "--at", at, issued.text)
    assert out["expired"] is expected_expired
    if expected_expired:
        assert out["decision"] == "deny"
        assert out["reason"] == ("not_yet_valid" if instant.timestamp() < NOW else "expired")


# --- inputs: stdin, image ------------------------------------------------------------------------


def test_stdin_reads_one_pass_per_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, issued: Issued, pem_file: Path
) -> None:
    lines = f"{issued.text}\r\n\n{issued.other_text}\nnot a pass\n   \nKP1:dG9rZW4\n{issued.text}"
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    outs = run_json(capsys, "--offline", "--trust-cert", str(pem_file), "--at", "2026-05-28", "-")
    assert [(o["kind"], o["reason"]) for o in outs] == [
        ("dcc", "valid"),
        ("dcc", "unknown_signer"),
        ("unknown", "not_a_pass"),
        ("token", "upstream_unavailable"),
        ("dcc", "valid"),
    ]


def test_image_with_a_qr_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, issued: Issued, pem_file: Path
) -> None:
    image = tmp_path / "pass.png"
    segno.make_qr(issued.text, error="l").save(str(image), scale=4, border=4)
    [out] = run_json(capsys, "--offline", "--trust-cert", str(pem_file), "--at", "2026-05-28",
                     "--image", str(image))
    assert (out["kind"], out["signature"], out["decision"]) == ("dcc", "valid", "admit")
    assert out["payload"] == HCERT


# --- recording ----------------------------------------------------------------------------------


def _visits(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT v.id, v.decision, o.state FROM visits v JOIN outbox o ON o.visit_id = v.id ORDER BY v.id"
        ).fetchall()
    finally:
        conn.close()


def test_db_records_each_visit_and_supplies_its_trust_list(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, issued: Issued
) -> None:
    db_file = tmp_path / "venue" / "kiosk.db"
    with open_database(db_file) as db:
        # Fetched now: the pass is checked as of --at, the list's age counts from today.
        TrustStore(db).add(load_signer_cert(issued.der), time.time())
    outs = run_json(capsys, "--offline", "--db", str(db_file), "--at", "2026-05-28", issued.text)
    outs += run_json(capsys, "--offline", "--db", str(db_file), "--at", "2026-05-28", "not a pass")
    assert [o["decision"] for o in outs] == ["admit", "deny"]
    assert all(o["visit_id"] for o in outs)
    assert _visits(db_file) == sorted((o["visit_id"], o["decision"], "pending") for o in outs)
    assert not default_db().exists()


def test_without_db_nothing_is_recorded(
    capsys: pytest.CaptureFixture[str], issued: Issued, pem_file: Path
) -> None:
    [out] = run_json(capsys, "--offline", "--trust-cert", str(pem_file), "--at", "2026-05-28", issued.text)
    assert out["visit_id"] is None
    assert not default_db().exists()


def test_without_db_the_venue_trust_list_is_used_but_not_written(
    capsys: pytest.CaptureFixture[str], issued: Issued, pem_file: Path
) -> None:
    assert main(["trust", "import", str(pem_file)]) == 0
    capsys.readouterr()
    [out] = run_json(capsys, "--offline", "--at", "2026-05-28", issued.text)
    assert (out["signature"], out["visit_id"]) == ("valid", None)
    assert _visits(default_db()) == []


# --- online vs --offline --------------------------------------------------------------------------


@pytest.fixture
def upstream(tmp_path: Path) -> Iterator[tuple[Simulator, Path]]:
    with Simulator() as sim:
        config = tmp_path / "config.toml"
        config.write_text(
            f'[kiosk]\nid = "cli-test"\n[upstream]\nurl = "{sim.url}"\napi_key = "demo-key"\n'
            "[verify]\nbudget_ms = 800\nreserve_ms = 100\n",
            encoding="utf-8",
        )
        yield sim, config


def test_online_unless_offline(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, upstream: tuple[Simulator, Path]
) -> None:
    sim, config = upstream
    issued = sim.state.issue_dcc({"type": "v"})
    signer = next(s for s in sim.state.signers if s.kid == issued.kid)
    cert = tmp_path / "sim.der"
    cert.write_bytes(signer.der)
    base = ["--config", str(config), "--trust-cert", str(cert)]
    [online] = run_json(capsys, *base, issued.text)
    assert (online["decision"], online["verified_by"]) == ("admit", "online")
    [offline] = run_json(capsys, *base, "--offline", issued.text)
    assert (offline["decision"], offline["verified_by"]) == ("admit", "offline")
    token = sim.state.issue_token().token
    [manual] = run_json(capsys, *base, "--offline", token)
    assert manual["decision"] == "manual"
    [redeemed] = run_json(capsys, *base, token)  # --offline did not burn the token
    assert (redeemed["decision"], redeemed["verified_by"]) == ("admit", "online")


# --- the console entry ------------------------------------------------------------------------------


def _subprocess_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "cfg"), XDG_DATA_HOME=str(home / "data"))
    env["PYTHONPATH"] = str(REPO)
    return env


def test_python_dash_m_kiosk_verifies(tmp_path: Path, issued: Issued, pem_file: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk", "verify", "--json", "--offline", "--trust-cert", str(pem_file),
         "--at", "2026-05-28", "-"],
        input=f"{issued.text}\nnot a pass\n",
        capture_output=True, text=True, env=_subprocess_env(tmp_path), cwd=tmp_path, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    outs = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["decision"] for o in outs] == ["admit", "deny"]


def test_python_dash_m_kiosk_input_error_has_no_traceback(tmp_path: Path, issued: Issued) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk", "verify", "--offline", "--at", "yesterday-ish", issued.text],
        capture_output=True, text=True, env=_subprocess_env(tmp_path), cwd=tmp_path, timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kiosk: ")
    assert "Traceback" not in proc.stderr
