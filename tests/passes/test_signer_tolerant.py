"""Signer certificates that break strict DER: their extended key usage is still read and enforced.

The certificates are built here: a real signer certificate whose BasicConstraints
carries its DEFAULT value (cA FALSE) encoded, which DER forbids and `cryptography`
refuses, re-signed by its own key so the certificate is otherwise sound.
"""

from __future__ import annotations

from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from pyasn1.codec.der import decoder as der_decoder
from pyasn1.codec.der import encoder as der_encoder
from pyasn1.type import univ
from pyasn1_modules import rfc5280

from kiosk.passes.cert_extensions import UnreadableExtensions, extended_key_usage
from kiosk.passes.dcc import check_dcc
from kiosk.passes.issue import EKU_OID_BASE, issue_dcc, make_signer
from kiosk.passes.model import KeyUsageState, SignatureState
from kiosk.passes.signer import ALL_TYPES, StaticTrust, load_signer_cert
from tests.passes.conftest import DAY, HCERT_T, HCERT_V, T0

# BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, ... } with cA FALSE spelt out.
_BC_DEFAULT_ENCODED = bytes.fromhex("3003010100")
_EMPTY_SEQUENCE = bytes.fromhex("3000")


def _non_der_signer(key_usage: frozenset[str] | None, *, empty_eku: bool = False) -> tuple[Any, bytes]:
    """(private key, certificate DER) whose extensions strict DER parsers refuse."""
    key, der = make_signer("ES256", "XX", "DSC non-DER", key_usage, T0 - 365 * DAY, T0 + 365 * DAY)
    cert, _ = der_decoder.decode(der, asn1Spec=rfc5280.Certificate())
    tbs = cert["tbsCertificate"]
    extensions = tbs["extensions"]
    bc = rfc5280.Extension()
    bc["extnID"] = rfc5280.id_ce_basicConstraints
    bc["critical"] = True
    bc["extnValue"] = _BC_DEFAULT_ENCODED
    extensions.append(bc)
    if empty_eku:
        eku = rfc5280.Extension()
        eku["extnID"] = rfc5280.id_ce_extKeyUsage
        eku["extnValue"] = _EMPTY_SEQUENCE
        extensions.append(eku)
    tbs_der = der_encoder.encode(tbs)
    signature = key.sign(tbs_der, ec.ECDSA(hashes.SHA256()))
    cert["signature"] = univ.BitString.fromOctetString(signature)
    return key, der_encoder.encode(cert)


def _strict_parse_refuses(der: bytes) -> bool:
    try:
        _ = x509.load_der_x509_certificate(der).extensions
    except ValueError:
        return True
    return False


def _issue(key: Any, kid: bytes, hcert: dict[str, Any]) -> str:
    return issue_dcc(hcert, private_key=key, kid=kid, issuer="XX", issued_at=T0, expires_at=T0 + 30 * DAY)


def test_test_only_signer_with_non_der_extensions_may_not_sign_a_vaccination() -> None:
    key, der = _non_der_signer(frozenset({"t"}))
    assert _strict_parse_refuses(der)
    signer = load_signer_cert(der)
    assert signer.allowed_types == frozenset({"t"})
    trust = StaticTrust([signer])

    vaccination = check_dcc(_issue(key, signer.kid, HCERT_V), trust, T0)
    test = check_dcc(_issue(key, signer.kid, HCERT_T), trust, T0)

    assert vaccination.signature is SignatureState.VALID
    assert vaccination.key_usage is KeyUsageState.MISMATCH
    assert test.key_usage is KeyUsageState.OK


def test_non_der_signer_without_eku_may_sign_every_type() -> None:
    _key, der = _non_der_signer(None)
    assert _strict_parse_refuses(der)
    assert load_signer_cert(der).allowed_types == ALL_TYPES


def test_empty_extended_key_usage_lists_no_dcc_oid_so_every_type_is_allowed() -> None:
    # The syntax needs at least one OID; an empty list is the CO15 shape of the EU corpus.
    _key, der = _non_der_signer(None, empty_eku=True)
    assert extended_key_usage(der) == ()
    assert load_signer_cert(der).allowed_types == ALL_TYPES


def test_extended_key_usage_oids_are_read_from_a_non_der_certificate() -> None:
    _key, der = _non_der_signer(frozenset({"r", "v"}))
    assert sorted(extended_key_usage(der) or ()) == [f"{EKU_OID_BASE}.2", f"{EKU_OID_BASE}.3"]


@pytest.mark.parametrize("data", [b"", b"\x30\x03\x02\x01\x01", b"\x30\x80" + b"\x30" * 50, b"not a cert"])
def test_unreadable_certificate_is_reported_not_raised_as_something_else(data: bytes) -> None:
    with pytest.raises(UnreadableExtensions):
        extended_key_usage(data)
