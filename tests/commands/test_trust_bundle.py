"""Files holding many signer certificates: every one is imported, bad entries are refused by number."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from kiosk.cli import main
from kiosk.passes.issue import make_signer
from kiosk.passes.signer import load_signer_cert
from tests.commands.signed_pass import pass_signed_by

NOW = time.time()
DAY = 86_400.0
BROKEN_PEM = "-----BEGIN CERTIFICATE-----\nMIIB!!!not-base64!!!\n-----END CERTIFICATE-----\n"


@pytest.fixture(scope="module")
def signers() -> list[tuple[Any, bytes]]:
    return [
        make_signer("ES256", f"X{c}", f"Bundle DSC {c}", None, NOW - 30 * DAY, NOW + 365 * DAY) for c in "ABC"
    ]


def _pem(der: bytes) -> str:
    return x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM).decode()


def _bundle(tmp_path: Path, signers: list[tuple[Any, bytes]]) -> Path:
    """Three certificates, a broken block second, and descriptive text (as openssl writes it)
    making the file larger than the old 64 KiB limit."""
    padding = "".join(f"# Bag Attributes: localKeyID {i:06d}\n" for i in range(2500))
    parts = [_pem(signers[0][1]), BROKEN_PEM, padding, _pem(signers[1][1]), _pem(signers[2][1])]
    path = tmp_path / "bundle.pem"
    path.write_text("".join(parts))
    assert path.stat().st_size > 64 * 1024
    return path


def test_trust_import_takes_every_certificate_of_a_pem_bundle(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, signers: list[tuple[Any, bytes]]
) -> None:
    data = str(tmp_path / "data")
    code = main(["trust", "import", "--data", data, str(_bundle(tmp_path, signers))])
    out, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in err
    assert sum("imported kid" in line for line in out.splitlines()) == 3
    assert "3 certificate(s) imported, 1 refused" in out
    assert "certificate #2 refused" in err and "base64" in err
    assert "Bundle DSC" not in err  # refusals name a position, not a subject

    main(["trust", "list", "--json", "--data", data])
    listed = {json.loads(line)["kid_hex"] for line in capsys.readouterr().out.splitlines()}
    assert listed == {load_signer_cert(der).kid.hex() for _, der in signers}


def test_trust_cert_bundle_trusts_a_signer_after_the_first(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, signers: list[tuple[Any, bytes]]
) -> None:
    key, der = signers[2]
    text = pass_signed_by(key, der, NOW)
    bundle = _bundle(tmp_path, signers)
    code = main(["verify", "--json", "--offline", "--trust-cert", str(bundle), text])
    out, err = capsys.readouterr()
    assert code == 0
    assert json.loads(out)["signature"] == "valid"
    assert "certificate #2 refused" in err


def test_trust_import_of_a_dgca_json_trust_list(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, signers: list[tuple[Any, bytes]]
) -> None:
    def entry(der: bytes, kind: str = "DSC") -> dict[str, str]:
        kid = base64.b64encode(load_signer_cert(der).kid).decode()
        raw = base64.b64encode(der).decode()
        return {"kid": kid, "country": "XA", "certificateType": kind, "rawData": raw}

    doc = {"certificates": [entry(signers[0][1]), entry(signers[1][1], "CSCA"), {"kid": "AAAA"},
                            entry(signers[2][1])]}
    path = tmp_path / "trustlist.json"
    path.write_text(json.dumps(doc))
    data = str(tmp_path / "data")
    code = main(["trust", "import", "--data", data, str(path)])
    out, err = capsys.readouterr()
    assert code == 0
    assert "2 certificate(s) imported, 2 refused" in out
    assert "#2 refused" in err and "CSCA" in err and "#3 refused" in err and "rawData" in err


def test_a_file_of_only_refused_entries_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "broken.pem"
    path.write_text(BROKEN_PEM * 2)
    assert main(["trust", "import", "--data", str(tmp_path / "d"), str(path)]) == 2
    err = capsys.readouterr().err
    assert "#1 refused" in err and "#2 refused" in err and "no certificate imported" in err
    assert main(["verify", "--offline", "--trust-cert", str(path), "KP1:x"]) == 2
    assert "--trust-cert" in capsys.readouterr().err
