"""Values shared by the pass decoders, the trust store and the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol


class Stage(StrEnum):
    """Where a decode failed (the `stage_error` of `kiosk verify --json`)."""

    PREFIX = "prefix"
    BASE45 = "base45"
    ZLIB = "zlib"
    COSE = "cose"
    CBOR = "cbor"
    PAYLOAD = "payload"
    # NZ COVID Pass: `NZCP:/<version>/<base32>`
    VERSION = "version"
    BASE32 = "base32"
    # SMART Health Card: `shc:/[C/N/]<digits>` → compact JWS → raw DEFLATE → JSON
    CHUNKS = "chunks"
    NUMERIC = "numeric"
    JWS = "jws"
    DEFLATE = "deflate"


class SignatureState(StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    UNKNOWN_KEY = "unknown-key"
    NOT_CHECKED = "not-checked"


class KeyUsageState(StrEnum):
    OK = "ok"
    MISMATCH = "mismatch"
    UNKNOWN = "unknown"  # the certificate could not be read far enough to tell


@dataclass(frozen=True, slots=True)
class SignerCert:
    """One document-signer certificate of the trust list."""

    kid: bytes  # first 8 bytes of SHA-256 over `der`
    der: bytes
    country: str | None  # subject C=, if present
    subject: str  # RFC 4514 string, for display
    public_key: Any  # a cryptography public key (EC or RSA)
    # Certificate types this signer may sign: a subset of {"v", "t", "r"}.
    # All three when the certificate carries no DCC key-usage OID; None when its
    # extensions could not be parsed (key usage then reports "unknown").
    allowed_types: frozenset[str] | None
    not_before: float | None = None  # epoch seconds
    not_after: float | None = None


class TrustLookup(Protocol):
    def signers_for(self, kid: bytes) -> list[SignerCert]: ...


@dataclass(frozen=True, slots=True)
class DccCheck:
    """Everything the offline check of one signed pass found; no business rules applied yet.

    Named for the first format; NZ COVID Passes and SMART Health Cards fill the same
    fields (`issued_at` is their `nbf`), so the engine, the store and the JSON treat
    every signed pass alike.
    """

    decoded: bool
    stage_error: Stage | None = None
    error_detail: str | None = None  # technical, no personal data
    signature: SignatureState = SignatureState.NOT_CHECKED
    expired: bool | None = None  # CWT exp/iat against the validation time
    key_usage: KeyUsageState | None = None
    payload: dict[str, Any] | None = None  # the hcert (CWT claim -260, key 1)
    kid: bytes | None = None
    issuer: str | None = None  # CWT claim 1
    issued_at: float | None = None
    expires_at: float | None = None
    cert_type: str | None = None  # "v", "t" or "r"
    uci: str | None = None  # unique certificate identifier of the entry (NZCP: its jti)
    signer: SignerCert | None = field(default=None, compare=False)
    # Formats whose trust is per issuer (NZCP, SHC): False when `issuer` is not trusted.
    issuer_trusted: bool | None = None
    # SHC: the issuer's revocation list names this card (None: not checked or no list).
    revoked: bool | None = None


PassCheck = DccCheck
