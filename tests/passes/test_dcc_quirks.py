"""One test per DCC decode quirk of docs/architecture.md ("Pass formats"), built with kiosk.passes.issue."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.decision import PassKind
from kiosk.passes.classify import classify
from kiosk.passes.dcc import check_dcc
from kiosk.passes.issue import issue_dcc
from kiosk.passes.model import KeyUsageState, SignatureState, Stage
from kiosk.passes.signer import StaticTrust, load_signer_cert
from tests.passes.conftest import DAY, HCERT_V, T0, Signer


def _issue(signer: Signer, **options: Any) -> str:
    return issue_dcc(HCERT_V, private_key=signer.key, kid=signer.cert.kid, issuer="DE",
                     issued_at=T0, expires_at=T0 + 30 * DAY, alg=signer.alg, **options)


@pytest.mark.parametrize("tags", [0, 1, 2])
def test_untagged_tagged_and_doubly_tagged_cose(es256: Signer, tags: int) -> None:
    check = check_dcc(_issue(es256, cose_tags=tags), es256.trust, T0)
    assert check.signature is SignatureState.VALID


def test_kid_in_unprotected_header(es256: Signer) -> None:
    check = check_dcc(_issue(es256, kid_in="unprotected"), es256.trust, T0)
    assert (check.signature, check.kid) == (SignatureState.VALID, es256.cert.kid)


def test_alg_in_unprotected_header(es256: Signer) -> None:
    assert check_dcc(_issue(es256, alg_in="unprotected"), es256.trust, T0).signature is SignatureState.VALID


def test_rsa_pss_with_32_byte_salt(ps256: Signer) -> None:
    assert check_dcc(_issue(ps256, pss_salt=32), ps256.trust, T0).signature is SignatureState.VALID


def test_rsa_pss_with_maximum_salt_is_accepted(ps256: Signer) -> None:
    # Some issuers sign with the maximum salt length; PSS verification recovers it.
    max_salt = ps256.key.key_size // 8 - 32 - 2
    assert check_dcc(_issue(ps256, pss_salt=max_salt), ps256.trust, T0).signature is SignatureState.VALID


def test_float_exp_and_iat(es256: Signer) -> None:
    text = issue_dcc(HCERT_V, private_key=es256.key, kid=es256.cert.kid, issuer="DE",
                     issued_at=T0 + 0.5, expires_at=T0 + DAY + 0.25, float_times=True)
    check = check_dcc(text, es256.trust, T0 + DAY)
    assert (check.issued_at, check.expires_at) == (T0 + 0.5, T0 + DAY + 0.25)
    assert check.expired is False
    assert check_dcc(text, es256.trust, T0 + DAY + 0.5).expired is True


def test_p384_key_presented_as_es256(p384: Signer) -> None:
    check = check_dcc(_issue(p384), p384.trust, T0)
    assert check.signature is SignatureState.VALID


def test_kid_in_both_headers_protected_wins(es256: Signer, ps256: Signer) -> None:
    trust = StaticTrust([es256.cert, ps256.cert])
    # The unprotected kid points at another trusted signer: it must be ignored.
    text = _issue(es256, kid_in="both", unprotected_kid=ps256.cert.kid)
    check = check_dcc(text, trust, T0)
    assert (check.signature, check.kid) == (SignatureState.VALID, es256.cert.kid)
    # And the reverse: a wrong protected kid is not rescued by a right unprotected one.
    forged = issue_dcc(HCERT_V, private_key=es256.key, kid=ps256.cert.kid, issuer="DE", issued_at=T0,
                       expires_at=T0 + DAY, kid_in="both", unprotected_kid=es256.cert.kid)
    assert check_dcc(forged, trust, T0).signature is SignatureState.INVALID


def test_data_not_zlib_compressed_is_rejected(es256: Signer) -> None:
    check = check_dcc(_issue(es256, compress=False), es256.trust, T0)
    assert (check.decoded, check.stage_error) == (False, Stage.ZLIB)


def test_bytes_after_cose_structure_are_rejected(es256: Signer) -> None:
    check = check_dcc(_issue(es256, trailing=b"\x00\x01"), es256.trust, T0)
    assert (check.decoded, check.stage_error) == (False, Stage.COSE)


def _with_broken_extension(der: bytes) -> bytes:
    """Corrupt the EKU extension so `cryptography` rejects it, as with some real signers.

    The EKU OID 2.5.29.37 is followed by an OCTET STRING holding a SEQUENCE of OIDs;
    a zero-length first OID reproduces the real-world parse error. All outer lengths
    stay intact (the certificate signature no longer matches, which a DSC check here
    does not look at: trust comes from the trust list, not the certificate chain).
    """
    eku_oid = bytes.fromhex("0603551d25")
    at = der.index(eku_oid) + len(eku_oid)
    inner = at + 2  # past the OCTET STRING tag and length
    assert der[inner] == 0x30 and der[inner + 2] == 0x06
    broken = bytearray(der)
    broken[inner + 3] = 0
    return bytes(broken)


def test_unparseable_extensions_read_key_anyway(test_only: Signer) -> None:
    broken = _with_broken_extension(test_only.der)
    cert = load_signer_cert(broken)
    assert cert.allowed_types is None
    assert cert.public_key.public_numbers() == test_only.cert.public_key.public_numbers()
    text = issue_dcc(HCERT_V, private_key=test_only.key, kid=cert.kid, issuer="DE",
                     issued_at=T0, expires_at=T0 + DAY)
    check = check_dcc(text, StaticTrust([cert]), T0)
    assert check.signature is SignatureState.VALID
    assert check.key_usage is KeyUsageState.UNKNOWN


def test_missing_prefix_is_not_a_pass(es256: Signer) -> None:
    text = _issue(es256)[len("HC1:") :]
    assert classify(text) is PassKind.UNKNOWN
    check = check_dcc(text, es256.trust, T0)
    assert (check.decoded, check.stage_error) == (False, Stage.PREFIX)
