"""The `Faults` value: JSON in and out, with errors a person can act on."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.errors import ConfigError
from kiosk.simulator.faults import Faults, FaultsError


def test_round_trip_through_json() -> None:
    faults = Faults(latency_ms=50, error_rate=0.2, garbage="html", paths=("/v1/verify",), max_concurrency=4)
    assert Faults.from_json(faults.to_json()) == faults
    assert faults.to_json()["paths"] == ["/v1/verify"]


def test_from_json_text_and_defaults() -> None:
    assert Faults.from_json("{}") == Faults()
    assert Faults.from_json('{"hang": true}').hang is True


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"latncy_ms": 1}, "latncy_ms"),
        ({"error_rate": 1.5}, "error_rate"),
        ({"error_rate": "high"}, "error_rate"),
        ({"latency_ms": -1}, "latency_ms"),
        ({"hang": "yes"}, "hang"),
        ({"garbage": "xml"}, "garbage"),
        ({"overload_mode": "panic"}, "overload_mode"),
        ({"capacity_rps": 0}, "capacity_rps"),
        ({"max_concurrency": 1.5}, "max_concurrency"),
        ({"paths": "/v1/verify"}, "paths"),
        ({"paths": ["v1/verify"]}, "paths"),
        ([], "object"),
        ("{nope", "JSON"),
    ],
)
def test_bad_values_name_the_key(data: object, fragment: str) -> None:
    with pytest.raises(FaultsError) as caught:
        Faults.from_json(data)  # type: ignore[arg-type]
    assert fragment in caught.value.message
    assert isinstance(caught.value, ConfigError)


def test_paths_match_prefixes_not_substrings() -> None:
    faults = Faults(paths=("/v1/verify", "/signercertificate"))
    assert faults.applies_to("/v1/verify")
    assert not faults.applies_to("/v1/verifyx")
    assert not faults.applies_to("/signercertificateUpdate")  # a path, not a string prefix
    assert Faults(paths=("/v1",)).applies_to("/v1/visits:batch")
    assert Faults().applies_to("/anything")


def test_from_file(tmp_path: Path) -> None:
    good = tmp_path / "faults.json"
    good.write_text('{"error_rate": 0.1, "paths": ["/v1/verify"]}', encoding="utf-8")
    assert Faults.from_file(good) == Faults(error_rate=0.1, paths=("/v1/verify",))
    bad = tmp_path / "bad.json"
    bad.write_text('{"eror_rate": 0.1}', encoding="utf-8")
    with pytest.raises(FaultsError, match=r"bad\.json.*eror_rate"):
        Faults.from_file(bad)
    with pytest.raises(FaultsError, match=r"missing\.json"):
        Faults.from_file(tmp_path / "missing.json")
