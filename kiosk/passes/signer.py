"""Document-signer certificates: load them (PEM, base64 DER, raw DER) into `SignerCert`.

Real trust lists contain certificates whose extensions the strict `cryptography`
parser refuses. The signature check only needs the public key, so for those we
read the key anyway (falling back to a minimal DER walk to the
SubjectPublicKeyInfo), and read the extended key usage with a tolerant BER
decoder (`cert_extensions`) so that it is still enforced. Key usage is `unknown`
only when even that decoder cannot read it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtensionOID, NameOID

from kiosk.errors import TrustError
from kiosk.passes.cert_extensions import UnreadableExtensions, extended_key_usage
from kiosk.passes.issue import EKU_OID_BASE, EKU_OID_BASE_VARIANT, EKU_SUFFIX
from kiosk.passes.model import SignerCert

ALL_TYPES: frozenset[str] = frozenset({"v", "t", "r"})
_OID_TO_TYPE: dict[str, str] = {
    f"{base}.{suffix}": cert_type
    for base in (EKU_OID_BASE, EKU_OID_BASE_VARIANT)
    for cert_type, suffix in EKU_SUFFIX.items()
}
_PEM_RE = re.compile(rb"-----BEGIN CERTIFICATE-----(.+?)-----END CERTIFICATE-----", re.DOTALL)
_MAX_CERT_BYTES = 64 * 1024
# `cryptography` raises a zoo of types on malformed certificates (ValueError,
# InvalidVersion, UnsupportedAlgorithm, even KeyError from a broken Name): fuzzing
# found each. Any of them means "this part is unreadable", so catch them all here.
_PARSE_ERRORS = (Exception,)


def compute_kid(der: bytes) -> bytes:
    return hashlib.sha256(der).digest()[:8]


def _to_der(data: bytes | str) -> bytes:
    raw = data.encode("ascii", "replace") if isinstance(data, str) else bytes(data)
    if len(raw) > _MAX_CERT_BYTES:
        raise TrustError("The certificate file is too large to be a signer certificate.")
    match = _PEM_RE.search(raw)
    if match:
        try:
            return base64.b64decode(b"".join(match.group(1).split()), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise TrustError("The PEM certificate is not valid base64.") from exc
    # Raw DER starts with a SEQUENCE tag; whitespace is not stripped from it because
    # the last signature byte may well be 0x0a or 0x20.
    if isinstance(data, bytes) and raw[:1] == b"\x30":
        return raw
    stripped = raw.strip()
    try:
        return base64.b64decode(b"".join(stripped.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise TrustError("Not a certificate: expected PEM, base64 DER or DER.") from exc


# --- minimal DER walk, only for certificates `cryptography` will not load -----------------


def _read_tlv(buf: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, start of value, end of value) of the TLV at `pos`."""
    if pos + 2 > len(buf):
        raise ValueError("truncated DER")
    tag = buf[pos]
    length = buf[pos + 1]
    pos += 2
    if length & 0x80:
        n = length & 0x7F
        if n == 0 or n > 4 or pos + n > len(buf):
            raise ValueError("bad DER length")
        length = int.from_bytes(buf[pos : pos + n], "big")
        pos += n
    end = pos + length
    if end > len(buf):
        raise ValueError("truncated DER")
    return tag, pos, end


def _spki_from_der(der: bytes) -> bytes:
    tag, start, _ = _read_tlv(der, 0)  # Certificate
    if tag != 0x30:
        raise ValueError("not a SEQUENCE")
    tag, pos, tbs_end = _read_tlv(der, start)  # tbsCertificate
    if tag != 0x30:
        raise ValueError("no tbsCertificate")
    if der[pos] == 0xA0:  # [0] version
        pos = _read_tlv(der, pos)[2]
    # serialNumber, signature, issuer, validity, subject
    for _ in range(5):
        pos = _read_tlv(der, pos)[2]
    tag, _value_start, end = _read_tlv(der, pos)
    if tag != 0x30 or end > tbs_end:
        raise ValueError("no SubjectPublicKeyInfo")
    return der[pos:end]


# ------------------------------------------------------------------------------------------


def _check_key(key: Any) -> Any:
    if not isinstance(key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
        raise TrustError("The certificate's key is neither EC nor RSA; DCC signers use ES256 or PS256.")
    return key


def _types_from_oids(oids: Iterable[str]) -> frozenset[str]:
    # A signer with none of the DCC key-usage OIDs may sign every type.
    return frozenset(_OID_TO_TYPE[o] for o in oids if o in _OID_TO_TYPE) or ALL_TYPES


def _tolerant_allowed_types(der: bytes) -> frozenset[str] | None:
    try:
        oids = extended_key_usage(der)
    except UnreadableExtensions:
        return None  # not even a BER reading: key usage cannot be told
    return ALL_TYPES if oids is None else _types_from_oids(oids)


def _allowed_types(cert: x509.Certificate, der: bytes) -> frozenset[str] | None:
    try:
        ext = cert.extensions.get_extension_for_oid(ExtensionOID.EXTENDED_KEY_USAGE)
    except x509.ExtensionNotFound:
        return ALL_TYPES
    except _PARSE_ERRORS:
        # Strict DER refused somewhere in the extension list (not necessarily in the EKU).
        return _tolerant_allowed_types(der)
    return _types_from_oids(o.dotted_string for o in ext.value)


def load_signer_cert(data: bytes | str) -> SignerCert:
    """Parse one signer certificate given as PEM, base64 DER or raw DER.

    Raises `TrustError` when the data is not a certificate with an EC or RSA key.
    """
    der = _to_der(data)
    if not der:
        raise TrustError("The certificate is empty.")
    try:
        cert = x509.load_der_x509_certificate(der)
    except _PARSE_ERRORS:
        cert = None
    if cert is None:
        try:
            key = serialization.load_der_public_key(_spki_from_der(der))
        except _PARSE_ERRORS as exc:
            raise TrustError("Not a readable X.509 certificate.") from exc
        return SignerCert(
            kid=compute_kid(der), der=der, country=None, subject="", public_key=_check_key(key),
            allowed_types=_tolerant_allowed_types(der),
        )
    try:
        key = cert.public_key()
    except _PARSE_ERRORS:
        try:
            key = serialization.load_der_public_key(_spki_from_der(der))
        except _PARSE_ERRORS as exc:
            raise TrustError("The certificate's public key cannot be read.") from exc
    _check_key(key)
    try:
        countries = cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)
        country = str(countries[0].value) if countries else None
        subject = cert.subject.rfc4514_string()
    except _PARSE_ERRORS:
        country, subject = None, ""
    try:
        not_before: float | None = cert.not_valid_before_utc.timestamp()
        not_after: float | None = cert.not_valid_after_utc.timestamp()
    except _PARSE_ERRORS:
        not_before = not_after = None
    return SignerCert(
        kid=compute_kid(der),
        der=der,
        country=country,
        subject=subject,
        public_key=key,
        allowed_types=_allowed_types(cert, der),
        not_before=not_before,
        not_after=not_after,
    )


class StaticTrust:
    """A fixed set of trusted signers, indexed by kid (CLI `--trust-cert`, tests)."""

    def __init__(self, signers: Iterable[SignerCert] = ()) -> None:
        self._by_kid: dict[bytes, list[SignerCert]] = {}
        for signer in signers:
            self.add(signer)

    def add(self, signer: SignerCert) -> None:
        bucket = self._by_kid.setdefault(signer.kid, [])
        if all(s.der != signer.der for s in bucket):
            bucket.append(signer)

    def signers_for(self, kid: bytes) -> list[SignerCert]:
        return list(self._by_kid.get(kid, ()))

    def all(self) -> list[SignerCert]:
        return [s for bucket in self._by_kid.values() for s in bucket]

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_kid.values())
