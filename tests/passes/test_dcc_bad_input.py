"""Hostile and broken inputs: each fails at its own stage or state, never with an exception."""

from __future__ import annotations

import random
import zlib

import base45
import cbor2
import pytest

from kiosk.decision import PassKind
from kiosk.errors import TrustError
from kiosk.passes.classify import classify
from kiosk.passes.dcc import MAX_INPUT_CHARS, check_dcc
from kiosk.passes.issue import issue_dcc, make_signer
from kiosk.passes.model import SignatureState, Stage
from kiosk.passes.signer import StaticTrust, load_signer_cert
from tests.passes.conftest import DAY, HCERT_V, T0, Signer

EMPTY = StaticTrust()


def _hc1(raw: bytes) -> str:
    return "HC1:" + base45.b45encode(zlib.compress(raw)).decode()


def _valid(signer: Signer) -> str:
    return issue_dcc(HCERT_V, private_key=signer.key, kid=signer.cert.kid, issuer="DE",
                     issued_at=T0, expires_at=T0 + DAY, alg=signer.alg)


@pytest.mark.parametrize(
    ("text", "kind"),
    [("HC1:ABC", PassKind.DCC), ("  HC1:ABC\n", PassKind.DCC), ("KP1:abc", PassKind.TOKEN),
     ("hc1:ABC", PassKind.UNKNOWN), ("", PassKind.UNKNOWN), ("https://example.com", PassKind.UNKNOWN),
     ("NCFOXN%TS", PassKind.UNKNOWN)],
)
def test_classify(text: str, kind: PassKind) -> None:
    assert classify(text) is kind


@pytest.mark.parametrize("text", ["", "HC2:ABC", "KP1:abc", "hello", "\x00\x01"])
def test_wrong_prefix(text: str) -> None:
    check = check_dcc(text, EMPTY, T0)
    assert (check.decoded, check.stage_error) == (False, Stage.PREFIX)
    assert check.signature is SignatureState.NOT_CHECKED


def test_surrounding_whitespace_is_tolerated(es256: Signer) -> None:
    assert check_dcc(f"  {_valid(es256)}\r\n", es256.trust, T0).signature is SignatureState.VALID


@pytest.mark.parametrize("body", ["abc", "A", "::::", "ÄÖÜ", "GGW"])  # lowercase/odd length/out of range
def test_garbled_base45(body: str) -> None:
    assert check_dcc("HC1:" + body, EMPTY, T0).stage_error is Stage.BASE45


def test_truncated_text_fails_in_zlib(es256: Signer) -> None:
    text = _valid(es256)
    # Cut at a multiple of 3 characters so base45 still decodes.
    cut = text[: 4 + ((len(text) - 4) // 2) // 3 * 3]
    assert check_dcc(cut, es256.trust, T0).stage_error is Stage.ZLIB


def test_random_bytes_after_base45() -> None:
    rng = random.Random(7)
    for _ in range(50):
        raw = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
        check = check_dcc("HC1:" + base45.b45encode(raw).decode(), EMPTY, T0)
        assert check.decoded is False
        assert check.stage_error in (Stage.ZLIB, Stage.COSE, Stage.CBOR)


def test_one_megabyte_input_rejected_early() -> None:
    huge = "HC1:" + "0" * 1_000_000
    check = check_dcc(huge, EMPTY, T0)
    assert check.stage_error is Stage.PREFIX
    assert check.error_detail is not None and str(MAX_INPUT_CHARS) in check.error_detail


def test_zip_bomb_rejected() -> None:
    check = check_dcc(_hc1(b"\x00" * 5_000_000), EMPTY, T0)
    assert check.stage_error is Stage.ZLIB


@pytest.mark.parametrize(
    ("item", "stage"),
    [
        ([b"", {}, b""], Stage.COSE),  # three members
        ({"a": 1}, Stage.COSE),
        (cbor2.CBORTag(98, [b"", {}, b"", b""]), Stage.COSE),  # COSE_Sign, not Sign1
        ([b"\x01", {}, b"", b""], Stage.COSE),  # protected header not a map
        ([b"", {}, cbor2.dumps([1, 2]), b"sig"], Stage.CBOR),  # CWT not a map
        ([b"", {}, cbor2.dumps({1: "DE"}), b"sig"], Stage.CBOR),  # no hcert claim
        ([b"", {}, cbor2.dumps({4: "tomorrow", -260: {1: {}}}), b"sig"], Stage.CBOR),
        ([b"", {}, cbor2.dumps({-260: {1: [1]}}), b"sig"], Stage.PAYLOAD),
        ([b"", {}, cbor2.dumps({-260: {1: {1: "x"}}}), b"sig"], Stage.PAYLOAD),  # non-text key
        ([b"", {}, cbor2.dumps({-260: {1: {"v": [{}], "t": [{}]}}}), b"sig"], Stage.PAYLOAD),
        ([b"", {}, cbor2.dumps({-260: {1: {"v": "x"}}}), b"sig"], Stage.PAYLOAD),
    ],
)
def test_structural_errors_name_their_stage(item: object, stage: Stage) -> None:
    check = check_dcc(_hc1(cbor2.dumps(item)), EMPTY, T0)
    assert (check.decoded, check.stage_error) == (False, stage)


def test_deep_nesting_does_not_crash() -> None:
    nested = b"\x81" * 10_000 + b"\x00"
    assert check_dcc(_hc1(nested), EMPTY, T0).stage_error is Stage.COSE


def test_unknown_signer(es256: Signer, ps256: Signer) -> None:
    check = check_dcc(_valid(es256), ps256.trust, T0)
    assert check.decoded is True
    assert check.signature is SignatureState.UNKNOWN_KEY
    assert check.key_usage is None and check.signer is None
    assert check.kid == es256.cert.kid


def test_no_kid_is_unknown_key(es256: Signer) -> None:
    text = issue_dcc(HCERT_V, private_key=es256.key, kid=es256.cert.kid, issuer="DE",
                     issued_at=T0, expires_at=T0 + DAY, kid_in="none")
    assert check_dcc(text, es256.trust, T0).signature is SignatureState.UNKNOWN_KEY


def test_wrong_key_type_for_alg(es256: Signer, ps256: Signer) -> None:
    # The RSA signer's kid on an ES256 signature: the key cannot verify it.
    text = issue_dcc(HCERT_V, private_key=es256.key, kid=ps256.cert.kid, issuer="DE",
                     issued_at=T0, expires_at=T0 + DAY, alg="ES256")
    check = check_dcc(text, ps256.trust, T0)
    assert (check.decoded, check.signature) == (True, SignatureState.INVALID)


def test_expired_and_not_yet_valid(es256: Signer) -> None:
    text = _valid(es256)
    assert check_dcc(text, es256.trust, T0 + DAY + 1).expired is True
    assert check_dcc(text, es256.trust, T0 - 1).expired is True
    assert check_dcc(text, es256.trust, T0 + DAY).expired is False


def test_no_time_claims_gives_unknown_expiry(es256: Signer) -> None:
    raw = cbor2.dumps(cbor2.CBORTag(18, [b"", {4: es256.cert.kid}, cbor2.dumps({-260: {1: HCERT_V}}), b"x"]))
    check = check_dcc(_hc1(raw), es256.trust, T0)
    assert check.decoded is True and check.expired is None


def test_hcert_without_entry_decodes_with_no_type(es256: Signer) -> None:
    text = issue_dcc({"ver": "1.3.0", "dob": "1990"}, private_key=es256.key, kid=es256.cert.kid,
                     issuer="DE", issued_at=T0, expires_at=T0 + DAY)
    check = check_dcc(text, es256.trust, T0)
    assert (check.decoded, check.cert_type, check.uci) == (True, None, None)


def test_error_details_hold_no_personal_data(es256: Signer) -> None:
    payload = cbor2.dumps({-260: {1: {"nam": {"fn": "Musterfrau"}, "v": "Musterfrau"}}})
    check = check_dcc(_hc1(cbor2.dumps([b"", {}, payload, b""])), EMPTY, T0)
    assert check.stage_error is Stage.PAYLOAD
    assert "Musterfrau" not in (check.error_detail or "")


@pytest.mark.parametrize("data", [b"", b"garbage", "not base64 !!", b"\x30\x03\x02\x01\x00",
                                  "-----BEGIN CERTIFICATE-----\n@@@\n-----END CERTIFICATE-----"])
def test_garbage_certificates_raise_trust_error(data: bytes | str) -> None:
    with pytest.raises(TrustError):
        load_signer_cert(data)


def test_certificate_formats(es256: Signer) -> None:
    import base64

    b64 = base64.b64encode(es256.der).decode()
    pem = "-----BEGIN CERTIFICATE-----\n" + "\n".join(b64[i : i + 64] for i in range(0, len(b64), 64))
    pem += "\n-----END CERTIFICATE-----\n"
    for form in (es256.der, b64, b64.encode(), pem, pem.encode()):
        assert load_signer_cert(form).kid == es256.cert.kid


def test_certificate_dates_and_subject() -> None:
    _, der = make_signer("PS256", "KR", "Venue DSC", None, T0, T0 + DAY, rsa_bits=2048)
    cert = load_signer_cert(der)
    assert (cert.country, cert.not_before, cert.not_after) == ("KR", T0, T0 + DAY)
    assert "CN=Venue DSC" in cert.subject
    assert cert.allowed_types == frozenset({"v", "t", "r"})
