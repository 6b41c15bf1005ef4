"""The signing side of SMART Health Cards: JWS, QR texts (whole or chunked), JWKS and CRLs.

Used by tests (and the simulator's demo phone). Everything a verifier must refuse can
be built from these parts: another header, an uncompressed or oversized payload.
"""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from joserfc import jws
from joserfc.jwk import ECKey

from kiosk.passes.shc import _REGISTRY, HEALTH_CARD_TYPE
from kiosk.passes.shc_qr import PREFIX, encode_numeric


def new_key() -> tuple[ec.EllipticCurvePrivateKey, str]:
    """A P-256 key and its kid (the base64url SHA-256 JWK thumbprint, as the spec requires)."""
    key = ec.generate_private_key(ec.SECP256R1())
    return key, ECKey.import_key(key.public_key()).thumbprint()


def deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw DEFLATE, no header
    return compressor.compress(data) + compressor.flush()


def card_payload(
    iss: str, nbf: float, resources: list[dict[str, Any]], *, rid: str | None = None, exp: float | None = None
) -> dict[str, Any]:
    vc: dict[str, Any] = {
        "type": [HEALTH_CARD_TYPE],
        "credentialSubject": {
            "fhirVersion": "4.0.1",
            "fhirBundle": {
                "resourceType": "Bundle",
                "type": "collection",
                "entry": [{"fullUrl": f"resource:{i}", "resource": r} for i, r in enumerate(resources)],
            },
        },
    }
    if rid is not None:
        vc["rid"] = rid
    claims: dict[str, Any] = {"iss": iss, "nbf": nbf, "vc": vc}
    if exp is not None:
        claims["exp"] = exp
    return claims


def patient(family: str = "Anyperson", given: tuple[str, ...] = ("John", "B.")) -> dict[str, Any]:
    return {"resourceType": "Patient", "name": [{"family": family, "given": list(given)}],
            "birthDate": "1951-01-20"}


def immunization(cvx: str, date: str) -> dict[str, Any]:
    return {
        "resourceType": "Immunization", "status": "completed",
        "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": cvx}]},
        "patient": {"reference": "resource:0"}, "occurrenceDateTime": date,
    }


def lab_result(loinc: str, result_snomed: str, when: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation", "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
        "subject": {"reference": "resource:0"}, "effectiveDateTime": when,
        "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": result_snomed}]},
    }


def sign_card(claims: dict[str, Any], private_key: ec.EllipticCurvePrivateKey, kid: str) -> str:
    """The compact JWS of a card: minified JSON, raw DEFLATE, ES256."""
    payload = deflate(json.dumps(claims, separators=(",", ":")).encode())
    key = ECKey.import_key(private_key)
    return jws.serialize_compact({"alg": "ES256", "zip": "DEF", "kid": kid}, payload, key, registry=_REGISTRY)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def raw_jws(header: dict[str, Any], payload: bytes, signature: bytes) -> str:
    """A JWS with any header and signature (for cards a verifier must refuse)."""
    return ".".join((b64url(json.dumps(header).encode()), b64url(payload), b64url(signature)))


def qr_texts(compact: str, chunks: int = 1) -> list[str]:
    """The QR text(s) of a JWS: one `shc:/…`, or `chunks` balanced `shc:/C/N/…` texts."""
    if chunks == 1:
        return [PREFIX + encode_numeric(compact)]
    size = -(-len(compact) // chunks)
    parts = [compact[i : i + size] for i in range(0, len(compact), size)]
    return [f"{PREFIX}{i}/{len(parts)}/{encode_numeric(p)}" for i, p in enumerate(parts, start=1)]


def jwks(keys: dict[str, ec.EllipticCurvePublicKey], crl_versions: dict[str, int] | None = None
         ) -> dict[str, Any]:
    out = []
    for kid, key in keys.items():
        jwk = ECKey.import_key(key).as_dict(private=False)
        entry = {"kty": "EC", "kid": kid, "use": "sig", "alg": "ES256", "crv": jwk["crv"],
                 "x": jwk["x"], "y": jwk["y"]}
        if crl_versions and kid in crl_versions:
            entry["crlVersion"] = crl_versions[kid]
        out.append(entry)
    return {"keys": out}


def crl(kid: str, rids: list[str], ctr: int = 1) -> dict[str, Any]:
    return {"kid": kid, "method": "rid", "ctr": ctr, "rids": rids}
