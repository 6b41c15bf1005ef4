"""Offline check of an EU DCC text: HC1 prefix → base45 → zlib → COSE_Sign1 → CWT → hcert.

Every stage failure becomes a `DccCheck` naming the stage; nothing raises to the
caller, whatever the input. Business rules (vaccination age, test result…) are
not applied here, and neither is a trust-list age: this is the cryptographic and
structural part only.

Decisions where the spec leaves room (checked against the EU test corpus):
- A kid the trust list does not know gives `unknown-key`; we do not try every
  trusted key, because a kid collision-free lookup is what the DCC trust model
  specifies and trying all keys would make the cost grow with the trust list.
- `expired` is True both after `exp` and before `iat` (not yet valid); the
  engine tells them apart with `issued_at`/`expires_at`.
- The signer certificate's own validity period is not checked against `exp`
  (the corpus README: real issuers do not keep them aligned).
- A claim or header of the wrong type or range (a 400-digit `exp`, NaN, bytes where
  text belongs) is a stage failure, never an exception: anyone can print a QR code,
  so every value read from it is type-checked where it is read. One outer guard
  still turns a surprise into a decode failure, with its cause logged (exception
  type and code location only, never the value).
"""

from __future__ import annotations

import io
import logging
import math
import os
import traceback
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import base45
import cbor2

from kiosk.passes import cose
from kiosk.passes.model import DccCheck, KeyUsageState, SignatureState, SignerCert, Stage, TrustLookup
from kiosk.passes.payload_json import to_json_value

log = logging.getLogger(__name__)

PREFIX = "HC1:"
MAX_INPUT_CHARS = 64 * 1024
# A DCC decompresses to a few KiB; the cap stops zip bombs.
MAX_DECOMPRESSED = 256 * 1024
_MAX_CBOR_DEPTH = 32
_CWT_ISS, _CWT_EXP, _CWT_IAT, _CWT_HCERT = 1, 4, 6, -260
_ENTRY_TYPES = ("v", "t", "r")
# Tag 61 (CWT) sometimes wraps the COSE structure; tag 18 is COSE_Sign1.
_WRAPPER_TAGS = {cose.COSE_SIGN1_TAG, 61}
# NumericDate claims must name a second a calendar can show (years 1 to 9999, what
# `datetime` holds): beyond that a value is not a date any issuer meant, and a
# 400-digit integer does not even fit a float.
_MIN_TIME = -62_135_596_800.0  # 0001-01-01T00:00:00Z
_MAX_TIME = 253_402_300_799.0  # 9999-12-31T23:59:59Z


class _StageFailure(Exception):
    def __init__(self, stage: Stage, detail: str) -> None:
        super().__init__(detail)
        self.stage = stage
        self.detail = detail


@dataclass(frozen=True, slots=True)
class _Sign1:
    protected_raw: bytes
    protected: Mapping[Any, Any]
    unprotected: Mapping[Any, Any]
    payload: bytes
    signature: bytes


def _unprefix(text: str) -> str:
    if len(text) > MAX_INPUT_CHARS:
        raise _StageFailure(Stage.PREFIX, f"input longer than {MAX_INPUT_CHARS} characters")
    body = text.strip()
    if not body.startswith(PREFIX):
        raise _StageFailure(Stage.PREFIX, "missing HC1: prefix")
    return body[len(PREFIX) :]


def _b45(body: str) -> bytes:
    try:
        return base45.b45decode(body)
    except (ValueError, KeyError, TypeError) as exc:
        raise _StageFailure(Stage.BASE45, "invalid base45") from exc


def _inflate(data: bytes) -> bytes:
    # The DCC spec requires zlib; uncompressed COSE (starts 0xD2/0x84) is rejected.
    if len(data) < 2 or data[0] & 0x0F != 8 or int.from_bytes(data[:2], "big") % 31:
        raise _StageFailure(Stage.ZLIB, "data is not zlib-compressed")
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_DECOMPRESSED)
    except zlib.error as exc:
        raise _StageFailure(Stage.ZLIB, "corrupt zlib stream") from exc
    if inflater.unconsumed_tail:
        raise _StageFailure(Stage.ZLIB, f"decompressed data exceeds {MAX_DECOMPRESSED} bytes")
    if not inflater.eof:
        raise _StageFailure(Stage.ZLIB, "truncated zlib stream")
    return out


def cbor_one(data: bytes, stage: Stage, what: str, failure: type[Exception]) -> Any:
    """Decode exactly one CBOR item; trailing bytes are an error (raised as `failure(stage, detail)`).

    Shared by the CBOR-based formats (DCC, NZCP).
    """
    stream = io.BytesIO(data)
    try:
        decoder = cbor2.CBORDecoder(stream, max_depth=_MAX_CBOR_DEPTH, allow_duplicate_keys=False)
        item = decoder.decode()
    except Exception as exc:  # cbor2 raises a zoo of types on hostile input
        raise failure(stage, f"{what} is not valid CBOR") from exc
    if stream.tell() != len(data):
        raise failure(stage, f"{len(data) - stream.tell()} bytes after the {what}")
    return item


def _cbor_one(data: bytes, stage: Stage, what: str) -> Any:
    return cbor_one(data, stage, what, _StageFailure)


def _cose(data: bytes) -> _Sign1:
    item = _cbor_one(data, Stage.COSE, "COSE structure")
    while isinstance(item, cbor2.CBORTag):
        if item.tag not in _WRAPPER_TAGS:
            raise _StageFailure(Stage.COSE, f"unexpected CBOR tag {item.tag}")
        item = item.value
    # cbor2 hands tagged content back immutable (tuple, frozendict).
    if not isinstance(item, list | tuple) or len(item) != 4:
        raise _StageFailure(Stage.COSE, "not a COSE_Sign1 array of four")
    protected_raw, unprotected, payload, signature = item
    if not (
        isinstance(protected_raw, bytes)
        and isinstance(unprotected, Mapping)
        and isinstance(payload, bytes)
        and isinstance(signature, bytes)
    ):
        raise _StageFailure(Stage.COSE, "COSE_Sign1 members have the wrong types")
    protected: Any = {}
    if protected_raw:
        protected = _cbor_one(protected_raw, Stage.COSE, "protected header")
        if not isinstance(protected, Mapping):
            raise _StageFailure(Stage.COSE, "protected header is not a map")
    return _Sign1(protected_raw, protected, unprotected, payload, signature)


def _time_claim(claims: Mapping[Any, Any], key: int, name: str) -> float | None:
    value = claims.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _StageFailure(Stage.CBOR, f"CWT {name} is not a number")
    # Compare before converting: float() of a huge int raises OverflowError.
    if isinstance(value, float) and not math.isfinite(value):
        raise _StageFailure(Stage.CBOR, f"CWT {name} is not a finite number")
    if not _MIN_TIME <= value <= _MAX_TIME:
        raise _StageFailure(Stage.CBOR, f"CWT {name} is outside the years 1 to 9999")
    return float(value)


@dataclass(frozen=True, slots=True)
class _Claims:
    issuer: str | None
    issued_at: float | None
    expires_at: float | None
    hcert: Any


def _cwt(payload: bytes) -> _Claims:
    claims = _cbor_one(payload, Stage.CBOR, "CWT payload")
    if not isinstance(claims, Mapping):
        raise _StageFailure(Stage.CBOR, "CWT payload is not a map")
    issuer = claims.get(_CWT_ISS)
    if issuer is not None and not isinstance(issuer, str):
        raise _StageFailure(Stage.CBOR, "CWT iss is not text")
    container = claims.get(_CWT_HCERT)
    if not isinstance(container, Mapping) or 1 not in container:
        raise _StageFailure(Stage.CBOR, "CWT has no health certificate (claim -260)")
    return _Claims(
        issuer=issuer,
        issued_at=_time_claim(claims, _CWT_IAT, "iat"),
        expires_at=_time_claim(claims, _CWT_EXP, "exp"),
        hcert=container[1],
    )


def _entry(hcert: Any) -> tuple[dict[str, Any], str | None, str | None]:
    """(JSON hcert, cert type, uci); cert type None when the hcert holds no entry."""
    try:
        payload = to_json_value(hcert)
    except ValueError as exc:
        raise _StageFailure(Stage.PAYLOAD, str(exc)) from exc
    if not isinstance(payload, dict):
        raise _StageFailure(Stage.PAYLOAD, "health certificate is not a map")
    present = [t for t in _ENTRY_TYPES if payload.get(t)]
    if len(present) > 1:
        raise _StageFailure(Stage.PAYLOAD, "health certificate mixes entry types")
    if not present:
        return payload, None, None
    cert_type = present[0]
    entries = payload[cert_type]
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise _StageFailure(Stage.PAYLOAD, f"entry '{cert_type}' is not a list of maps")
    uci = entries[0].get("ci")
    return payload, cert_type, uci if isinstance(uci, str) else None


def _header(sign1: _Sign1, label: int) -> Any:
    # The protected header wins: only it is covered by the signature.
    if label in sign1.protected:
        return sign1.protected[label]
    return sign1.unprotected.get(label)


def _verify(
    sign1: _Sign1, trust: TrustLookup
) -> tuple[SignatureState, SignerCert | None, bytes | None, str | None]:
    kid = _header(sign1, cose.HEADER_KID)
    alg = _header(sign1, cose.HEADER_ALG)
    if not isinstance(kid, bytes) or not kid:
        return SignatureState.UNKNOWN_KEY, None, None, "no kid in the COSE headers"
    signers = trust.signers_for(kid)
    if not signers:
        return SignatureState.UNKNOWN_KEY, None, kid, "kid not in the trust list"
    if isinstance(alg, bool) or alg not in (cose.ALG_ES256, cose.ALG_PS256):
        return SignatureState.INVALID, signers[0], kid, f"unsupported COSE alg {describe_alg(alg)}"
    for signer in signers:
        if cose.verify(signer.public_key, alg, sign1.protected_raw, sign1.payload, sign1.signature):
            return SignatureState.VALID, signer, kid, None
    return SignatureState.INVALID, signers[0], kid, "signature does not verify"


def describe_alg(alg: object) -> str:
    # Echo only a small registered-looking integer: the header is attacker data, and the
    # detail ends up in JSON output and logs (repr of a 5,000-digit int even raises).
    if isinstance(alg, int) and not isinstance(alg, bool) and -65_536 <= alg <= 65_535:
        return str(alg)
    return f"of type {type(alg).__name__}"


def _key_usage(signer: SignerCert | None, cert_type: str | None) -> KeyUsageState | None:
    if signer is None:
        return None
    if signer.allowed_types is None or cert_type is None:
        return KeyUsageState.UNKNOWN
    return KeyUsageState.OK if cert_type in signer.allowed_types else KeyUsageState.MISMATCH


def _expired(at: float, issued_at: float | None, expires_at: float | None) -> bool | None:
    if issued_at is None and expires_at is None:
        return None
    if expires_at is not None and at > expires_at:
        return True
    return issued_at is not None and at < issued_at


def check_dcc(text: str, trust: TrustLookup, at: float) -> DccCheck:
    """Decode and verify one `HC1:` text offline at epoch seconds `at`. Never raises."""
    stage = Stage.PREFIX
    try:
        if not isinstance(text, str):
            raise _StageFailure(Stage.PREFIX, "input is not text")
        body = _unprefix(text)
        stage = Stage.BASE45
        compressed = _b45(body)
        stage = Stage.ZLIB
        data = _inflate(compressed)
        stage = Stage.COSE
        sign1 = _cose(data)
        stage = Stage.CBOR
        claims = _cwt(sign1.payload)
        stage = Stage.PAYLOAD
        payload, cert_type, uci = _entry(claims.hcert)
        # The signature check belongs to the COSE layer; a surprise there is reported so.
        stage = Stage.COSE
        signature, signer, kid, detail = _verify(sign1, trust)
        return DccCheck(
            decoded=True,
            error_detail=detail,
            signature=signature,
            expired=_expired(at, claims.issued_at, claims.expires_at),
            key_usage=_key_usage(signer, cert_type),
            payload=payload,
            kid=kid,
            issuer=claims.issuer,
            issued_at=claims.issued_at,
            expires_at=claims.expires_at,
            cert_type=cert_type,
            uci=uci,
            signer=signer,
        )
    except _StageFailure as failure:
        return DccCheck(decoded=False, stage_error=failure.stage, error_detail=failure.detail)
    except RecursionError:
        return DccCheck(decoded=False, stage_error=Stage.CBOR, error_detail="CBOR nested too deeply")
    except Exception as exc:  # the last line of defence; hostile values are type-checked above
        return unexpected_failure(exc, "DCC", stage)


def unexpected_failure(exc: Exception, fmt: str, stage: Stage) -> DccCheck:
    """A surprise in a decode chain as a decode failure, logged without any input value."""
    log.warning(
        "unexpected %s in the %s %s stage at %s; treated as a decode failure",
        type(exc).__name__, fmt, stage, _where(exc),
    )
    detail = f"unexpected {type(exc).__name__} in the {stage} stage"
    return DccCheck(decoded=False, stage_error=stage, error_detail=detail)


def _where(exc: BaseException) -> str:
    """file:line of the innermost frame: enough for support, and free of any input value."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "unknown"
    last = frames[-1]
    return f"{os.path.basename(last.filename)}:{last.lineno}"
