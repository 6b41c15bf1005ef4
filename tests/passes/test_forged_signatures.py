"""A forged pass never verifies, for every signature algorithm each format accepts.

DCC: ES256 and PS256 (COSE); NZ COVID Pass: ES256 only (COSE, the protected `alg` must be
-7); SMART Health Card: ES256 only (JWS). Each pass is minted here by the issuing code,
then one bit of its signature, or one bit of the signed content, is flipped and the pass
encoded again as an issuer would: it must still decode, and its signature must be invalid.
These need no shared test data: without the corpus they are the suite's only PS256 forgeries.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import base45
import cbor2
import pytest

from kiosk.config import RulesConfig
from kiosk.decision import PassKind, Reason
from kiosk.passes import nzcp_issue, shc_issue
from kiosk.passes.dcc import check_dcc
from kiosk.passes.issue import issue_dcc
from kiosk.passes.issuers import StaticIssuers, load_did_document, load_jwks
from kiosk.passes.model import DccCheck, SignatureState
from kiosk.passes.nzcp import check_nzcp
from kiosk.passes.shc import check_shc
from kiosk.passes.shc_qr import decode_numeric, parse_qr
from kiosk.verify.offline import dcc_reason
from tests.passes.conftest import DAY, HCERT_V, T0, Signer

NZCP_ISS = "did:web:nzcp.example.nz"
SHC_ISS = "https://shc.example.org/issuer"
AT = T0 + DAY


def _flips(data: bytes) -> Iterator[bytes]:
    """`data` with one bit flipped, once in every byte (a different bit from byte to byte)."""
    for i in range(len(data)):
        forged = bytearray(data)
        forged[i] ^= 1 << (i % 8)
        yield bytes(forged)


def _renamed(data: bytes, name: bytes) -> bytes:
    """The same bytes with one bit of `name` flipped (a letter changed: the encoding stays valid)."""
    at = data.index(name) + 1
    changed = bytearray(data)
    changed[at] ^= 1
    return bytes(changed)


# --- COSE: DCC and NZCP ----------------------------------------------------------------------------


def _dcc_sign1(text: str) -> list[Any]:
    return list(cbor2.loads(zlib.decompress(base45.b45decode(text[4:]))).value)


def _dcc_text(sign1: list[Any]) -> str:
    data = cbor2.dumps(cbor2.CBORTag(18, sign1))
    return "HC1:" + base45.b45encode(zlib.compress(data, 9)).decode("ascii")


def _nzcp_sign1(text: str) -> list[Any]:
    body = text.removeprefix("NZCP:/1/")
    return list(cbor2.loads(base64.b32decode(body + "=" * (-len(body) % 8))).value)


def _nzcp_text(sign1: list[Any]) -> str:
    return "NZCP:/1/" + base64.b32encode(cbor2.dumps(cbor2.CBORTag(18, sign1))).decode("ascii").rstrip("=")


def _cose_forgeries(text: str, parse: Callable[[str], list[Any]], encode: Callable[[list[Any]], str],
                    name: bytes) -> Iterator[str]:
    protected, unprotected, payload, signature = parse(text)
    assert encode([protected, unprotected, payload, signature]) == text  # the round trip is exact
    for forged in _flips(signature):
        yield encode([protected, unprotected, payload, forged])
    yield encode([protected, unprotected, _renamed(payload, name), signature])


def _assert_forged(check: DccCheck, kind: PassKind) -> None:
    assert check.decoded and check.stage_error is None, check.error_detail
    assert check.signature is SignatureState.INVALID, check.error_detail
    assert dcc_reason(check, at=AT, rules=RulesConfig(), revoked=False, kind=kind) is Reason.BAD_SIGNATURE


@pytest.mark.parametrize("signer_name", ["es256", "ps256"])
def test_dcc_forgeries_fail_for_each_algorithm(signer_name: str, request: pytest.FixtureRequest) -> None:
    signer: Signer = request.getfixturevalue(signer_name)
    text = issue_dcc(HCERT_V, private_key=signer.key, kid=signer.cert.kid, issuer="DE",
                     issued_at=T0, expires_at=T0 + 30 * DAY, alg=signer.alg)
    assert check_dcc(text, signer.trust, AT).signature is SignatureState.VALID
    signature = _dcc_sign1(text)[3]
    assert len(signature) == {"ES256": 64, "PS256": 256}[signer.alg]
    forgeries = list(_cose_forgeries(text, _dcc_sign1, _dcc_text, b"Musterfrau"))
    assert len(forgeries) == len(signature) + 1
    for forged in forgeries:
        _assert_forged(check_dcc(forged, signer.trust, AT), PassKind.DCC)


def test_nzcp_forgeries_fail() -> None:
    key = nzcp_issue.new_key()
    doc = nzcp_issue.did_document(NZCP_ISS, {"key-1": key.public_key()})
    issuers = StaticIssuers([load_did_document(json.dumps(doc), NZCP_ISS)])
    text = nzcp_issue.issue_nzcp(key, iss=NZCP_ISS, kid="key-1", nbf=int(T0), exp=int(T0 + 365 * DAY),
                                 family_name="Sparrow")
    assert check_nzcp(text, issuers, AT).signature is SignatureState.VALID
    for forged in _cose_forgeries(text, _nzcp_sign1, _nzcp_text, b"Sparrow"):
        _assert_forged(check_nzcp(forged, issuers, AT), PassKind.NZCP)


# --- JWS: SMART Health Cards -----------------------------------------------------------------------


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def test_shc_forgeries_fail() -> None:
    key, kid = shc_issue.new_key()
    issuers = StaticIssuers([load_jwks(json.dumps(shc_issue.jwks({kid: key.public_key()})), SHC_ISS)])
    claims = shc_issue.card_payload(SHC_ISS, T0, [shc_issue.patient(family="Anyperson"),
                                                  shc_issue.immunization("208", "2023-09-01")])
    compact = shc_issue.sign_card(claims, key, kid)
    [text] = shc_issue.qr_texts(compact)
    assert decode_numeric(parse_qr(text).digits) == compact  # the round trip is exact
    assert check_shc(text, issuers, AT).signature is SignatureState.VALID
    header, payload, signature = compact.split(".")
    inflated = zlib.decompress(_b64(payload), -15)
    forged_payloads = [shc_issue.b64url(shc_issue.deflate(_renamed(inflated, b"Anyperson")))]
    forged_signatures = [shc_issue.b64url(s) for s in _flips(_b64(signature))]
    assert len(forged_signatures) == 64
    forgeries = [f"{header}.{payload}.{s}" for s in forged_signatures]
    forgeries += [f"{header}.{p}.{signature}" for p in forged_payloads]
    for forged in forgeries:
        [forged_text] = shc_issue.qr_texts(forged)
        _assert_forged(check_shc(forged_text, issuers, AT), PassKind.SHC)
