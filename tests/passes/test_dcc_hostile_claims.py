"""Signed passes with hostile values at CWT, header and hcert keys: a clear stage failure or
reason each, never an exception (issue 11, defect 1).

The passes are signed with a trusted key, so every value gets past the signature and
reaches the code that reads it: what an attacker who printed a QR code can do.
"""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path
from typing import Any

import cbor2
import pytest

from kiosk.config import RulesConfig
from kiosk.decision import Reason
from kiosk.passes import cose
from kiosk.passes.dcc import check_dcc
from kiosk.passes.issue import sign_claims
from kiosk.passes.model import DccCheck, SignatureState, Stage
from kiosk.passes.rules import evaluate
from kiosk.store.opening import open_database
from kiosk.store.trust_store import TrustStore
from tests.passes.conftest import DAY, HCERT_V, T0, Signer

HUGE = 10**400  # a CBOR bignum; float() of it raises OverflowError
ENORMOUS = 10**5000  # str()/repr() of it raise ValueError (int max str digits)
HOSTILE: list[Any] = [
    HUGE, -HUGE, ENORMOUS, 2**64, -(2**64) - 1, -1, 1.5, math.nan, math.inf, -math.inf, True, None,
    b"\xff\x00", "text", "", [1, [2, [3]]], {1: 2}, {"a": b"x"}, {b"k": 1}, cbor2.CBORTag(4242, HUGE),
    cbor2.undefined,
]
IDS = [f"{type(v).__name__}:{str(v)[:12] if not isinstance(v, int) or abs(v) < 10**20 else 'huge'}"
       for v in HOSTILE]


def _claims() -> dict[Any, Any]:
    return {1: "DE", 6: int(T0), 4: int(T0 + DAY), -260: {1: HCERT_V}}


def _check(signer: Signer, claims: Any, protected: dict[Any, Any] | None = None,
           unprotected: dict[Any, Any] | None = None) -> DccCheck:
    if protected is None:
        protected = {cose.HEADER_ALG: cose.ALG_ES256, cose.HEADER_KID: signer.cert.kid}
    text = sign_claims(claims, private_key=signer.key, protected=protected, unprotected=unprotected)
    check = check_dcc(text, signer.trust, T0 + 60)
    assert isinstance(check, DccCheck)
    return check


def _hcert(**fields: Any) -> dict[str, Any]:
    return {**HCERT_V, **fields}


def _entry(**fields: Any) -> dict[str, Any]:
    return _hcert(v=[{**HCERT_V["v"][0], **fields}])


def _usable(check: DccCheck) -> None:
    """What every caller does with a check must work: JSON output and the rules."""
    json.dumps(check.payload, ensure_ascii=False).encode("utf-8")
    assert check.error_detail is None or len(check.error_detail) < 200
    if check.payload is not None:
        assert isinstance(evaluate(check.payload, T0, RulesConfig()), Reason)


def test_the_baseline_pass_is_valid(es256: Signer) -> None:
    check = _check(es256, _claims())
    assert (check.decoded, check.signature, check.expired) == (True, SignatureState.VALID, False)


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
@pytest.mark.parametrize("claim", [4, 6], ids=["exp", "iat"])
def test_hostile_time_claim_is_a_cbor_stage_failure(es256: Signer, claim: int, value: Any) -> None:
    check = _check(es256, {**_claims(), claim: value})
    if value is None or value in (-1, 1.5):
        assert check.decoded  # an absent claim, or a time in 1970: expired, but a time
        return
    assert (check.decoded, check.stage_error) == (False, Stage.CBOR)
    assert check.error_detail is not None and ("exp" in check.error_detail or "iat" in check.error_detail)


@pytest.mark.parametrize("value", [10**300, -(10**300), 1e300, 253_402_300_800, -62_135_596_801])
def test_time_claim_beyond_year_9999_or_before_year_1_is_refused(es256: Signer, value: float) -> None:
    check = _check(es256, {**_claims(), 4: value})
    assert (check.stage_error, check.error_detail) == (Stage.CBOR, "CWT exp is outside the years 1 to 9999")


def test_time_claims_at_the_calendar_limits_are_read(es256: Signer) -> None:
    check = _check(es256, {**_claims(), 6: -62_135_596_800, 4: 253_402_300_799})
    assert check.decoded and check.expired is False


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_hostile_issuer_or_hcert_container(es256: Signer, value: Any) -> None:
    for claims in ({**_claims(), 1: value}, {**_claims(), -260: value}, {**_claims(), -260: {1: value}},
                   {**_claims(), -260: {1: HCERT_V, 2: value}}, {**_claims(), 99: value}):
        _usable(_check(es256, claims))


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
@pytest.mark.parametrize("label", [cose.HEADER_ALG, cose.HEADER_KID, 3, -1])
def test_hostile_header_values(es256: Signer, label: int, value: Any) -> None:
    protected = {cose.HEADER_ALG: cose.ALG_ES256, cose.HEADER_KID: es256.cert.kid, label: value}
    check = _check(es256, _claims(), protected=protected)
    _usable(check)
    if label == cose.HEADER_ALG:
        assert check.signature is not SignatureState.VALID
    unprotected_only = _check(es256, _claims(), protected={cose.HEADER_ALG: cose.ALG_ES256},
                              unprotected={cose.HEADER_KID: es256.cert.kid, label: value})
    _usable(unprotected_only)


def test_enormous_alg_is_not_echoed(es256: Signer) -> None:
    protected = {cose.HEADER_ALG: ENORMOUS, cose.HEADER_KID: es256.cert.kid}
    check = _check(es256, _claims(), protected=protected)
    assert check.signature is SignatureState.INVALID
    assert check.error_detail == "unsupported COSE alg of type int"


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
@pytest.mark.parametrize("key", ["ver", "nam", "dob", "v", "t", "r"])
def test_hostile_hcert_fields(es256: Signer, key: str, value: Any) -> None:
    _usable(_check(es256, {**_claims(), -260: {1: _hcert(**{key: value})}}))


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
@pytest.mark.parametrize("key", ["fn", "gn", "fnt", "gnt"])
def test_hostile_name_fields(es256: Signer, key: str, value: Any) -> None:
    nam = {**HCERT_V["nam"], key: value}
    _usable(_check(es256, {**_claims(), -260: {1: _hcert(nam=nam)}}))


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
@pytest.mark.parametrize("key", ["dn", "sd", "dt", "ci", "co", "tg"])
def test_hostile_entry_fields(es256: Signer, key: str, value: Any) -> None:
    check = _check(es256, {**_claims(), -260: {1: _entry(**{key: value})}})
    _usable(check)


@pytest.mark.parametrize(
    "value", [HUGE, ENORMOUS, 2**64, -(2**64) - 1], ids=["1e400", "1e5000", "2^64", "-2^64-1"]
)
def test_integers_beyond_cbor_native_range_are_a_payload_failure(es256: Signer, value: int) -> None:
    check = _check(es256, {**_claims(), -260: {1: _entry(dn=value)}})
    assert (check.decoded, check.stage_error) == (False, Stage.PAYLOAD)
    assert check.error_detail == "health certificate holds an integer out of range"


def test_integers_at_the_cbor_native_limits_are_kept(es256: Signer) -> None:
    check = _check(es256, {**_claims(), -260: {1: _entry(dn=2**64 - 1, sd=-(2**64))}})
    assert check.decoded and check.payload is not None
    assert check.payload["v"][0]["dn"] == 2**64 - 1


def test_wrong_map_key_types(es256: Signer) -> None:
    for claims in ({**_claims(), b"k": 1, 2.5: 3}, {**_claims(), -260: {b"1": HCERT_V}},
                   {**_claims(), -260: {1: {**HCERT_V, 7: "x"}}},
                   {**_claims(), -260: {1: _hcert(nam={1: "x"})}}, [1, 2, 3], "claims", HUGE):
        _usable(_check(es256, claims))


def test_an_unexpected_failure_is_a_decode_failure_with_its_cause_logged(
    es256: Signer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A trust list whose database was closed under it: a real failure no type check foresees.
    db = open_database(tmp_path / "kiosk.db")
    store = TrustStore(db)
    store.add(es256.cert, fetched_at=T0)
    db.close()
    text = sign_claims(_claims(), private_key=es256.key,
                       protected={cose.HEADER_ALG: cose.ALG_ES256, cose.HEADER_KID: es256.cert.kid})
    with caplog.at_level(logging.WARNING, logger="kiosk.passes.dcc"):
        check = check_dcc(text, store, T0)
    assert (check.decoded, check.stage_error) == (False, Stage.COSE)
    assert check.error_detail is not None and check.error_detail.startswith("unexpected ")
    (record,) = caplog.records
    assert "treated as a decode failure" in record.getMessage()
    assert record.exc_info is None  # no traceback, and no value from the pass in the message
    assert "Musterfrau" not in record.getMessage() and text[4:20] not in record.getMessage()
