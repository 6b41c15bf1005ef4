"""Trust per issuer for NZ COVID Passes and SMART Health Cards: DID documents, JWKS and CRLs.

An NZCP names its issuer as a `did:web:` id and its key by a relative `kid`; the key
must be listed under the DID document's `assertionMethod` as a JsonWebKey2020 P-256
JWK (NZCP specification v1, "Issuer Identifier"). A SMART Health Card names its
issuer as an https URL whose `.well-known/jwks.json` holds its ES256 keys, each with
an optional `crlVersion`, and `.well-known/crl/<kid>.json` its revocation list.

Every loader here validates what it reads and raises `TrustError` with a message that
names the problem (never a value from a pass); the verifiers then only look keys up.
Keys whose parameters do not fit (another curve, private parts, another key type)
are skipped with a reason, so one bad key does not hide the issuer's good ones.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from cryptography.hazmat.primitives.asymmetric import ec
from joserfc.jwk import ECKey

from kiosk.errors import TrustError

IssuerFormat = Literal["did", "jwks"]
MAX_DOCUMENT_BYTES = 256 * 1024
# RFC 7518 6.2.2 / 6.3.2: parameters that make a JWK private; a public-key document must hold none.
_PRIVATE_JWK_PARAMS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
_B64URL = re.compile(r"[A-Za-z0-9_-]+")
_MAX_RID_CHARS = 24


@dataclass(frozen=True, slots=True)
class IssuerKey:
    """One verification key of an issuer, ready to check signatures with."""

    kid: str  # NZCP: the absolute DID URL (`did:web:…#key-1`); SHC: the JWK `kid`
    public_key: ec.EllipticCurvePublicKey
    jwk: ECKey = field(compare=False, repr=False)
    crl_version: int | None = None  # SHC: the `crlVersion` the JWKS announces for this key


@dataclass(frozen=True, slots=True)
class Crl:
    """An SHC revocation list for one key: `rid` → revoked-before timestamp (None: always)."""

    kid: str
    ctr: int
    rids: Mapping[str, float | None]

    def revokes(self, rid: str, nbf: float | None) -> bool:
        if rid not in self.rids:
            return False
        before = self.rids[rid]
        if before is None:
            return True
        # A timestamp suffix revokes only the cards issued before it (SHC "Revocation").
        return nbf is not None and nbf < before


@dataclass(frozen=True, slots=True)
class IssuerKeys:
    """Everything trusted about one issuer: its keys, revocation lists, and where they came from."""

    issuer: str
    format: IssuerFormat
    keys: Mapping[str, IssuerKey]
    crls: Mapping[str, Crl] = field(default_factory=dict)
    source: str = ""
    fetched_at: float | None = None
    skipped: tuple[str, ...] = ()  # why keys of the document were not taken (for `trust list`)

    def key(self, kid: str) -> IssuerKey | None:
        return self.keys.get(kid)


class IssuerTrust(Protocol):
    def issuer_keys(self, issuer: str) -> IssuerKeys | None: ...


class StaticIssuers:
    """A fixed set of trusted issuers (CLI `--trust-issuer`, tests)."""

    def __init__(self, issuers: Iterable[IssuerKeys] = ()) -> None:
        self._by_issuer: dict[str, IssuerKeys] = {}
        for item in issuers:
            self._by_issuer[item.issuer] = item

    def issuer_keys(self, issuer: str) -> IssuerKeys | None:
        return self._by_issuer.get(issuer)

    def all(self) -> list[IssuerKeys]:
        return list(self._by_issuer.values())


class ChainedIssuers:
    """The first source that knows an issuer wins (command-line files before the database)."""

    def __init__(self, *sources: IssuerTrust | None) -> None:
        self._sources = [s for s in sources if s is not None]

    def issuer_keys(self, issuer: str) -> IssuerKeys | None:
        for source in self._sources:
            found = source.issuer_keys(issuer)
            if found is not None:
                return found
        return None


class AllowedIssuers:
    """Only the issuers the venue's config lists, per format; an empty list allows every issuer.

    Keys being cached is not trust by itself: an owner who lists the issuers they accept
    (`[trust] nzcp_issuers` / `shc_issuers`) gets `unknown_issuer` for any other, even
    one whose documents an import or a sync put in the store.
    """

    def __init__(self, source: IssuerTrust, *, nzcp: Iterable[str] = (), shc: Iterable[str] = ()) -> None:
        self._source = source
        # NZCP keys come in DID documents, SHC keys in JWKS.
        self._allowed: dict[str, frozenset[str]] = {"did": frozenset(nzcp), "jwks": frozenset(shc)}

    def issuer_keys(self, issuer: str) -> IssuerKeys | None:
        keys = self._source.issuer_keys(issuer)
        if keys is None:
            return None
        allowed = self._allowed.get(keys.format, frozenset())
        return keys if not allowed or issuer in allowed else None


NO_ISSUERS = StaticIssuers()


# --- parsing -----------------------------------------------------------------------------


def parse_json_document(data: bytes | str, what: str) -> Any:
    raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise TrustError(f"The {what} is larger than {MAX_DOCUMENT_BYTES // 1024} KiB.")
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise TrustError(f"The {what} is not valid JSON.") from exc


def p256_key(jwk: object) -> tuple[IssuerKey | None, str | None]:
    """(key, None) for a public EC P-256 JWK, else (None, why not)."""
    if not isinstance(jwk, Mapping):
        return None, "not a JSON object"
    if _PRIVATE_JWK_PARAMS & set(jwk):
        return None, "publishes private key parameters"
    if jwk.get("kty") != "EC":
        return None, "not an EC key"
    if jwk.get("crv") != "P-256":
        return None, "not a P-256 key"
    if not (isinstance(jwk.get("x"), str) and isinstance(jwk.get("y"), str)):
        return None, "no x/y coordinates"
    try:
        # Only the public members: joserfc refuses unknown-typed extras (x5c, crlVersion).
        key = ECKey.import_key({"kty": "EC", "crv": "P-256", "x": jwk["x"], "y": jwk["y"]})
        public = key.public_key
    except Exception:  # joserfc/cryptography raise several types for a point off the curve
        return None, "coordinates are not a point on P-256"
    if not isinstance(public, ec.EllipticCurvePublicKey):
        return None, "not an EC public key"
    return IssuerKey(kid="", public_key=public, jwk=key), None


def load_did_document(data: bytes | str, issuer: str, *, source: str = "", fetched_at: float | None = None
                      ) -> IssuerKeys:
    """The NZCP verification keys of a `did:web` DID document for `issuer`."""
    if not issuer.startswith("did:web:"):
        raise TrustError(f"An NZ COVID Pass issuer is a did:web identifier, not {issuer[:60]!r}.")
    doc = parse_json_document(data, "DID document")
    if not isinstance(doc, Mapping):
        raise TrustError("The DID document is not a JSON object.")
    if doc.get("id") != issuer:
        raise TrustError(f"The DID document is not the document of {issuer} (its id differs).")
    asserted = doc.get("assertionMethod")
    methods = doc.get("verificationMethod")
    if not isinstance(asserted, list) or not isinstance(methods, list):
        raise TrustError("The DID document has no assertionMethod or verificationMethod list.")
    asserted_ids = {_absolute(issuer, a) for a in asserted if isinstance(a, str)}
    keys: dict[str, IssuerKey] = {}
    skipped: list[str] = []
    for method in methods:
        if not isinstance(method, Mapping) or not isinstance(method.get("id"), str):
            skipped.append("a verification method without an id")
            continue
        kid = _absolute(issuer, method["id"])
        if kid not in asserted_ids:
            skipped.append(f"{kid}: not an assertionMethod")
            continue
        if method.get("type") != "JsonWebKey2020":
            skipped.append(f"{kid}: type is not JsonWebKey2020")
            continue
        key, why = p256_key(method.get("publicKeyJwk"))
        if key is None:
            skipped.append(f"{kid}: {why}")
            continue
        keys[kid] = IssuerKey(kid=kid, public_key=key.public_key, jwk=key.jwk)
    if not keys:
        reasons = "; ".join(skipped) or "it lists none"
        raise TrustError(f"The DID document of {issuer} has no usable P-256 assertion key ({reasons}).")
    return IssuerKeys(issuer, "did", keys, source=source, fetched_at=fetched_at, skipped=tuple(skipped))


def _absolute(issuer: str, ref: str) -> str:
    """DID URL of a key: relative references (`#key-1`) are resolved against the issuer."""
    return issuer + ref if ref.startswith("#") else ref


def load_jwks(data: bytes | str, issuer: str, crls: Iterable[Crl] = (), *, source: str = "",
              fetched_at: float | None = None) -> IssuerKeys:
    """The SHC signing keys of an issuer's JWKS (`kty` EC, `crv` P-256, `alg` ES256, `use` sig)."""
    if not issuer.startswith("https://") or issuer.endswith("/"):
        raise TrustError("A SMART Health Card issuer is an https URL without a trailing '/'.")
    doc = parse_json_document(data, "JWKS")
    if not isinstance(doc, Mapping) or not isinstance(doc.get("keys"), list):
        raise TrustError("The JWKS is not a JSON object with a 'keys' list.")
    keys: dict[str, IssuerKey] = {}
    skipped: list[str] = []
    for jwk in doc["keys"]:
        kid = jwk.get("kid") if isinstance(jwk, Mapping) else None
        if not isinstance(kid, str) or not kid:
            skipped.append("a key without a kid")
            continue
        if jwk.get("alg", "ES256") != "ES256" or jwk.get("use", "sig") != "sig":
            skipped.append(f"{kid}: not an ES256 signing key")
            continue
        key, why = p256_key(jwk)
        if key is None:
            skipped.append(f"{kid}: {why}")
            continue
        version = jwk.get("crlVersion")
        crl_version = version if isinstance(version, int) and not isinstance(version, bool) else None
        keys[kid] = IssuerKey(kid=kid, public_key=key.public_key, jwk=key.jwk, crl_version=crl_version)
    if not keys:
        reasons = "; ".join(skipped) or "it lists none"
        raise TrustError(f"The JWKS of {issuer} has no usable ES256 P-256 key ({reasons}).")
    by_kid: dict[str, Crl] = {}
    for crl in crls:
        if crl.kid not in keys:
            raise TrustError(f"A revocation list is for key {crl.kid[:60]!r}, which the JWKS does not hold.")
        by_kid[crl.kid] = crl
    return IssuerKeys(issuer, "jwks", keys, by_kid, source=source, fetched_at=fetched_at,
                      skipped=tuple(skipped))


def load_crl(data: bytes | str, kid: str | None = None) -> Crl:
    """An SHC revocation list; `kid` is the key it must belong to (from its file name or URL)."""
    doc = parse_json_document(data, "revocation list")
    if not isinstance(doc, Mapping):
        raise TrustError("The revocation list is not a JSON object.")
    crl_kid = doc.get("kid")
    if not isinstance(crl_kid, str) or not crl_kid:
        raise TrustError("The revocation list names no kid.")
    if kid is not None and crl_kid != kid:
        raise TrustError(f"The revocation list for key {kid[:60]!r} is the list of another key.")
    if doc.get("method") != "rid":
        raise TrustError("The revocation list's method is not 'rid'.")
    ctr = doc.get("ctr")
    if isinstance(ctr, str) and ctr.isdigit():
        ctr = int(ctr)
    if isinstance(ctr, bool) or not isinstance(ctr, int) or ctr < 1:
        raise TrustError("The revocation list's ctr is not a positive counter.")
    entries = doc.get("rids")
    if not isinstance(entries, list):
        raise TrustError("The revocation list has no 'rids' list.")
    rids: dict[str, float | None] = {}
    for entry in entries:
        rid, before = _rid_entry(entry)
        if rid in rids:
            # The same rid twice: an unconditional entry, or else the latest timestamp, wins.
            old = rids[rid]
            rids[rid] = None if old is None or before is None else max(old, before)
        else:
            rids[rid] = before
    return Crl(crl_kid, ctr, rids)


def _rid_entry(entry: object) -> tuple[str, float | None]:
    if not isinstance(entry, str):
        raise TrustError("A revocation list entry is not text.")
    rid, dot, stamp = entry.partition(".")
    if not _B64URL.fullmatch(rid) or len(rid) > _MAX_RID_CHARS:
        raise TrustError("A revocation list entry is not a base64url rid of at most 24 characters.")
    if not dot:
        return rid, None
    if not stamp.isdigit() or len(stamp) > 12:
        raise TrustError("A revocation list entry's timestamp suffix is not a number of seconds.")
    return rid, float(int(stamp))


def valid_rid(value: object) -> bool:
    return isinstance(value, str) and len(value) <= _MAX_RID_CHARS and bool(_B64URL.fullmatch(value))
