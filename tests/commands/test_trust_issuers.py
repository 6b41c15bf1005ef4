"""Issuer trust in the data file: `kiosk trust import` of DID documents, JWKS and web-root folders,
`kiosk trust list`, verification from the stored trust with a recorded visit, and no upstream call
for passes upstream cannot judge."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.cli import main
from kiosk.passes.nzcp_issue import did_document, issue_nzcp, new_key
from kiosk.passes.shc_issue import card_payload, crl, immunization, jwks, patient, qr_texts, sign_card
from kiosk.passes.shc_issue import new_key as new_shc_key
from kiosk.paths import data_dir, database_path
from kiosk.simulator.server import Simulator
from kiosk.store.issuer_store import IssuerStore
from kiosk.store.opening import open_database

NZ_ISS = "did:web:nzcp.example.nz"
SHC_ISS = "https://shc.example.org/issuer"
NOW = 1_780_000_000  # 2026-05-28
AT = "2026-05-28T12:00:00Z"


@pytest.fixture(scope="module")
def nz() -> dict[str, Any]:
    key = new_key()
    return {
        "doc": did_document(NZ_ISS, {"key-1": key.public_key()}),
        "text": issue_nzcp(key, iss=NZ_ISS, kid="key-1", nbf=NOW - 86_400, exp=NOW + 86_400),
    }


@pytest.fixture(scope="module")
def shc() -> dict[str, Any]:
    key, kid = new_shc_key()
    card = card_payload(SHC_ISS, NOW - 30 * 86_400, [patient(), immunization("212", "2026-03-01")],
                        rid="revokedOne")
    return {"kid": kid, "jwks": jwks({kid: key.public_key()}, crl_versions={kid: 1}),
            "text": qr_texts(sign_card(card, key, kid))[0]}


@pytest.fixture
def web_root(tmp_path: Path, shc: dict[str, Any]) -> Path:
    root = tmp_path / "issuer"
    (root / ".well-known" / "crl").mkdir(parents=True)
    (root / ".well-known" / "jwks.json").write_text(json.dumps(shc["jwks"]))
    revocations = json.dumps(crl(shc["kid"], ["revokedOne"]))
    (root / ".well-known" / "crl" / f"{shc['kid']}.json").write_text(revocations)
    return root


def _json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_import_list_and_verify_from_the_data_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, nz: dict[str, Any], web_root: Path
) -> None:
    did = tmp_path / "did.json"
    did.write_text(json.dumps(nz["doc"]))
    assert main(["trust", "import", str(did)]) == 0
    assert main(["trust", "import", "--issuer", SHC_ISS, str(web_root)]) == 0
    out, err = capsys.readouterr()
    assert "imported DID document of did:web:nzcp.example.nz (1 key(s))" in out
    assert "1 revocation list(s)" in out and err == ""

    assert main(["trust", "list", "--json"]) == 0
    listed = [e for e in _json_lines(capsys.readouterr()[0]) if e.get("kind") == "issuer"]
    assert {(e["issuer"], e["format"], e["keys"], e["revocation_lists"]) for e in listed} == {
        (NZ_ISS, "did", 1, 0), (SHC_ISS, "jwks", 1, 1)
    }

    db = database_path(data_dir())  # the data file the import wrote to, named to record the visit
    assert main(["verify", "--offline", "--json", "--db", str(db), "--at", AT, nz["text"]]) == 0
    [out_nz] = _json_lines(capsys.readouterr()[0])
    assert (out_nz["kind"], out_nz["decision"], out_nz["reason"]) == ("nzcp", "admit", "valid")
    assert out_nz["visit_id"] is not None
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT kind, reason FROM visits WHERE id = ?", (out_nz["visit_id"],)).fetchone()
        kind, reason = row
    assert (kind, reason) == ("nzcp", "valid")


def test_revocation_list_from_the_data_file_revokes(
    capsys: pytest.CaptureFixture[str], shc: dict[str, Any], web_root: Path
) -> None:
    assert main(["trust", "import", "--issuer", SHC_ISS, str(web_root)]) == 0
    capsys.readouterr()
    assert main(["verify", "--offline", "--json", "--at", AT, shc["text"]]) == 0
    [out] = _json_lines(capsys.readouterr()[0])
    assert (out["kind"], out["signature"]) == ("shc", "valid")
    assert (out["decision"], out["reason"]) == ("deny", "revoked")


def test_import_refuses_what_it_cannot_trust(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, shc: dict[str, Any], web_root: Path
) -> None:
    jwks_file = web_root / ".well-known" / "jwks.json"
    assert main(["trust", "import", str(jwks_file)]) == 2  # a JWKS does not name its issuer
    assert "--issuer" in capsys.readouterr()[1]
    other = web_root / ".well-known" / "crl" / f"{shc['kid']}.json"
    other.write_text(json.dumps(crl("anotherKid", ["x"])))
    assert main(["trust", "import", "--issuer", SHC_ISS, str(web_root)]) == 2
    assert "list of another key" in capsys.readouterr()[1]


def test_stored_entries_survive_a_reopen_and_an_unreadable_one_is_skipped(
    tmp_path: Path, nz: dict[str, Any]
) -> None:
    from kiosk.passes.issuers import load_did_document

    path = tmp_path / "k.db"
    db = open_database(path)
    store = IssuerStore(db)
    document = json.dumps(nz["doc"])
    store.put(load_did_document(document, NZ_ISS), document, source="test", fetched_at=NOW)
    db.close()
    db = open_database(path)
    assert IssuerStore(db).issuer_keys(NZ_ISS) is not None
    with db.transaction() as conn:
        conn.execute("UPDATE trust_issuers SET document = '{broken' WHERE issuer = ?", (NZ_ISS,))
    assert IssuerStore(db).issuer_keys(NZ_ISS) is None
    db.close()


@pytest.fixture
def upstream(tmp_path: Path) -> Iterator[tuple[Simulator, Path]]:
    with Simulator() as sim:
        config = tmp_path / "config.toml"
        config.write_text(
            f'[kiosk]\nid = "cli-test"\n[upstream]\nurl = "{sim.url}"\napi_key = "demo-key"\n',
            encoding="utf-8",
        )
        yield sim, config


def test_foreign_passes_are_verified_offline_even_when_upstream_answers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, nz: dict[str, Any], upstream: tuple[Simulator, Path]
) -> None:
    # Upstream (the national service) knows DCCs and tokens only; it would call an NZCP "not a pass".
    _sim, config = upstream
    did = tmp_path / "did.json"
    did.write_text(json.dumps(nz["doc"]))
    code = main(["verify", "--json", "--config", str(config), "--trust-issuer", f"{NZ_ISS}={did}",
                 "--at", AT, nz["text"]])
    out, err = capsys.readouterr()
    assert code == 0, err
    [result] = _json_lines(out)
    assert (result["decision"], result["verified_by"]) == ("admit", "offline")


def _verify_with(capsys: pytest.CaptureFixture[str], config: Path, *args: str) -> dict[str, Any]:
    assert main(["verify", "--config", str(config), "--offline", "--json", "--at", AT, *args]) == 0
    [out] = _json_lines(capsys.readouterr()[0])
    return out


def test_issuers_listed_in_config_are_the_only_ones_trusted_even_with_cached_keys(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    nz: dict[str, Any],
    shc: dict[str, Any],
    web_root: Path,
) -> None:
    did = tmp_path / "did.json"
    did.write_text(json.dumps(nz["doc"]))
    assert main(["trust", "import", str(did)]) == 0
    assert main(["trust", "import", "--issuer", SHC_ISS, str(web_root)]) == 0
    capsys.readouterr()
    config = tmp_path / "config.toml"

    config.write_text('[trust]\nnzcp_issuers = ["did:web:nzcp.identity.health.nz"]\n'
                      'shc_issuers = ["https://other.example/issuer"]\n', encoding="utf-8")
    for text in (nz["text"], shc["text"]):
        out = _verify_with(capsys, config, text)
        assert (out["decision"], out["reason"]) == ("deny", "unknown_issuer"), out

    # Listed: trusted as before (the SHC card is on its issuer's revocation list).
    listed = f'[trust]\nnzcp_issuers = ["{NZ_ISS}"]\nshc_issuers = ["{SHC_ISS}"]\n'
    config.write_text(listed, encoding="utf-8")
    assert _verify_with(capsys, config, nz["text"])["reason"] == "valid"
    assert _verify_with(capsys, config, shc["text"])["reason"] == "revoked"

    # Empty lists (the default): whatever was imported is trusted.
    config.write_text("[trust]\nnzcp_issuers = []\nshc_issuers = []\n", encoding="utf-8")
    assert _verify_with(capsys, config, nz["text"])["reason"] == "valid"

    # An issuer given on the command line is trusted for that run whatever the lists say.
    config.write_text('[trust]\nnzcp_issuers = ["did:web:nzcp.identity.health.nz"]\n', encoding="utf-8")
    out = _verify_with(capsys, config, "--trust-issuer", f"{NZ_ISS}={did}", nz["text"])
    assert out["reason"] == "valid"


def test_a_bad_issuer_in_the_config_list_names_file_line_and_item(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, nz: dict[str, Any]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[kiosk]\nid = "k"\n\n[trust]\nshc_issuers = [\n  "https://ok.example",\n'
                      '  "https://bad.example/",\n]\n', encoding="utf-8")
    assert main(["verify", "--config", str(config), "--offline", nz["text"]]) == 2
    err = capsys.readouterr()[1]
    assert f"{config}:5: [trust] shc_issuers item 2" in err and "trailing" in err
    assert "Traceback" not in err
