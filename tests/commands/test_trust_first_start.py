"""First start without network: the package's trust-list snapshot is imported as `bundled`, so a
signed pass verifies offline; with no list, or one past `[trust] hard_limit_days`, a signed pass
gets a staff check, never a refusal. A snapshot made from the simulator is only used with the
simulator as the upstream."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.passes.issue import make_signer
from kiosk.passes.trust_snapshot import dump_snapshot, load_snapshot
from kiosk.paths import TRUST_SNAPSHOT_ENV
from kiosk.simulator.server import Simulator
from tests.commands.signed_pass import pass_signed_by
from tests.commands.test_trust_doctor import cli

NOW = time.time()
DAY = 86_400.0
FAR_UPSTREAM = "https://verify.example.invalid"  # configured, never reached: no network in these tests


@pytest.fixture(scope="module")
def signer() -> tuple[Any, bytes]:
    return make_signer("ES256", "XA", "First Start DSC", None, NOW - 30 * DAY, NOW + 365 * DAY)


def _config(folder: Path, url: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    upstream = f'[upstream]\nurl = "{url}"\napi_key = "demo-key"\n' if url else ""
    path.write_text(f'[kiosk]\nid = "first-start"\ndata_dir = "data"\n{upstream}', encoding="utf-8")
    return path


def _verify(capsys: pytest.CaptureFixture[str], config: Path, text: str) -> dict[str, Any]:
    db = config.parent / "data" / "kiosk.db"
    code, out, err = cli(capsys, "verify", "--offline", "--json", "--config", str(config),
                          "--db", str(db), text)
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def snapshot(tmp_path: Path, capsys: pytest.CaptureFixture[str], signer: tuple[Any, bytes]) -> Path:
    """What `./dev package` does with a real upstream: export the list the maker PC holds."""
    maker = _config(tmp_path / "maker", FAR_UPSTREAM)
    pem = tmp_path / "dsc.der"
    pem.write_bytes(signer[1])
    assert cli(capsys, "trust", "import", "--config", str(maker), str(pem))[0] == 0
    out_file = tmp_path / "trust-snapshot.json"
    code, out, err = cli(capsys, "trust", "export-bundle", "--config", str(maker), str(out_file))
    assert code == 0, err
    assert "1 signer(s)" in out and f"from {FAR_UPSTREAM}" in out
    return out_file


def test_fresh_install_verifies_a_signed_pass_offline_from_the_bundled_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    snapshot: Path, signer: tuple[Any, bytes],
) -> None:
    monkeypatch.setenv(TRUST_SNAPSHOT_ENV, str(snapshot))
    venue = _config(tmp_path / "venue")  # no upstream at all: nothing to reach

    result = _verify(capsys, venue, pass_signed_by(*signer, NOW))
    assert (result["decision"], result["reason"], result["verified_by"]) == ("admit", "valid", "offline")

    _, out, _ = cli(capsys, "trust", "list", "--json", "--config", str(venue))
    (entry,) = map(json.loads, out.splitlines())
    assert (entry["source"], entry["snapshot_source"]) == ("bundled", "upstream")
    assert entry["origin"] == FAR_UPSTREAM
    assert 0 <= entry["age_seconds"] < 600

    _, out, _ = cli(capsys, "doctor", "--json", "--no-network", "--config", str(venue))
    rows = {r["check"]: r for r in map(json.loads, out.splitlines())}
    assert rows["trust list"]["status"] == "ok"
    assert "bundled" in rows["trust list"]["detail"] and " h old" in rows["trust list"]["detail"]


def test_with_the_list_removed_the_same_pass_is_a_staff_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    signer: tuple[Any, bytes],
) -> None:
    monkeypatch.setenv(TRUST_SNAPSHOT_ENV, str(tmp_path / "no-such-snapshot.json"))
    venue = _config(tmp_path / "venue")
    result = _verify(capsys, venue, pass_signed_by(*signer, NOW))
    assert (result["decision"], result["reason"], result["verified_by"]) == (
        "manual", "trust_list_missing", "none")


def test_doctor_names_the_snapshot_the_first_start_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, snapshot: Path
) -> None:
    monkeypatch.setenv(TRUST_SNAPSHOT_ENV, str(snapshot))
    venue = _config(tmp_path / "venue")
    _, out, _ = cli(capsys, "doctor", "--json", "--no-network", "--config", str(venue))
    row = {r["check"]: r for r in map(json.loads, out.splitlines())}["trust list"]
    assert row["status"] == "warn"
    assert "first start" in row["detail"] and "upstream snapshot" in row["detail"]


def test_a_list_past_the_hard_limit_gives_a_staff_check_and_a_fresh_one_refuses_unknown_signers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    snapshot: Path, signer: tuple[Any, bytes],
) -> None:
    stranger = make_signer("ES256", "XA", "Unlisted DSC", None, NOW - 30 * DAY, NOW + 365 * DAY)
    loaded = load_snapshot(snapshot.read_bytes())
    old = tmp_path / "old.json"
    old.write_bytes(dump_snapshot(replace(loaded, made_at=NOW - 31 * DAY)))

    monkeypatch.setenv(TRUST_SNAPSHOT_ENV, str(old))
    venue = _config(tmp_path / "old-venue")
    result = _verify(capsys, venue, pass_signed_by(*signer, NOW))
    assert (result["decision"], result["reason"]) == ("manual", "trust_list_expired")
    result = _verify(capsys, venue, pass_signed_by(*stranger, NOW))
    assert (result["decision"], result["reason"]) == ("manual", "trust_list_expired")

    monkeypatch.setenv(TRUST_SNAPSHOT_ENV, str(snapshot))
    venue = _config(tmp_path / "fresh-venue")
    result = _verify(capsys, venue, pass_signed_by(*stranger, NOW))
    assert (result["decision"], result["reason"]) == ("deny", "unknown_signer")


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator() as simulator:
        yield simulator


def test_a_simulator_snapshot_is_used_only_with_the_simulator_as_upstream(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, sim: Simulator
) -> None:
    maker = _config(tmp_path / "maker", sim.url)
    assert cli(capsys, "trust", "update", "--config", str(maker))[0] == 0
    out_file = tmp_path / "sim-snapshot.json"
    assert cli(capsys, "trust", "export-bundle", "--config", str(maker), str(out_file))[0] == 0
    assert load_snapshot(out_file.read_bytes()).source == "simulator"
    auth = {"Authorization": "Bearer demo-key"}
    resp = requests.post(sim.url + "/v1/nzcp", json={}, headers=auth, timeout=5)
    nz_pass = resp.json()["pass"]
    monkeypatch.setenv(TRUST_SNAPSHOT_ENV, str(out_file))

    # A venue without the simulator: the throwaway keys are not trusted, and the pass is a
    # staff check, not "unknown issuer".
    venue = _config(tmp_path / "venue", FAR_UPSTREAM)
    result = _verify(capsys, venue, nz_pass)
    assert (result["kind"], result["decision"], result["reason"]) == ("nzcp", "manual", "trust_list_missing")

    demo = _config(tmp_path / "demo", sim.url)
    result = _verify(capsys, demo, nz_pass)
    assert (result["kind"], result["decision"], result["reason"]) == ("nzcp", "admit", "valid")
    _, out, _ = cli(capsys, "trust", "list", "--json", "--config", str(demo))
    entries = list(map(json.loads, out.splitlines()))
    signers = {(e["source"], e["snapshot_source"]) for e in entries if "kid_hex" in e}
    assert signers == {("bundled", "simulator")}
    issuers = [e for e in entries if e.get("kind") == "issuer"]
    assert issuers and {(e["source"], e["origin"]) for e in issuers} == {("bundled", sim.url)}
