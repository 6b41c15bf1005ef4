"""The signing side of the DCC: build `HC1:` texts and self-signed signer certificates.

Used by the upstream simulator (demo phone) and by tests. The keyword options
reproduce the encoding quirks seen in real issuers, so the verifier can be tested
against each of them.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

import base45
import cbor2
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from kiosk.passes import cose

PREFIX = "HC1:"
CWT_ISS = 1
CWT_EXP = 4
CWT_IAT = 6
CWT_HCERT = -260

# Key-usage OIDs of the DCC signer certificates (eHealth network guidelines).
EKU_OID_BASE = "1.3.6.1.4.1.1847.2021.1"
EKU_OID_BASE_VARIANT = "1.3.6.1.4.1.0.1847.2021.1"
EKU_SUFFIX = {"t": "1", "v": "2", "r": "3"}

HeaderPlace = Literal["protected", "unprotected", "both", "none"]
PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


def make_signer(
    alg: str,
    country: str,
    common_name: str,
    key_usage: frozenset[str] | None,
    not_before: float,
    not_after: float,
    *,
    ec_curve: ec.EllipticCurve | None = None,
    rsa_bits: int = 2048,
    eku_variant: bool = False,
) -> tuple[PrivateKey, bytes]:
    """A new key pair and its self-signed document-signer certificate (DER).

    `key_usage` is a subset of {"v", "t", "r"}; None (or empty) leaves the DCC
    key-usage OIDs out, which means the signer may sign every certificate type.
    `ec_curve` lets tests build the "P-384 key presented as ES256" quirk.
    """
    key: PrivateKey
    if alg == "ES256":
        key = ec.generate_private_key(ec_curve or ec.SECP256R1())
    elif alg == "PS256":
        key = rsa.generate_private_key(public_exponent=65537, key_size=rsa_bits)
    else:
        raise ValueError(f"unsupported algorithm {alg!r}; use ES256 or PS256")
    unknown = set(key_usage or ()) - set(EKU_SUFFIX)
    if unknown:
        raise ValueError(f"unknown certificate types {sorted(unknown)}; use v, t, r")

    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime.fromtimestamp(not_before, tz=UTC))
        .not_valid_after(datetime.fromtimestamp(not_after, tz=UTC))
    )
    if key_usage:
        base = EKU_OID_BASE_VARIANT if eku_variant else EKU_OID_BASE
        oids = [x509.ObjectIdentifier(f"{base}.{EKU_SUFFIX[t]}") for t in sorted(key_usage)]
        builder = builder.add_extension(x509.ExtendedKeyUsage(oids), critical=False)
    cert = builder.sign(key, hashes.SHA256())
    return key, cert.public_bytes(serialization.Encoding.DER)


def issue_dcc(
    hcert: Mapping[str, Any],
    *,
    private_key: PrivateKey,
    kid: bytes,
    issuer: str,
    issued_at: float,
    expires_at: float,
    alg: str = "ES256",
    cose_tags: int = 1,
    kid_in: HeaderPlace = "protected",
    unprotected_kid: bytes | None = None,
    alg_in: Literal["protected", "unprotected"] = "protected",
    compress: bool = True,
    trailing: bytes = b"",
    float_times: bool = False,
    pss_salt: int = 32,
) -> str:
    """Sign `hcert` into an `HC1:` text.

    Quirk options (defaults produce a conforming pass):
    `cose_tags` 0 = untagged COSE_Sign1, 1 = tag 18, 2 = tag 18 twice;
    `kid_in` where the kid goes ("both" puts `unprotected_kid`, default `kid`, in
    the unprotected header too); `alg_in` where the alg goes; `compress=False`
    skips zlib; `trailing` bytes are appended after the COSE structure;
    `float_times` writes iat/exp as CBOR floats; `pss_salt` for PS256.
    """
    if alg not in cose.ALG_NAMES:
        raise ValueError(f"unsupported algorithm {alg!r}; use ES256 or PS256")
    alg_id = cose.ALG_NAMES[alg]

    def as_time(t: float) -> float | int:
        return float(t) if float_times else int(t)

    claims = {
        CWT_ISS: issuer,
        CWT_IAT: as_time(issued_at),
        CWT_EXP: as_time(expires_at),
        CWT_HCERT: {1: dict(hcert)},
    }
    payload = cbor2.dumps(claims)

    protected_map: dict[int, Any] = {}
    unprotected: dict[int, Any] = {}
    (protected_map if alg_in == "protected" else unprotected)[cose.HEADER_ALG] = alg_id
    if kid_in in ("protected", "both"):
        protected_map[cose.HEADER_KID] = kid
    if kid_in == "unprotected":
        unprotected[cose.HEADER_KID] = kid
    if kid_in == "both":
        unprotected[cose.HEADER_KID] = unprotected_kid if unprotected_kid is not None else kid
    # An empty protected header is encoded as a zero-length bstr (RFC 8152 §3).
    protected = cbor2.dumps(protected_map) if protected_map else b""

    signature = cose.sign(private_key, alg_id, protected, payload, pss_salt=pss_salt)
    structure: Any = [protected, unprotected, payload, signature]
    for _ in range(cose_tags):
        structure = cbor2.CBORTag(cose.COSE_SIGN1_TAG, structure)
    data = cbor2.dumps(structure) + trailing
    if compress:
        data = zlib.compress(data, 9)
    return PREFIX + base45.b45encode(data).decode("ascii")


def sign_claims(
    claims: Any,
    *,
    private_key: PrivateKey,
    protected: Mapping[Any, Any],
    unprotected: Mapping[Any, Any] | None = None,
    alg: str = "ES256",
) -> str:
    """Sign any CBOR value as the CWT payload, with any headers, into an `HC1:` text.

    Nothing is validated: the hardening tests and `benchmarks/fuzz.py` forge passes
    with hostile values at every key and still get past the signature check.
    """
    payload = cbor2.dumps(claims)
    protected_raw = cbor2.dumps(dict(protected)) if protected else b""
    signature = cose.sign(private_key, cose.ALG_NAMES[alg], protected_raw, payload)
    sign1 = [protected_raw, dict(unprotected or {}), payload, signature]
    data = cbor2.dumps(cbor2.CBORTag(cose.COSE_SIGN1_TAG, sign1))
    return PREFIX + base45.b45encode(zlib.compress(data)).decode("ascii")
