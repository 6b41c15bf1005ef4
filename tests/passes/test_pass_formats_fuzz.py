"""Hypothesis fuzzing of the NZCP and SHC chains: whatever comes in, only a check comes out, and
nothing but the issuer's own signed bytes ever verifies."""

from __future__ import annotations

import base64
import json
import zlib

import cbor2
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.passes import nzcp_issue, shc_issue
from kiosk.passes.issuers import StaticIssuers, load_did_document, load_jwks
from kiosk.passes.model import DccCheck, SignatureState
from kiosk.passes.nzcp import check_nzcp
from kiosk.passes.shc import check_shc
from kiosk.passes.shc_qr import encode_numeric

NZ = "did:web:fuzz.example.nz"
SHC = "https://fuzz.example.org/issuer"
T0 = 1_700_000_000
_NZ_KEY = nzcp_issue.new_key()
_SHC_KEY, _SHC_KID = shc_issue.new_key()
TRUST = StaticIssuers([
    load_did_document(json.dumps(nzcp_issue.did_document(NZ, {"key-1": _NZ_KEY.public_key()})), NZ),
    load_jwks(json.dumps(shc_issue.jwks({_SHC_KID: _SHC_KEY.public_key()})), SHC),
])
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=2 * settings.default.max_examples)
@given(st.text(max_size=300))
def test_arbitrary_text_with_either_prefix(text: str) -> None:
    for prefix in ("NZCP:/1/", "NZCP:/", "shc:/", "shc:/1/2/"):
        assert isinstance(check_nzcp(prefix + text, TRUST, T0), DccCheck)
        assert isinstance(check_shc(prefix + text, TRUST, T0), DccCheck)


@given(st.text(alphabet=_B32, max_size=400))
def test_arbitrary_base32(body: str) -> None:
    check = check_nzcp("NZCP:/1/" + body, TRUST, T0)
    assert check.signature is not SignatureState.VALID


@given(st.dictionaries(st.integers(-10, 10) | st.text(max_size=4), _JSONISH, max_size=8))
def test_arbitrary_cwt_claims_signed_by_the_trusted_key(claims: dict[object, object]) -> None:
    from kiosk.passes import cose

    protected = cbor2.dumps({4: b"key-1", 1: cose.ALG_ES256})
    payload = cbor2.dumps(claims)
    signature = cose.sign(_NZ_KEY, cose.ALG_ES256, protected, payload)
    data = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, signature]))
    check = check_nzcp("NZCP:/1/" + base64.b32encode(data).decode().rstrip("="), TRUST, T0)
    assert isinstance(check, DccCheck)


@given(_JSONISH, st.sampled_from([True, False]))
def test_arbitrary_shc_payloads_signed_by_the_trusted_key(payload: object, compress: bool) -> None:
    raw = json.dumps(payload).encode()
    body = shc_issue.deflate(raw) if compress else zlib.compress(raw)
    from joserfc import jws
    from joserfc.jwk import ECKey

    from kiosk.passes.shc import _REGISTRY

    compact = jws.serialize_compact({"alg": "ES256", "zip": "DEF", "kid": _SHC_KID}, body,
                                    ECKey.import_key(_SHC_KEY), registry=_REGISTRY)
    check = check_shc("shc:/" + encode_numeric(compact), TRUST, T0)
    assert isinstance(check, DccCheck)
    assert check.decoded is False  # nothing random is a health card


def test_non_json_constants_are_not_json() -> None:
    claims = shc_issue.card_payload(SHC, T0, [shc_issue.patient()])
    raw = json.dumps(claims).replace(f'"nbf": {T0}', '"nbf": NaN').encode()
    compact = shc_issue.sign_card(json.loads(raw), _SHC_KEY, _SHC_KID)
    check = check_shc("shc:/" + encode_numeric(compact), TRUST, T0)
    assert (check.decoded, check.error_detail) == (False, "payload is not JSON")
