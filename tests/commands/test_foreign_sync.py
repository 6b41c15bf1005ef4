"""The simulator issues all three kinds of signed pass and mirrors the NZCP/SHC issuers' documents;
`kiosk trust update` syncs them into the data file, and each pass then verifies offline."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.cli import main
from kiosk.simulator.foreign import NZCP_ISSUER, SHC_ISSUER
from kiosk.simulator.server import Simulator

AUTH = {"Authorization": "Bearer demo-key"}


@pytest.fixture
def upstream(tmp_path: Path) -> Iterator[tuple[Simulator, Path]]:
    with Simulator() as sim:
        config = tmp_path / "config.toml"
        config.write_text(f'[kiosk]\nid = "sync-test"\n[upstream]\nurl = "{sim.url}"\napi_key = "demo-key"\n',
                          encoding="utf-8")
        yield sim, config


def _post(sim: Simulator, path: str, body: dict[str, Any]) -> dict[str, Any]:
    resp = requests.post(sim.url + path, json=body, headers=AUTH, timeout=5)
    assert resp.status_code == 201, resp.text
    return resp.json()


def _verify(capsys: pytest.CaptureFixture[str], config: Path, *texts: str) -> list[dict[str, Any]]:
    code = main(["verify", "--offline", "--json", "--config", str(config), *texts])
    out, err = capsys.readouterr()
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


def test_trust_update_brings_issuer_keys_and_revocations(
    capsys: pytest.CaptureFixture[str], upstream: tuple[Simulator, Path]
) -> None:
    sim, config = upstream
    nz = _post(sim, "/v1/nzcp", {})["pass"]
    card = _post(sim, "/v1/shc", {"chunks": 2})["passes"]
    revoked = _post(sim, "/v1/shc", {"revoked": True})["passes"]
    dcc = _post(sim, "/v1/dcc", {"type": "v"})["pass"]

    # Before a sync the issuers are unknown.
    before = _verify(capsys, config, nz)
    assert before[0]["reason"] == "unknown_issuer"

    assert main(["trust", "update", "--config", str(config)]) == 0
    out, _err = capsys.readouterr()
    assert "issuers: 2 stored" in out
    assert main(["trust", "list", "--config", str(config), "--json"]) == 0
    listed = {e["issuer"]: e for e in map(json.loads, capsys.readouterr()[0].splitlines()) if e.get("kind")}
    assert set(listed) == {NZCP_ISSUER, SHC_ISSUER}
    assert listed[SHC_ISSUER]["source"] == "upstream" and listed[SHC_ISSUER]["revocation_lists"] == 1

    results = _verify(capsys, config, nz, *card, *revoked, dcc)
    assert [(r["kind"], r["decision"], r["reason"]) for r in results] == [
        ("nzcp", "admit", "valid"),
        ("shc", "admit", "valid"),
        ("shc", "deny", "revoked"),
        ("dcc", "admit", "valid"),
    ]


def test_simulator_refuses_bad_issue_requests(upstream: tuple[Simulator, Path]) -> None:
    sim, _config = upstream
    resp = requests.post(sim.url + "/v1/shc", json={"chunks": 9}, headers=AUTH, timeout=5)
    assert resp.status_code == 400
    resp = requests.get(sim.url + "/v1/trust/issuers", timeout=5)
    assert resp.status_code == 401
