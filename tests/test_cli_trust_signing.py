"""`kiosk trust update` and `kiosk doctor` with upstream's list key pinned, wrong, or missing.

In-process CLI against the real simulator and real data folders.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.cli import main
from kiosk.simulator.server import Simulator
from kiosk.store.opening import open_database
from kiosk.store.trust_store import ListRefusal, TrustStore
from kiosk.upstream.list_signature import public_key_text


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator() as simulator:
        yield simulator


def write_config(path: Path, url: str, signing_key: str | None) -> Path:
    text = f'[upstream]\nurl = "{url}"\napi_key = "demo-key"\n'
    if signing_key is not None:
        text += f'[trust]\nsigning_key = "{signing_key}"\n'
    path.write_text(text)
    return path


def kiosk(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def kids(data: Path) -> frozenset[str]:
    with open_database(data / "kiosk.db") as db:
        return TrustStore(db).kid_hexes()


def test_trust_update_takes_lists_signed_by_the_pinned_key_and_refuses_others(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sim: Simulator
) -> None:
    data = tmp_path / "data"
    good = write_config(tmp_path / "good.toml", sim.url, sim.state.list_signing_key)
    code, out, err = kiosk(capsys, "trust", "update", "--config", str(good), "--data", str(data))
    assert code == 0, err
    assert "2 certificate(s) stored" in out
    before = kids(data)

    other = public_key_text(ec.generate_private_key(ec.SECP256R1()))
    wrong = write_config(tmp_path / "wrong.toml", sim.url, other)
    code, out, err = kiosk(capsys, "trust", "update", "--config", str(wrong), "--data", str(data))
    assert code == 2
    assert err == (
        "kiosk: trust list refused: its signature does not verify with [trust] signing_key; "
        "the previous list stays in force\n"
    )
    assert kids(data) == before


def test_trust_update_refuses_a_tampered_certificate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sim: Simulator
) -> None:
    data = tmp_path / "data"
    config = write_config(tmp_path / "config.toml", sim.url, sim.state.list_signing_key)
    assert kiosk(capsys, "trust", "update", "--config", str(config), "--data", str(data))[0] == 0
    before = kids(data)
    requests.post(sim.url + "/_sim/trust/tampered", timeout=2).raise_for_status()
    try:
        code, _, err = kiosk(capsys, "trust", "update", "--config", str(config), "--data", str(data))
    finally:
        sim.reset()  # the tampered entry stays out of the other tests
    assert code == 2 and "trust list refused" in err
    assert kids(data) == before


def test_trust_update_from_an_upstream_elsewhere_needs_the_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = write_config(tmp_path / "config.toml", "https://upstream.invalid", None)
    code, out, err = kiosk(capsys, "trust", "update", "--config", str(config), "--data", str(tmp_path / "d"))
    assert code == 2 and out == ""
    assert err.startswith("kiosk: trust list not taken: set [trust] signing_key")


def list_signatures(capsys: pytest.CaptureFixture[str], config: Path, data: Path) -> dict[str, str]:
    argv = ("doctor", "--json", "--no-network", "--config", str(config), "--data", str(data))
    _, out, _ = kiosk(capsys, *argv)
    return {row["check"]: row for row in map(json.loads, out.splitlines())}["list signatures"]


def test_doctor_fails_without_a_key_for_an_upstream_elsewhere(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sim: Simulator
) -> None:
    data = tmp_path / "data"
    config = write_config(tmp_path / "config.toml", "https://verify.example.com", None)
    check = list_signatures(capsys, config, data)
    assert check["status"] == "fail"
    assert "no [trust] signing_key" in check["detail"] and "set [trust] signing_key" in check["hint"]

    write_config(config, "https://verify.example.com", sim.state.list_signing_key)
    assert list_signatures(capsys, config, data)["status"] == "ok"
    write_config(config, sim.url, None)  # the simulator on this computer: nothing to pin
    assert list_signatures(capsys, config, data)["status"] == "ok"


def test_doctor_warns_after_a_refused_list_until_it_is_taken_again(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sim: Simulator
) -> None:
    data = tmp_path / "data"
    config = write_config(tmp_path / "config.toml", "https://verify.example.com", sim.state.list_signing_key)
    message = "trust list refused: its signature does not verify with [trust] signing_key"
    with open_database(data / "kiosk.db") as db:
        TrustStore(db).note_refusal(ListRefusal("trust", 1_790_000_000.0, message))
    check = list_signatures(capsys, config, data)
    assert check["status"] == "warn" and check["detail"].startswith(message)
    with open_database(data / "kiosk.db") as db:
        TrustStore(db).clear_refusal("trust")
    assert list_signatures(capsys, config, data)["status"] == "ok"
