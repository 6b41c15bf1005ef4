"""NZ COVID Pass decode chain and offline verification, with passes signed here by the issuing side."""

from __future__ import annotations

import base64
import json
from typing import Any

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.config import RulesConfig
from kiosk.decision import PassKind, Reason
from kiosk.errors import TrustError
from kiosk.passes import cose
from kiosk.passes.issuers import StaticIssuers, load_did_document
from kiosk.passes.model import SignatureState, Stage
from kiosk.passes.nzcp import check_nzcp
from kiosk.passes.nzcp_issue import did_document, issue_nzcp, new_key
from kiosk.verify.offline import dcc_reason

Key = ec.EllipticCurvePrivateKey
ISS = "did:web:nzcp.example.nz"
T0 = 1_700_000_000
YEAR = 365 * 86_400


@pytest.fixture(scope="module")
def key() -> Key:
    return new_key()


@pytest.fixture(scope="module")
def issuers(key: Key) -> StaticIssuers:
    doc = did_document(ISS, {"key-1": key.public_key()})
    return StaticIssuers([load_did_document(json.dumps(doc), ISS)])


def _pass(key: Key, **options: Any) -> str:
    defaults: dict[str, Any] = {"iss": ISS, "kid": "key-1", "nbf": T0, "exp": T0 + YEAR}
    return issue_nzcp(key, **{**defaults, **options})


def _reason(text: str, issuers: StaticIssuers, at: float) -> Reason:
    check = check_nzcp(text, issuers, at)
    return dcc_reason(check, at=at, rules=RulesConfig(), revoked=False, kind=PassKind.NZCP)


def test_valid_pass_is_admitted_as_the_pass_itself(key: Key, issuers: StaticIssuers) -> None:
    check = check_nzcp(_pass(key), issuers, T0 + 10)
    assert (check.decoded, check.signature, check.expired, check.issuer_trusted) == (
        True, SignatureState.VALID, False, True
    )
    assert check.payload is not None and check.payload["jti"].startswith("urn:uuid:")
    assert _reason(_pass(key), issuers, T0 + 10) is Reason.VALID


def test_kid_as_text_is_read_too(key: Key, issuers: StaticIssuers) -> None:
    assert check_nzcp(_pass(key, kid_as_bytes=False), issuers, T0).signature is SignatureState.VALID


def test_active_from_nbf_inclusive_and_expired_from_exp(
    key: Key, issuers: StaticIssuers
) -> None:
    text = _pass(key)
    assert _reason(text, issuers, T0) is Reason.VALID
    assert _reason(text, issuers, T0 - 1) is Reason.NOT_YET_VALID
    assert _reason(text, issuers, T0 + YEAR - 1) is Reason.VALID
    assert _reason(text, issuers, T0 + YEAR) is Reason.EXPIRED


def test_untrusted_issuer_is_unknown_issuer(key: Key, issuers: StaticIssuers) -> None:
    text = _pass(key, iss="did:web:forger.example")
    check = check_nzcp(text, issuers, T0)
    assert (check.issuer_trusted, check.signature) == (False, SignatureState.UNKNOWN_KEY)
    assert _reason(text, issuers, T0) is Reason.UNKNOWN_ISSUER


def test_did_document_without_the_key_gives_unknown_key(
    key: Key, issuers: StaticIssuers
) -> None:
    text = _pass(key, kid="key-2")
    check = check_nzcp(text, issuers, T0)
    assert (check.issuer_trusted, check.signature) == (True, SignatureState.UNKNOWN_KEY)
    assert _reason(text, issuers, T0) is Reason.UNKNOWN_SIGNER


def test_key_not_listed_under_assertion_method_is_not_used(key: Key) -> None:
    doc = did_document(ISS, {"key-1": key.public_key(), "key-2": new_key().public_key()})
    doc["assertionMethod"] = [f"{ISS}#key-2"]
    trusted = StaticIssuers([load_did_document(json.dumps(doc), ISS)])
    assert check_nzcp(_pass(key), trusted, T0).signature is SignatureState.UNKNOWN_KEY


def test_pass_signed_by_another_key_is_invalid(issuers: StaticIssuers) -> None:
    check = check_nzcp(_pass(new_key()), issuers, T0)
    assert check.signature is SignatureState.INVALID


@pytest.mark.parametrize(
    ("mangle", "stage"),
    [
        (lambda t: t + "====", Stage.BASE32),  # padding
        (lambda t: t[:8] + t[8:].lower(), Stage.BASE32),  # lowercase base32
        (lambda t: t[:8] + t[8:20].lower() + t[20:], Stage.BASE32),
        (lambda t: t.replace("NZCP:/1/", "NZCP:/2/"), Stage.VERSION),
        (lambda t: t.replace("NZCP:/1/", "NZCP:/01/"), Stage.VERSION),
        (lambda t: t.replace("NZCP:/1/", "NZCP:/x/"), Stage.VERSION),
        (lambda t: t.replace("NZCP:/1/", "NZCP:/1"), Stage.VERSION),
        (lambda t: t[:-1] + "1", Stage.BASE32),  # '1' is not in the base32 alphabet
    ],
)
def test_malformed_text_is_a_stage_failure(
    key: Key, issuers: StaticIssuers, mangle: Any, stage: Stage
) -> None:
    check = check_nzcp(mangle(_pass(key)), issuers, T0)
    assert (check.decoded, check.stage_error) == (False, stage)


def test_padding_written_by_the_issuer_is_refused(key: Key, issuers: StaticIssuers) -> None:
    text = _pass(key, padding=True)
    if "=" not in text:
        text = _pass(key, padding=True, given_name="Jackie")
    assert "=" in text
    assert check_nzcp(text, issuers, T0).stage_error is Stage.BASE32


def test_unused_trailing_bits_set_are_refused(key: Key, issuers: StaticIssuers) -> None:
    # Find a pass whose base32 ends with unused bits, then set them: same bytes, other text.
    for name in ("Jack", "Jacky", "Jackie", "Jacqueline", "Jacques", "Jaq"):
        text = _pass(key, given_name=name)
        body = text.split("/", 2)[2]
        if len(body) % 8:
            break
    else:
        pytest.fail("no test pass with a partial last base32 group")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    last = alphabet.index(body[-1])
    twin = body[:-1] + alphabet[last | 1]
    assert twin != body
    assert base64.b32decode(twin + "=" * (-len(twin) % 8)) == base64.b32decode(body + "=" * (-len(body) % 8))
    check = check_nzcp(text.replace(body, twin), issuers, T0)
    assert (check.decoded, check.stage_error) == (False, Stage.BASE32)


def _raw_pass(key: Key, protected: dict[Any, Any], claims: dict[Any, Any],
              tag: int | None = cose.COSE_SIGN1_TAG, unprotected: dict[Any, Any] | None = None) -> str:
    prot = cbor2.dumps(protected)
    payload = cbor2.dumps(claims)
    sig = cose.sign(key, cose.ALG_ES256, prot, payload)
    item: Any = [prot, unprotected or {}, payload, sig]
    data = cbor2.dumps(cbor2.CBORTag(tag, item) if tag is not None else item)
    return "NZCP:/1/" + base64.b32encode(data).decode().rstrip("=")


def _claims(**override: Any) -> dict[Any, Any]:
    claims: dict[Any, Any] = {
        1: ISS, 5: T0, 4: T0 + YEAR, 7: b"\x01" * 16,
        "vc": {"@context": ["https://www.w3.org/2018/credentials/v1"], "version": "1.0.0",
               "type": ["VerifiableCredential", "PublicCovidPass"],
               "credentialSubject": {"givenName": "Jack", "dob": "1960-04-16"}},
    }
    for k, v in override.items():
        label = {"iss": 1, "nbf": 5, "exp": 4, "cti": 7}.get(k, k)
        if v is None:
            claims.pop(label, None)
        else:
            claims[label] = v
    return claims


GOOD_HEADER = {4: b"key-1", 1: cose.ALG_ES256}


def test_raw_builder_makes_a_valid_pass(key: Key, issuers: StaticIssuers) -> None:
    assert check_nzcp(_raw_pass(key, GOOD_HEADER, _claims()), issuers, T0).signature is SignatureState.VALID


@pytest.mark.parametrize(
    ("protected", "claims", "tag", "unprotected", "stage"),
    [
        (GOOD_HEADER, _claims(), None, None, Stage.COSE),  # untagged COSE_Sign1
        (GOOD_HEADER, _claims(), 61, None, Stage.COSE),  # CWT tag instead of 18
        ({1: cose.ALG_ES256}, _claims(), cose.COSE_SIGN1_TAG, {4: b"key-1"}, Stage.COSE),  # kid unprotected
        ({4: b"key-1", 1: cose.ALG_PS256}, _claims(), cose.COSE_SIGN1_TAG, None, Stage.COSE),
        ({4: b"key-1"}, _claims(), cose.COSE_SIGN1_TAG, {1: cose.ALG_ES256}, Stage.COSE),  # alg unprotected
        (GOOD_HEADER, _claims(cti=None), cose.COSE_SIGN1_TAG, None, Stage.CBOR),
        (GOOD_HEADER, _claims(cti=b"short"), cose.COSE_SIGN1_TAG, None, Stage.CBOR),
        (GOOD_HEADER, _claims(iss="https://nzcp.example.nz"), cose.COSE_SIGN1_TAG, None, Stage.CBOR),
        (GOOD_HEADER, _claims(nbf=None), cose.COSE_SIGN1_TAG, None, Stage.CBOR),
        (GOOD_HEADER, _claims(exp=float(T0 + YEAR)), cose.COSE_SIGN1_TAG, None, Stage.CBOR),
        (GOOD_HEADER, _claims(vc=None), cose.COSE_SIGN1_TAG, None, Stage.CBOR),
        (GOOD_HEADER, _claims(vc={"@context": [], "version": "1.0.0"}), cose.COSE_SIGN1_TAG, None,
         Stage.PAYLOAD),
    ],
)
def test_required_headers_and_claims(
    key: Key, issuers: StaticIssuers, protected: dict[Any, Any], claims: dict[Any, Any],
    tag: int | None, unprotected: dict[Any, Any] | None, stage: Stage,
) -> None:
    check = check_nzcp(_raw_pass(key, protected, claims, tag, unprotected), issuers, T0)
    assert (check.decoded, check.stage_error) == (False, stage)


@pytest.mark.parametrize(
    "vc_change",
    [
        {"type": ["VerifiableCredential"]},
        {"type": ["VerifiableCredential", "PrivateCovidPass"]},
        {"version": "2.0.0"},
        {"credentialSubject": {"dob": "1960-04-16"}},
        {"credentialSubject": {"givenName": "J" * 101, "dob": "1960-04-16"}},
        {"credentialSubject": {"givenName": "Jack", "dob": "16/04/1960"}},
    ],
)
def test_verifiable_credential_structure(
    key: Key, issuers: StaticIssuers, vc_change: dict[str, Any]
) -> None:
    claims = _claims()
    claims["vc"] = {**claims["vc"], **vc_change}
    check = check_nzcp(_raw_pass(key, GOOD_HEADER, claims), issuers, T0)
    assert (check.decoded, check.stage_error) == (False, Stage.PAYLOAD)


def test_did_document_checks(key: Key) -> None:
    doc = did_document(ISS, {"key-1": key.public_key()})
    with pytest.raises(TrustError, match="its id differs"):
        load_did_document(json.dumps(doc), "did:web:other.example")
    p384 = ec.generate_private_key(ec.SECP384R1()).public_key()
    from joserfc.jwk import ECKey

    bad = json.loads(json.dumps(doc))
    bad["verificationMethod"][0]["publicKeyJwk"] = ECKey.import_key(p384).as_dict(private=False)
    with pytest.raises(TrustError, match="not a P-256 key"):
        load_did_document(json.dumps(bad), ISS)
    private = json.loads(json.dumps(doc))
    private["verificationMethod"][0]["publicKeyJwk"]["d"] = "AAAA"
    with pytest.raises(TrustError, match="private key parameters"):
        load_did_document(json.dumps(private), ISS)
    with pytest.raises(TrustError, match="not valid JSON"):
        load_did_document("{not json", ISS)
