"""Offline check of an NZ COVID Pass: `NZCP:/1/` → base32 → COSE_Sign1 (ES256) → CWT → vc.

Follows the NZ COVID Pass technical specification v1 to the letter:
- the version identifier must be `1`; base32 is RFC 4648 *without* padding, so a `=`,
  a lowercase letter, or non-zero trailing bits (a second spelling of the same bytes,
  which would let a one-character change still verify) are refused;
- the COSE_Sign1 must be tagged 18; `alg` (ES256, -7) and `kid` (text) must be in the
  protected header;
- the CWT must carry `cti` (7, a 16-byte UUID), `iss` (1, `did:web:`), `nbf` (5) and
  `exp` (4) as integers, and a `vc` claim whose @context, type, version and
  credentialSubject follow the "Verifiable Credential Claim Structure";
- the key is `iss` + `#` + `kid`, taken only from a trusted issuer's DID document
  under `assertionMethod` (see `issuers.py`); the pass is active from `nbf` inclusive
  and expired from `exp` on.

Like the DCC, every failure is a `DccCheck` naming the stage; nothing raises.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
import uuid
from collections.abc import Mapping
from typing import Any

import cbor2

from kiosk.passes import cose
from kiosk.passes.dcc import cbor_one, describe_alg, unexpected_failure
from kiosk.passes.issuers import IssuerTrust
from kiosk.passes.model import DccCheck, SignatureState, Stage
from kiosk.passes.payload_json import to_json_value

log = logging.getLogger(__name__)

PREFIX = "NZCP:/"
SUPPORTED_VERSION = 1
MAX_INPUT_CHARS = 16 * 1024
_BASE32 = re.compile(r"[A-Z2-7]+")
_CWT_ISS, _CWT_EXP, _CWT_NBF, _CWT_CTI = 1, 4, 5, 7
_VC_CONTEXT = "https://www.w3.org/2018/credentials/v1"
_PASS_TYPES = frozenset({"PublicCovidPass"})
_DOB = re.compile(r"\d{4}-\d{2}-\d{2}")
_MAX_NAME = 100
_MAX_TIME = 253_402_300_799  # 9999-12-31T23:59:59Z: beyond it no calendar shows the date


class _Failure(Exception):
    def __init__(self, stage: Stage, detail: str) -> None:
        super().__init__(detail)
        self.stage = stage
        self.detail = detail


def _split(text: str) -> str:
    if len(text) > MAX_INPUT_CHARS:
        raise _Failure(Stage.PREFIX, f"input longer than {MAX_INPUT_CHARS} characters")
    body = text.strip()
    if not body.startswith(PREFIX):
        raise _Failure(Stage.PREFIX, "missing NZCP:/ prefix")
    version, slash, rest = body[len(PREFIX) :].partition("/")
    if not slash or not version.isascii() or not version.isdigit():
        raise _Failure(Stage.VERSION, "no version identifier")
    if len(version) > 6 or int(version) != SUPPORTED_VERSION or version != str(SUPPORTED_VERSION):
        raise _Failure(Stage.VERSION, "unsupported NZCP version (only 1 is known)")
    return rest


def b32decode_unpadded(body: str) -> bytes:
    """RFC 4648 base32 without padding, canonical only; ValueError otherwise."""
    if not _BASE32.fullmatch(body):
        raise ValueError("not uppercase base32 without padding")
    if len(body) % 8 in (1, 3, 6):
        raise ValueError("base32 length impossible")
    padded = body + "=" * (-len(body) % 8)
    try:
        data = base64.b32decode(padded)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("invalid base32") from exc
    # Unused trailing bits must be zero: otherwise two texts decode to the same bytes.
    if base64.b32encode(data).decode("ascii").rstrip("=") != body:
        raise ValueError("non-canonical base32 (trailing bits set)")
    return data


def _sign1(data: bytes) -> tuple[bytes, str, bytes, bytes]:
    item = cbor_one(data, Stage.COSE, "COSE structure", _Failure)
    if not isinstance(item, cbor2.CBORTag) or item.tag != cose.COSE_SIGN1_TAG:
        raise _Failure(Stage.COSE, "not a tagged COSE_Sign1 (tag 18)")
    value = item.value
    if not isinstance(value, list | tuple) or len(value) != 4:
        raise _Failure(Stage.COSE, "not a COSE_Sign1 array of four")
    protected_raw, unprotected, payload, signature = value
    if not (
        isinstance(protected_raw, bytes) and isinstance(unprotected, Mapping)
        and isinstance(payload, bytes) and isinstance(signature, bytes)
    ):
        raise _Failure(Stage.COSE, "COSE_Sign1 members have the wrong types")
    protected = cbor_one(protected_raw, Stage.COSE, "protected header", _Failure) if protected_raw else None
    if not isinstance(protected, Mapping):
        raise _Failure(Stage.COSE, "protected header is not a map")
    alg = protected.get(cose.HEADER_ALG)
    if isinstance(alg, bool) or alg != cose.ALG_ES256:
        raise _Failure(Stage.COSE, f"protected alg is not ES256 (-7) but {describe_alg(alg)}")
    return protected_raw, _kid(protected.get(cose.HEADER_KID)), payload, signature


def _kid(value: object) -> str:
    # The specification says text (major type 3), but its own published examples carry the
    # kid as a byte string of UTF-8: both are read, as every NZCP verifier does.
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            raise _Failure(Stage.COSE, "kid is not UTF-8") from None
    if not isinstance(value, str) or not value or len(value) > 256:
        raise _Failure(Stage.COSE, "no kid in the protected header")
    return value


def _int_claim(claims: Mapping[Any, Any], key: int, name: str) -> int:
    value = claims.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Failure(Stage.CBOR, f"CWT {name} missing or not an integer")
    if not 0 <= value <= _MAX_TIME:
        raise _Failure(Stage.CBOR, f"CWT {name} is outside the years 1970 to 9999")
    return value


def _claims(payload: bytes) -> dict[str, Any]:
    claims = cbor_one(payload, Stage.CBOR, "CWT payload", _Failure)
    if not isinstance(claims, Mapping):
        raise _Failure(Stage.CBOR, "CWT payload is not a map")
    iss = claims.get(_CWT_ISS)
    if not isinstance(iss, str) or not iss.startswith("did:web:"):
        raise _Failure(Stage.CBOR, "CWT iss missing or not a did:web identifier")
    cti = claims.get(_CWT_CTI)
    if not isinstance(cti, bytes) or len(cti) != 16:
        raise _Failure(Stage.CBOR, "CWT cti missing or not a 16-byte UUID")
    nbf = _int_claim(claims, _CWT_NBF, "nbf")
    exp = _int_claim(claims, _CWT_EXP, "exp")
    vc = claims.get("vc")
    if not isinstance(vc, Mapping):
        raise _Failure(Stage.CBOR, "CWT vc claim missing or not a map")
    try:
        vc_json = to_json_value(vc)
    except ValueError as exc:
        raise _Failure(Stage.PAYLOAD, str(exc)) from exc
    _check_vc(vc_json)
    return {"iss": iss, "nbf": nbf, "exp": exp, "jti": f"urn:uuid:{uuid.UUID(bytes=cti)}", "vc": vc_json}


def _check_vc(vc: Any) -> None:
    context = vc.get("@context")
    if not isinstance(context, list) or not context or context[0] != _VC_CONTEXT:
        raise _Failure(Stage.PAYLOAD, "vc @context does not start with the W3C credentials context")
    if not all(isinstance(c, str) for c in context):
        raise _Failure(Stage.PAYLOAD, "vc @context is not a list of strings")
    types = vc.get("type")
    if not (isinstance(types, list) and len(types) == 2 and types[0] == "VerifiableCredential"
            and types[1] in _PASS_TYPES):
        raise _Failure(Stage.PAYLOAD, "vc type is not [VerifiableCredential, PublicCovidPass]")
    if vc.get("version") != "1.0.0":
        raise _Failure(Stage.PAYLOAD, "vc version is not 1.0.0")
    subject = vc.get("credentialSubject")
    if not isinstance(subject, dict):
        raise _Failure(Stage.PAYLOAD, "vc credentialSubject missing")
    given = subject.get("givenName")
    family = subject.get("familyName")
    if not isinstance(given, str) or not given or len(given) > _MAX_NAME:
        raise _Failure(Stage.PAYLOAD, "credentialSubject givenName missing or longer than 100")
    if family is not None and (not isinstance(family, str) or len(family) > _MAX_NAME):
        raise _Failure(Stage.PAYLOAD, "credentialSubject familyName not text of at most 100")
    dob = subject.get("dob")
    if not isinstance(dob, str) or not _DOB.fullmatch(dob):
        raise _Failure(Stage.PAYLOAD, "credentialSubject dob is not an ISO 8601 date")


def _verify(
    issuers: IssuerTrust, iss: str, kid: str, protected_raw: bytes, payload: bytes, signature: bytes
) -> tuple[bool, SignatureState, str | None]:
    """(issuer trusted, signature state, detail)."""
    trusted = issuers.issuer_keys(iss)
    if trusted is None or trusted.format != "did":
        return False, SignatureState.UNKNOWN_KEY, "issuer is not a trusted NZCP issuer"
    key = trusted.key(f"{iss}#{kid}")
    if key is None:
        return True, SignatureState.UNKNOWN_KEY, "kid is not an assertion key of the issuer's DID document"
    if cose.verify(key.public_key, cose.ALG_ES256, protected_raw, payload, signature):
        return True, SignatureState.VALID, None
    return True, SignatureState.INVALID, "signature does not verify"


def check_nzcp(text: str, issuers: IssuerTrust, at: float) -> DccCheck:
    """Decode and verify one `NZCP:/` text offline at epoch seconds `at`. Never raises."""
    stage = Stage.PREFIX
    try:
        if not isinstance(text, str):
            raise _Failure(Stage.PREFIX, "input is not text")
        body = _split(text)
        stage = Stage.BASE32
        try:
            data = b32decode_unpadded(body)
        except ValueError as exc:
            raise _Failure(Stage.BASE32, str(exc)) from None
        stage = Stage.COSE
        protected_raw, kid, payload, signature = _sign1(data)
        stage = Stage.CBOR
        claims = _claims(payload)
        stage = Stage.COSE
        trusted, state, detail = _verify(
            issuers, claims["iss"], kid, protected_raw, payload, signature
        )
        nbf, exp = float(claims["nbf"]), float(claims["exp"])
        return DccCheck(
            decoded=True,
            error_detail=detail,
            signature=state,
            # Active from nbf inclusive; expired from exp on ("current datetime is before exp").
            expired=at >= exp or at < nbf,
            payload=claims,
            kid=kid.encode("utf-8"),
            issuer=claims["iss"],
            issued_at=nbf,
            expires_at=exp,
            uci=claims["jti"],
            issuer_trusted=trusted,
        )
    except _Failure as failure:
        return DccCheck(decoded=False, stage_error=failure.stage, error_detail=failure.detail)
    except RecursionError:
        return DccCheck(decoded=False, stage_error=Stage.CBOR, error_detail="CBOR nested too deeply")
    except Exception as exc:  # the last line of defence; hostile values are type-checked above
        return unexpected_failure(exc, "NZCP", stage)
