"""SMART Health Card decode chain, issuer keys, revocation and the chunk collector."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc.jwk import ECKey

from kiosk.config import RulesConfig
from kiosk.decision import PassKind, Reason
from kiosk.errors import TrustError
from kiosk.passes.issuer_files import load_issuer_path
from kiosk.passes.issuers import IssuerKeys, StaticIssuers, load_crl, load_jwks
from kiosk.passes.model import SignatureState, Stage
from kiosk.passes.shc import MAX_INFLATED, check_shc
from kiosk.passes.shc_issue import (
    b64url,
    card_payload,
    crl,
    deflate,
    immunization,
    jwks,
    new_key,
    patient,
    qr_texts,
    raw_jws,
    sign_card,
)
from kiosk.passes.shc_qr import ChunkCollector, ChunkMismatch, QrError, parse_qr
from kiosk.verify.offline import dcc_reason

ISS = "https://shc.example.org/issuer"
T0 = 1_700_000_000.0
DAY = 86_400.0
Key = ec.EllipticCurvePrivateKey


@pytest.fixture(scope="module")
def signer() -> tuple[Key, str]:
    return new_key()


def _trust(signer: tuple[Key, str], crls: list[dict[str, Any]] = (), **kw: Any) -> StaticIssuers:  # type: ignore[assignment]
    key, kid = signer
    doc = jwks({kid: key.public_key()}, **kw)
    return StaticIssuers([load_jwks(json.dumps(doc), ISS, [load_crl(json.dumps(c), kid) for c in crls])])


def _card(signer: tuple[Key, str], *, rid: str | None = None, nbf: float = T0, exp: float | None = None,
          iss: str = ISS) -> str:
    key, kid = signer
    claims = card_payload(iss, nbf, [patient(), immunization("208", "2023-09-01"),
                                     immunization("208", "2023-09-29")], rid=rid, exp=exp)
    return qr_texts(sign_card(claims, key, kid))[0]


def _reason(text: str, trust: StaticIssuers, at: float) -> Reason:
    check = check_shc(text, trust, at)
    return dcc_reason(check, at=at, rules=RulesConfig(), revoked=False, kind=PassKind.SHC)


def test_valid_card(signer: tuple[Key, str]) -> None:
    check = check_shc(_card(signer), _trust(signer), T0 + DAY)
    assert (check.decoded, check.signature, check.expired) == (True, SignatureState.VALID, False)
    assert check.revoked is None
    assert _reason(_card(signer), _trust(signer), T0 + DAY) is Reason.VALID


def test_not_yet_valid_and_expired(signer: tuple[Key, str]) -> None:
    assert _reason(_card(signer, nbf=T0 + DAY), _trust(signer), T0) is Reason.NOT_YET_VALID
    assert _reason(_card(signer, exp=T0 + DAY), _trust(signer), T0 + 2 * DAY) is Reason.EXPIRED
    assert _reason(_card(signer, exp=T0 + DAY), _trust(signer), T0 + DAY / 2) is Reason.VALID


def test_active_from_nbf_inclusive_and_expired_from_exp_like_nzcp(signer: tuple[Key, str]) -> None:
    text = _card(signer, exp=T0 + DAY)
    assert _reason(text, _trust(signer), T0) is Reason.VALID
    assert _reason(text, _trust(signer), T0 - 1) is Reason.NOT_YET_VALID
    assert _reason(text, _trust(signer), T0 + DAY - 1) is Reason.VALID
    assert _reason(text, _trust(signer), T0 + DAY) is Reason.EXPIRED
    assert check_shc(text, _trust(signer), T0 + DAY).expired is True


def test_untrusted_issuer_and_unknown_kid(signer: tuple[Key, str]) -> None:
    assert _reason(_card(signer, iss="https://forger.example"), _trust(signer), T0) is Reason.UNKNOWN_ISSUER
    other = new_key()
    assert _reason(_card(other), _trust(signer), T0) is Reason.UNKNOWN_SIGNER


def test_card_signed_by_another_key_under_a_trusted_kid_is_invalid(signer: tuple[Key, str]) -> None:
    forged = _card((new_key()[0], signer[1]))
    assert check_shc(forged, _trust(signer), T0).signature is SignatureState.INVALID


# --- revocation ------------------------------------------------------------------------------------


def test_revoked_rid(signer: tuple[Key, str]) -> None:
    trust = _trust(signer, [crl(signer[1], ["AAAAAAAA", "revokedRid1"])], crl_versions={signer[1]: 1})
    assert _reason(_card(signer, rid="revokedRid1"), trust, T0 + DAY) is Reason.REVOKED
    assert _reason(_card(signer, rid="stillGood01"), trust, T0 + DAY) is Reason.VALID


def test_revocation_timestamp_revokes_only_cards_issued_before_it(signer: tuple[Key, str]) -> None:
    cutoff = int(T0)
    trust = _trust(signer, [crl(signer[1], [f"sameUser01.{cutoff}"])])
    assert _reason(_card(signer, rid="sameUser01", nbf=T0 - DAY), trust, T0 + DAY) is Reason.REVOKED
    assert _reason(_card(signer, rid="sameUser01", nbf=T0 + 1), trust, T0 + DAY) is Reason.VALID
    # "before" the timestamp: a card issued at the very second is not revoked.
    assert _reason(_card(signer, rid="sameUser01", nbf=T0), trust, T0 + DAY) is Reason.VALID


def test_crl_version_announced_but_list_missing_is_said(signer: tuple[Key, str]) -> None:
    check = check_shc(_card(signer, rid="anyRid01"), _trust(signer, crl_versions={signer[1]: 3}), T0)
    assert check.revoked is None
    assert "revocation list" in (check.error_detail or "")


def test_crl_for_another_kid_is_refused(signer: tuple[Key, str], tmp_path: Path) -> None:
    with pytest.raises(TrustError, match="list of another key"):
        load_crl(json.dumps(crl("someOtherKid", ["x"])), signer[1])
    with pytest.raises(TrustError, match="does not hold"):
        doc = json.dumps(jwks({signer[1]: signer[0].public_key()}))
        load_jwks(doc, ISS, [load_crl(json.dumps(crl("k2", [])))])
    # A web-root folder whose crl/<kid>.json lists another kid.
    well_known = tmp_path / ".well-known"
    (well_known / "crl").mkdir(parents=True)
    (well_known / "jwks.json").write_text(json.dumps(jwks({signer[1]: signer[0].public_key()})))
    (well_known / "crl" / f"{signer[1]}.json").write_text(json.dumps(crl("someOtherKid", ["x"])))
    with pytest.raises(TrustError, match="list of another key"):
        load_issuer_path(ISS, tmp_path)


@pytest.mark.parametrize(
    "entry", ["bad rid with spaces", "rid.notanumber", "r" * 25, 17],
)
def test_malformed_crl_entries_are_refused(entry: object) -> None:
    with pytest.raises(TrustError):
        load_crl(json.dumps({"kid": "k", "method": "rid", "ctr": 1, "rids": [entry]}))


# --- keys ------------------------------------------------------------------------------------------


def test_jwks_with_a_non_p256_key(signer: tuple[Key, str]) -> None:
    p384 = ec.generate_private_key(ec.SECP384R1())
    jwk = ECKey.import_key(p384.public_key()).as_dict(private=False)
    bad = {"kty": "EC", "kid": "p384", "use": "sig", "alg": "ES256", "crv": jwk["crv"],
           "x": jwk["x"], "y": jwk["y"]}
    with pytest.raises(TrustError, match="not a P-256 key"):
        load_jwks(json.dumps({"keys": [bad]}), ISS)
    mixed = jwks({signer[1]: signer[0].public_key()})
    mixed["keys"].append(bad)
    keys = load_jwks(json.dumps(mixed), ISS)
    assert set(keys.keys) == {signer[1]} and any("p384" in s for s in keys.skipped)
    # A card whose header names the P-384 key finds no key to check it with.
    claims = card_payload(ISS, T0, [patient()])
    header = {"alg": "ES256", "zip": "DEF", "kid": "p384"}
    text = qr_texts(raw_jws(header, deflate(json.dumps(claims).encode()), b"\x01" * 64))[0]
    assert check_shc(text, StaticIssuers([keys]), T0).signature is SignatureState.UNKNOWN_KEY


@pytest.mark.parametrize(
    "jwk_change", [{"d": "AAAA"}, {"kty": "RSA"}, {"alg": "RS256"}, {"use": "enc"}, {"x": "AAAA"}],
)
def test_unusable_jwks_keys_are_skipped(signer: tuple[Key, str], jwk_change: dict[str, str]) -> None:
    doc = jwks({signer[1]: signer[0].public_key()})
    doc["keys"][0].update(jwk_change)
    with pytest.raises(TrustError):
        load_jwks(json.dumps(doc), ISS)


# --- the JWS -----------------------------------------------------------------------------------------


def _jws_text(header: dict[str, Any], payload: bytes, signature: bytes = b"\x02" * 64) -> str:
    return qr_texts(raw_jws(header, payload, signature))[0]


@pytest.mark.parametrize(
    "header",
    [
        {"alg": "none", "zip": "DEF", "kid": "k"},
        {"alg": "HS256", "zip": "DEF", "kid": "k"},
        {"alg": "RS256", "zip": "DEF", "kid": "k"},
        {"alg": "ES256", "kid": "k"},  # not compressed
        {"alg": "ES256", "zip": "DEF"},  # no kid
    ],
)
def test_jws_header_must_be_es256_deflate_with_kid(signer: tuple[Key, str], header: dict[str, Any]) -> None:
    payload = deflate(json.dumps(card_payload(ISS, T0, [patient()])).encode())
    check = check_shc(_jws_text(header, payload, b""), _trust(signer), T0)
    assert (check.decoded, check.stage_error) == (False, Stage.JWS)


def test_hs256_with_the_public_key_as_secret_is_refused(signer: tuple[Key, str]) -> None:
    import hashlib
    import hmac

    header = {"alg": "HS256", "zip": "DEF", "kid": signer[1]}
    payload = deflate(json.dumps(card_payload(ISS, T0, [patient()])).encode())
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(payload)}".encode()
    secret = json.dumps(jwks({signer[1]: signer[0].public_key()})["keys"][0]).encode()
    mac = hmac.new(secret, signing_input, hashlib.sha256).digest()
    check = check_shc(_jws_text(header, payload, mac), _trust(signer), T0)
    assert check.decoded is False and check.signature is not SignatureState.VALID


def test_deflate_bomb_is_stopped_quickly(signer: tuple[Key, str]) -> None:
    # 4 MiB of JSON whitespace deflates to ~4 KiB: a card-sized QR text that inflates 16 times
    # beyond the cap (a longer text is refused before decoding, see the next test).
    bomb = deflate(b"{" + b" " * (4 * 1024 * 1024))
    started = time.perf_counter()
    check = check_shc(_jws_text({"alg": "ES256", "zip": "DEF", "kid": signer[1]}, bomb), _trust(signer), T0)
    elapsed = time.perf_counter() - started
    assert (check.decoded, check.stage_error) == (False, Stage.DEFLATE)
    assert str(MAX_INFLATED) in (check.error_detail or "")
    assert elapsed < 2.0  # only MAX_INFLATED bytes are ever inflated; a generous bound


def test_text_longer_than_any_qr_code_is_refused_before_decoding(signer: tuple[Key, str]) -> None:
    check = check_shc("shc:/" + "56" * 20_000, _trust(signer), T0)
    assert (check.decoded, check.stage_error) == (False, Stage.PREFIX)


def test_zlib_header_is_not_raw_deflate(signer: tuple[Key, str]) -> None:
    import zlib

    payload = zlib.compress(json.dumps(card_payload(ISS, T0, [patient()])).encode())
    header = {"alg": "ES256", "zip": "DEF", "kid": signer[1]}
    check = check_shc(_jws_text(header, payload), _trust(signer), T0)
    assert (check.decoded, check.stage_error) == (False, Stage.DEFLATE)


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("shc:/", Stage.NUMERIC),
        ("shc:/123", Stage.NUMERIC),  # odd number of digits
        ("shc:/5699", Stage.NUMERIC),  # 99 is beyond 'z'
        ("shc:/56a6", Stage.NUMERIC),
        ("shc:/2/1/5676", Stage.CHUNKS),  # index beyond the total
        ("shc:/0/2/5676", Stage.CHUNKS),
        ("shc:/1/02/5676", Stage.CHUNKS),
        ("shc:/1/99/5676", Stage.CHUNKS),
        ("shc:/1/2/5676", Stage.CHUNKS),  # a lone chunk
        ("shc:/5676", Stage.JWS),  # two characters are no JWS
    ],
)
def test_malformed_qr_text(signer: tuple[Key, str], text: str, stage: Stage) -> None:
    check = check_shc(text, _trust(signer), T0)
    assert (check.decoded, check.stage_error) == (False, stage)


def test_lone_chunk_detail_names_the_missing_parts(signer: tuple[Key, str]) -> None:
    key, kid = signer
    chunks = qr_texts(sign_card(card_payload(ISS, T0, [patient()]), key, kid), chunks=3)
    check = check_shc(chunks[1], _trust(signer), T0)
    assert check.error_detail is not None and "part 2 of 3 scanned; parts 1, 3 missing" in check.error_detail


# --- the chunk collector ------------------------------------------------------------------------------


def test_collector_gathers_chunks_in_any_order(signer: tuple[Key, str]) -> None:
    key, kid = signer
    whole = qr_texts(sign_card(card_payload(ISS, T0, [patient()]), key, kid))[0]
    chunks = qr_texts(sign_card(card_payload(ISS, T0, [patient()]), key, kid), chunks=3)
    collector = ChunkCollector()
    assert collector.next_part is None and not collector.complete
    for text, missing in ((chunks[2], (1, 2)), (chunks[0], (2,)), (chunks[0], (2,)), (chunks[1], ())):
        collector = collector.add(parse_qr(text))
        assert collector.missing == missing
        assert collector.next_part == (missing[0] if missing else None)
        assert collector.total == 3
    assert collector.complete
    assert collector.text() == whole or check_shc(collector.text(), _trust(signer), T0).signature is (
        SignatureState.VALID
    )


def test_collector_refuses_parts_of_another_card(signer: tuple[Key, str]) -> None:
    key, kid = signer
    mine = qr_texts(sign_card(card_payload(ISS, T0, [patient()]), key, kid), chunks=2)
    theirs = qr_texts(sign_card(card_payload(ISS, T0, [patient("Other")]), key, kid), chunks=2)
    three = qr_texts(sign_card(card_payload(ISS, T0, [patient("Third")]), key, kid), chunks=3)
    collector = ChunkCollector().add(parse_qr(mine[0]))
    with pytest.raises(ChunkMismatch):
        collector.add(parse_qr(three[0]))
    with pytest.raises(ChunkMismatch):
        collector.add(parse_qr(theirs[0]))  # part 1 again, with other content
    with pytest.raises(ValueError, match="missing"):
        collector.text()


def test_chunk_position_must_be_in_range() -> None:
    with pytest.raises(QrError):
        parse_qr("shc:/4/3/5676")


def test_issuer_keys_are_frozen_values(signer: tuple[Key, str]) -> None:
    keys = _trust(signer).issuer_keys(ISS)
    assert isinstance(keys, IssuerKeys)
    with pytest.raises(AttributeError):
        keys.issuer = "x"  # type: ignore[misc]
