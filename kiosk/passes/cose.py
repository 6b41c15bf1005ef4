"""COSE_Sign1 signature primitives (RFC 8152) shared by the issuing and the verifying side.

Only the two algorithms the EU DCC uses: ES256 and PS256. COSE carries ECDSA
signatures as raw r||s, while `cryptography` speaks DER, hence the conversions.
"""

from __future__ import annotations

from typing import Any

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

COSE_SIGN1_TAG = 18
HEADER_ALG = 1
HEADER_KID = 4
ALG_ES256 = -7
ALG_PS256 = -37
ALG_NAMES: dict[str, int] = {"ES256": ALG_ES256, "PS256": ALG_PS256}

# RFC 8230: PS256 uses a salt as long as the digest. Some issuers sign with the
# maximum salt instead; `cryptography` accepts any salt length on verify with AUTO.
_PSS_SALT = 32


def sig_structure(protected: bytes, payload: bytes, external_aad: bytes = b"") -> bytes:
    return cbor2.dumps(["Signature1", protected, external_aad, payload])


def _ec_size(key: ec.EllipticCurvePublicKey | ec.EllipticCurvePrivateKey) -> int:
    return (key.curve.key_size + 7) // 8


def raw_to_der(signature: bytes) -> bytes:
    """Raw r||s (equal halves) to DER; the half length comes from the signature, not the key,
    so P-384 keys presented as ES256 work too."""
    if len(signature) == 0 or len(signature) % 2:
        raise ValueError("ECDSA signature has odd length")
    half = len(signature) // 2
    r = int.from_bytes(signature[:half], "big")
    s = int.from_bytes(signature[half:], "big")
    return encode_dss_signature(r, s)


def der_to_raw(der: bytes, size: int) -> bytes:
    r, s = decode_dss_signature(der)
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def sign(private_key: Any, alg: int, protected: bytes, payload: bytes, *, pss_salt: int = _PSS_SALT) -> bytes:
    data = sig_structure(protected, payload)
    if alg == ALG_ES256:
        if not isinstance(private_key, ec.EllipticCurvePrivateKey):
            raise TypeError("ES256 needs an EC private key")
        der = private_key.sign(data, ec.ECDSA(hashes.SHA256()))
        return der_to_raw(der, _ec_size(private_key))
    if alg == ALG_PS256:
        if not isinstance(private_key, rsa.RSAPrivateKey):
            raise TypeError("PS256 needs an RSA private key")
        return private_key.sign(
            data, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=pss_salt), hashes.SHA256()
        )
    raise ValueError(f"unsupported COSE algorithm {alg}")


def verify(public_key: Any, alg: int, protected: bytes, payload: bytes, signature: bytes) -> bool:
    """True only for a signature that verifies; a key of the wrong type for `alg` is just False."""
    data = sig_structure(protected, payload)
    try:
        if alg == ALG_ES256 and isinstance(public_key, ec.EllipticCurvePublicKey):
            # The raw signature must match the key's curve size exactly: a shorter
            # or padded r||s is not a valid COSE encoding.
            if len(signature) != 2 * _ec_size(public_key):
                return False
            public_key.verify(raw_to_der(signature), data, ec.ECDSA(hashes.SHA256()))
            return True
        if alg == ALG_PS256 and isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(
                signature,
                data,
                padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO),
                hashes.SHA256(),
            )
            return True
    except (InvalidSignature, ValueError):
        return False
    return False
