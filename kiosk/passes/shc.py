"""Offline check of a SMART Health Card: `shc:/` → numeric → compact JWS → raw DEFLATE → JWT claims.

Follows the SMART Health Cards framework:
- the JWS header must be `alg: ES256` with `zip: DEF` and a `kid`; anything else
  (`none`, HS256, no compression) is refused before any key is looked at;
- the payload is raw DEFLATE (no zlib header), inflated under a cap so a bomb costs
  nothing; `iss` is an https URL, `nbf` a NumericDate, `exp` optional; a card is active
  from `nbf` inclusive and expired from `exp` on (RFC 7519: "on or after");
- the key is the issuer's JWK named by `kid`, from a trusted JWKS only, and the
  signature is checked by joserfc restricted to ES256;
- revocation: when the issuer has a revocation list for that key, a listed `rid`
  revokes the card, and a `rid.<timestamp>` entry only cards whose `nbf` is before it.

Every base64url part must be canonical (no padding, unused bits zero): otherwise
two texts would decode to the same bytes and a one-character change could verify.
A lone chunk of a chunked card is a `chunks` stage failure naming the missing parts.
"""

from __future__ import annotations

import base64
import json
import math
import re
import zlib
from collections.abc import Mapping
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.registry import HeaderParameter

from kiosk.passes.dcc import unexpected_failure
from kiosk.passes.issuers import IssuerKey, IssuerKeys, IssuerTrust, valid_rid
from kiosk.passes.model import DccCheck, SignatureState, Stage
from kiosk.passes.shc_qr import ChunkCollector, QrError, decode_numeric, missing_message, parse_qr

HEALTH_CARD_TYPE = "https://smarthealth.cards#health-card"
# A card is a few KiB inflated; a patient summary file can be larger, never this large.
MAX_INFLATED = 256 * 1024
_B64URL = re.compile(r"[A-Za-z0-9_-]*")
_MAX_TIME = 253_402_300_799.0  # 9999-12-31T23:59:59Z
# joserfc checks headers strictly against its registry; `zip` (a JWE header that SHC
# reuses in JWS) is added, anything else unknown is still refused.
_REGISTRY = jws.JWSRegistry(
    header_registry={"zip": HeaderParameter("Compression Algorithm", "str")}, algorithms=["ES256"]
)


class _Failure(Exception):
    def __init__(self, stage: Stage, detail: str) -> None:
        super().__init__(detail)
        self.stage = stage
        self.detail = detail


def _b64url(part: str, what: str) -> bytes:
    if not _B64URL.fullmatch(part) or len(part) % 4 == 1:
        raise _Failure(Stage.JWS, f"JWS {what} is not base64url")
    data = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    if base64.urlsafe_b64encode(data).decode("ascii").rstrip("=") != part:
        raise _Failure(Stage.JWS, f"JWS {what} is not canonical base64url")
    return data


def _json_object(raw: bytes, stage: Stage, what: str) -> dict[str, Any]:
    """`raw` as a JSON object, in RFC 8259 JSON: Python's NaN/Infinity extensions are refused
    (they are no JSON to print)."""

    def refuse(constant: str) -> Any:
        raise ValueError(f"{constant} is not JSON")

    try:
        value = json.loads(raw, parse_constant=refuse)
    except (ValueError, RecursionError):
        raise _Failure(stage, f"{what} is not JSON") from None
    if not isinstance(value, dict):
        raise _Failure(stage, f"{what} is not a JSON object")
    return value


def _header(raw: bytes) -> tuple[str, dict[str, Any]]:
    header = _json_object(raw, Stage.JWS, "JWS header")
    if header.get("alg") != "ES256":
        # `none`, HS256 (a public key used as an HMAC secret), RS256…: never accepted.
        raise _Failure(Stage.JWS, "JWS alg is not ES256")
    if header.get("zip") != "DEF":
        raise _Failure(Stage.JWS, "JWS payload is not DEFLATE-compressed (zip: DEF)")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid or len(kid) > 128:
        raise _Failure(Stage.JWS, "JWS header has no kid")
    return kid, header


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj(-15)  # raw DEFLATE: no zlib or gzip header
    try:
        out = inflater.decompress(data, MAX_INFLATED)
    except zlib.error:
        raise _Failure(Stage.DEFLATE, "corrupt DEFLATE stream") from None
    if inflater.unconsumed_tail:
        raise _Failure(Stage.DEFLATE, f"payload inflates beyond {MAX_INFLATED} bytes")
    if not inflater.eof:
        raise _Failure(Stage.DEFLATE, "truncated DEFLATE stream")
    if inflater.unused_data:
        raise _Failure(Stage.DEFLATE, "bytes after the DEFLATE stream")
    return out


def _time(claims: Mapping[str, Any], name: str) -> float:
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Failure(Stage.PAYLOAD, f"JWT {name} missing or not a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise _Failure(Stage.PAYLOAD, f"JWT {name} is not a finite number")
    if not 0 <= value <= _MAX_TIME:
        raise _Failure(Stage.PAYLOAD, f"JWT {name} is outside the years 1970 to 9999")
    return float(value)


def _claims(raw: bytes) -> dict[str, Any]:
    claims = _json_object(raw, Stage.PAYLOAD, "payload")
    iss = claims.get("iss")
    if not isinstance(iss, str) or not iss.startswith("https://") or iss.endswith("/"):
        raise _Failure(Stage.PAYLOAD, "iss is not an https URL without a trailing '/'")
    vc = claims.get("vc")
    if not isinstance(vc, dict):
        raise _Failure(Stage.PAYLOAD, "no vc claim")
    types = vc.get("type")
    if not isinstance(types, list) or HEALTH_CARD_TYPE not in types:
        raise _Failure(Stage.PAYLOAD, "vc type lacks https://smarthealth.cards#health-card")
    subject = vc.get("credentialSubject")
    bundle = subject.get("fhirBundle") if isinstance(subject, dict) else None
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise _Failure(Stage.PAYLOAD, "credentialSubject has no FHIR Bundle")
    if not isinstance(bundle.get("entry", []), list):
        raise _Failure(Stage.PAYLOAD, "FHIR Bundle entry is not a list")
    if "rid" in vc and not valid_rid(vc["rid"]):
        raise _Failure(Stage.PAYLOAD, "vc rid is not base64url of at most 24 characters")
    return claims


def _verify(compact: str, key: IssuerKey) -> bool:
    try:
        jws.deserialize_compact(compact, key.jwk, algorithms=["ES256"], registry=_REGISTRY)
    except (JoseError, ValueError):
        return False
    return True


def _revoked(trusted: IssuerKeys, kid: str, rid: object, nbf: float) -> tuple[bool | None, str | None]:
    crl = trusted.crls.get(kid)
    if crl is None:
        key = trusted.key(kid)
        if key is not None and key.crl_version is not None:
            return None, "the issuer keeps a revocation list for this key, but none is cached"
        return None, None
    if not isinstance(rid, str):
        return False, None
    return crl.revokes(rid, nbf), None


def check_shc(text: str, issuers: IssuerTrust, at: float) -> DccCheck:
    """Decode and verify one whole `shc:/` text offline at epoch seconds `at`. Never raises."""
    stage = Stage.PREFIX
    try:
        if not isinstance(text, str):
            raise _Failure(Stage.PREFIX, "input is not text")
        try:
            chunk = parse_qr(text)
            if not chunk.whole:
                collector = ChunkCollector().add(chunk)
                raise _Failure(Stage.CHUNKS, f"one part of a chunked card: {missing_message(collector)}")
            stage = Stage.NUMERIC
            compact = decode_numeric(chunk.digits)
        except QrError as exc:
            raise _Failure(exc.stage, exc.detail) from None
        stage = Stage.JWS
        parts = compact.split(".")
        if len(parts) != 3:
            raise _Failure(Stage.JWS, "not a compact JWS of three parts")
        kid, _header_fields = _header(_b64url(parts[0], "header"))
        compressed = _b64url(parts[1], "payload")
        signature = _b64url(parts[2], "signature")
        if len(signature) != 64:
            raise _Failure(Stage.JWS, "ES256 signature is not 64 bytes")
        stage = Stage.DEFLATE
        raw = _inflate(compressed)
        stage = Stage.PAYLOAD
        claims = _claims(raw)
        nbf = _time(claims, "nbf")
        exp = _time(claims, "exp") if claims.get("exp") is not None else None
        stage = Stage.JWS
        trusted = issuers.issuer_keys(claims["iss"])
        revoked: bool | None = None
        if trusted is None or trusted.format != "jwks":
            state, detail, known = SignatureState.UNKNOWN_KEY, "issuer is not a trusted SHC issuer", False
        elif (key := trusted.key(kid)) is None:
            state, detail, known = SignatureState.UNKNOWN_KEY, "kid is not in the issuer's JWKS", True
        elif not _verify(compact, key):
            state, detail, known = SignatureState.INVALID, "signature does not verify", True
        else:
            state, known = SignatureState.VALID, True
            revoked, detail = _revoked(trusted, kid, claims["vc"].get("rid"), nbf)
        return DccCheck(
            decoded=True,
            error_detail=detail,
            signature=state,
            # Like the NZ COVID Pass (and a JWT's `exp`): active from nbf inclusive, expired from exp on.
            expired=(exp is not None and at >= exp) or at < nbf,
            payload=claims,
            kid=kid.encode("utf-8"),
            issuer=claims["iss"],
            issued_at=nbf,
            expires_at=exp,
            issuer_trusted=known,
            revoked=revoked,
        )
    except _Failure as failure:
        return DccCheck(decoded=False, stage_error=failure.stage, error_detail=failure.detail)
    except RecursionError:
        return DccCheck(decoded=False, stage_error=Stage.PAYLOAD, error_detail="JSON nested too deeply")
    except Exception as exc:  # the last line of defence; hostile values are type-checked above
        return unexpected_failure(exc, "SHC", stage)

