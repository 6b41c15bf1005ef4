"""The signing side of the NZ COVID Pass: build `NZCP:/1/` texts and the issuer's DID document.

Used by tests (and the simulator's demo phone). Keyword options build the
encodings a verifier must refuse (padding, another version, kid as text or bytes).
"""

from __future__ import annotations

import base64
import uuid
from typing import Any

import cbor2
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc.jwk import ECKey

from kiosk.passes import cose

CONTEXT = ["https://www.w3.org/2018/credentials/v1", "https://nzcp.covid19.health.nz/contexts/v1"]


def new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def issue_nzcp(
    private_key: ec.EllipticCurvePrivateKey,
    *,
    iss: str,
    kid: str,
    nbf: int,
    exp: int,
    given_name: str = "Jack",
    family_name: str | None = "Sparrow",
    dob: str = "1960-04-16",
    jti: uuid.UUID | None = None,
    version: str = "1",
    padding: bool = False,
    kid_as_bytes: bool = True,
    claims_override: dict[Any, Any] | None = None,
) -> str:
    subject: dict[str, Any] = {"givenName": given_name, "dob": dob}
    if family_name is not None:
        subject["familyName"] = family_name
    claims: dict[Any, Any] = {
        1: iss,
        5: nbf,
        4: exp,
        7: (jti or uuid.uuid4()).bytes,
        "vc": {
            "@context": CONTEXT,
            "version": "1.0.0",
            "type": ["VerifiableCredential", "PublicCovidPass"],
            "credentialSubject": subject,
        },
    }
    claims.update(claims_override or {})
    protected = cbor2.dumps({4: kid.encode() if kid_as_bytes else kid, 1: cose.ALG_ES256})
    payload = cbor2.dumps(claims)
    signature = cose.sign(private_key, cose.ALG_ES256, protected, payload)
    data = cbor2.dumps(cbor2.CBORTag(cose.COSE_SIGN1_TAG, [protected, {}, payload, signature]))
    body = base64.b32encode(data).decode("ascii")
    return f"NZCP:/{version}/{body if padding else body.rstrip('=')}"


def did_document(iss: str, keys: dict[str, ec.EllipticCurvePublicKey]) -> dict[str, Any]:
    """A DID document listing each `kid` → key as a JsonWebKey2020 assertion method."""
    methods = []
    for kid, key in keys.items():
        jwk = ECKey.import_key(key).as_dict(private=False)
        methods.append({
            "id": f"{iss}#{kid}",
            "controller": iss,
            "type": "JsonWebKey2020",
            "publicKeyJwk": {k: jwk[k] for k in ("kty", "crv", "x", "y")},
        })
    return {
        "@context": "https://w3.org/ns/did/v1",
        "id": iss,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }
