"""What the simulated upstream knows: its signer keys, trust list, tokens, revocations and visits.

Pure domain state behind one lock, with no HTTP in it, so tests and the fleet
simulation can drive it directly; its `visits` (visit_store.py) are kept under the
same lock. Time comes from the injected clock (token expiry, revocation
timestamps, visits received), randomness from the injected rng (tokens, UCIs).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import random
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.clock import Clock, SystemClock
from kiosk.errors import InputError
from kiosk.passes.dcc import check_dcc
from kiosk.passes.issue import PrivateKey, issue_dcc, make_signer
from kiosk.passes.masking import mask_holder
from kiosk.passes.model import KeyUsageState, SignatureState
from kiosk.passes.signer import StaticTrust, compute_kid, load_signer_cert
from kiosk.simulator.foreign import ForeignIssuers
from kiosk.simulator.hcerts import build_hcert, make_uci
from kiosk.simulator.visit_store import VisitCounters, VisitStore
from kiosk.upstream.list_signature import public_key_text, sign_list

TOKEN_PREFIX = "KP1:"
DCC_PREFIX = "HC1:"
TOKEN_TTL_S = 30.0
SIGNER_VALIDITY_S = 2 * 365 * 86400.0
DCC_VALIDITY_S = 365 * 86400.0


def uci_hash(uci: str) -> str:
    """How revocation lists name a certificate: SHA-256 hex of the UCI's UTF-8 bytes."""
    return hashlib.sha256(uci.encode("utf-8")).hexdigest()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass(frozen=True, slots=True)
class SimSigner:
    alg: str
    kid: bytes
    der: bytes
    country: str
    private_key: PrivateKey = field(repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class TrustEntry:
    """One row of the published trust list; `id` is the DGCA resume token."""

    id: int
    kid: bytes
    der: bytes
    country: str | None
    signature: str = ""  # X-SIGNATURE of the entry's answer (its base64 text), made when published

    @property
    def body(self) -> bytes:
        """What `/signercertificateUpdate` answers for this entry: the certificate in base64."""
        return b64(self.der).encode("ascii")


# "news": list news on /v1/verify; "delta": the trust list as one delta (/v1/trust/delta);
# "carry": pending visits carried by /v1/verify, acknowledged by id.
EXTENSIONS = frozenset({"news", "delta", "carry"})


@dataclass(frozen=True, slots=True)
class VerifyResult:
    result: str  # valid | invalid | revoked | expired | unknown
    reason: str
    holder: str | None = None


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    issued_at: float
    expires_at: float


@dataclass(frozen=True, slots=True)
class IssuedDcc:
    text: str
    uci: str
    kid: bytes
    alg: str
    cert_type: str
    expires_at: float


@dataclass(slots=True)
class _Token:
    issued_at: float
    used: bool = False
    holder: str | None = None  # the registered name; upstream sends it unmasked on redemption


def _masked(payload: Mapping[str, Any] | None) -> str | None:
    return mask_holder(payload.get("nam")) if isinstance(payload, Mapping) else None


class SimulatorState:
    def __init__(
        self,
        *,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        country: str = "XA",
        token_ttl_s: float = TOKEN_TTL_S,
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        self._rng = rng or random.SystemRandom()
        self.country = country
        self.token_ttl_s = token_ttl_s
        self._lock = threading.RLock()
        now = self.clock.now()
        # Signs every published list; a kiosk pins its public half ([trust] signing_key).
        self._list_key = ec.generate_private_key(ec.SECP256R1())
        self._signers: tuple[SimSigner, ...] = tuple(
            self._new_signer(alg, now, n) for n, alg in enumerate(("ES256", "PS256"), start=1)
        )
        self._trust = StaticTrust(load_signer_cert(s.der) for s in self._signers)
        self.foreign = ForeignIssuers(self.clock)  # NZCP/SHC issuers, mirrored by upstream
        self._reset_runtime()

    def _new_signer(self, alg: str, now: float, n: int) -> SimSigner:
        key, der = make_signer(
            alg, self.country, f"Simulator DSC {n} {alg}", None, now - 86400.0, now + SIGNER_VALIDITY_S
        )
        return SimSigner(alg=alg, kid=compute_kid(der), der=der, country=self.country, private_key=key)

    def _reset_runtime(self) -> None:
        # The extensions this upstream offers beyond the national protocol (docs/upstream-api.md);
        # a test takes them away to play an upstream without them.
        self.extensions: frozenset[str] = EXTENSIONS
        self._trust_list: list[TrustEntry] = [
            self._published(i, s.der, s.country) for i, s in enumerate(self._signers, start=1)
        ]
        self._tokens: dict[str, _Token] = {}
        self._revoked: dict[str, float] = {}
        self.visits = VisitStore(self.clock, self._lock)

    def reset(self) -> None:
        """Forget tokens, revocations, visits and injected certificates; the signer keys stay."""
        with self._lock:
            self._reset_runtime()
        self.foreign.reset()

    # --- trust list -------------------------------------------------------------------------

    @property
    def signers(self) -> tuple[SimSigner, ...]:
        return self._signers

    @property
    def list_signing_key(self) -> str:
        """The public key to pin as `[trust] signing_key` (base64 SubjectPublicKeyInfo)."""
        return public_key_text(self._list_key)

    def sign(self, body: bytes) -> str:
        """The X-SIGNATURE of a published list's answer."""
        return sign_list(self._list_key, body)

    def _published(self, entry_id: int, der: bytes, country: str | None) -> TrustEntry:
        entry = TrustEntry(entry_id, compute_kid(der), der, country)
        return dataclasses.replace(entry, signature=self.sign(entry.body))

    def trust_list(self) -> list[TrustEntry]:
        with self._lock:
            return list(self._trust_list)

    def trust_after(self, resume_token: int | None) -> TrustEntry | None:
        """The first entry after `resume_token` (DGCA semantics: the token is the last id seen)."""
        with self._lock:
            for entry in self._trust_list:
                if resume_token is None or entry.id > resume_token:
                    return entry
        return None

    def add_trust_entry(self, der: bytes, country: str | None = None) -> TrustEntry:
        with self._lock:
            entry = self._published(self._next_trust_id(), der, country)
            self._trust_list.append(entry)
            return entry

    def withdraw_trust_entry(self, kid: bytes) -> int:
        """Take a signer off the published list (its certificate was withdrawn)."""
        with self._lock:
            before = len(self._trust_list)
            self._trust_list = [e for e in self._trust_list if e.kid != kid]
            return before - len(self._trust_list)

    def add_tampered_entry(self) -> TrustEntry:
        """Publish a working signer certificate nobody signed: a certificate swapped in on the
        way, under the signature of a genuine entry (what a forger on the network would do)."""
        now = self.clock.now()
        _key, der = make_signer("ES256", self.country, "Injected DSC", None, now - 86400.0, now + 86400.0)
        with self._lock:
            genuine = self._trust_list[0].signature if self._trust_list else ""
            entry = TrustEntry(self._next_trust_id(), compute_kid(der), der, self.country, genuine)
            self._trust_list.append(entry)
            return entry

    def add_malformed_cert(self) -> TrustEntry:
        """Publish bytes that are no certificate, as real trust lists occasionally do."""
        junk = b"\x30\x82\x01\x00" + self._rng.randbytes(60)
        return self.add_trust_entry(junk, self.country)

    def _next_trust_id(self) -> int:
        return (self._trust_list[-1].id + 1) if self._trust_list else 1

    # --- revocation -------------------------------------------------------------------------

    def revoke(self, uci: str) -> str:
        digest = uci_hash(uci)
        with self._lock:
            self._revoked.setdefault(digest, self.clock.now())
        return digest

    def revocations_since(self, since: float) -> list[tuple[str, float]]:
        # Inclusive: a client that passes back the previous `until` may see an entry twice, never miss one.
        with self._lock:
            return sorted(((h, at) for h, at in self._revoked.items() if at >= since), key=lambda x: x[1])

    # --- issuing ----------------------------------------------------------------------------

    def issue_token(self, *, holder: str | None = None) -> IssuedToken:
        token = TOKEN_PREFIX + base64.urlsafe_b64encode(self._rng.randbytes(24)).decode("ascii").rstrip("=")
        with self._lock:
            now = self.clock.now()
            self._tokens[token] = _Token(issued_at=now, holder=holder)
        return IssuedToken(token, now, now + self.token_ttl_s)

    def issue_dcc(self, body: Mapping[str, Any]) -> IssuedDcc:
        alg = body.get("alg", "ES256")
        signer = next((s for s in self._signers if s.alg == alg), None)
        if signer is None:
            raise InputError("'alg' must be ES256 or PS256")
        now = self.clock.now()
        with self._lock:
            uci = make_uci(self._rng, self.country)
        cert_type, hcert = build_hcert(body, now=now, country=self.country, uci=uci)
        expires_at = now + DCC_VALIDITY_S
        text = issue_dcc(
            hcert,
            private_key=signer.private_key,
            kid=signer.kid,
            issuer=self.country,
            issued_at=now,
            expires_at=expires_at,
            alg=alg,
        )
        return IssuedDcc(text, uci, signer.kid, alg, cert_type, expires_at)

    # --- verify -----------------------------------------------------------------------------

    def verify(self, text: str, scanned_at: float) -> VerifyResult:
        if text.startswith(TOKEN_PREFIX):
            return self._redeem(text)
        if text.startswith(DCC_PREFIX):
            return self._check_dcc(text, scanned_at)
        return VerifyResult("unknown", "not_a_pass")

    def _redeem(self, token: str) -> VerifyResult:
        # Redemption runs on upstream's clock: kiosk clocks drift, the token's life is upstream's call.
        with self._lock:
            entry = self._tokens.get(token)
            if entry is None:
                return VerifyResult("unknown", "unknown_token")
            if entry.used:
                return VerifyResult("invalid", "already_used")
            if self.clock.now() - entry.issued_at > self.token_ttl_s:
                return VerifyResult("expired", "expired")
            entry.used = True
        return VerifyResult("valid", "valid", entry.holder)

    def _check_dcc(self, text: str, scanned_at: float) -> VerifyResult:
        check = check_dcc(text, self._trust, scanned_at)
        if not check.decoded:
            return VerifyResult("invalid", "decode_failed")
        if check.signature is SignatureState.UNKNOWN_KEY:
            return VerifyResult("invalid", "unknown_signer")
        if check.signature is not SignatureState.VALID:
            return VerifyResult("invalid", "bad_signature")
        if check.key_usage is KeyUsageState.MISMATCH:
            return VerifyResult("invalid", "key_usage_mismatch")
        holder = _masked(check.payload)
        if check.uci and self.is_revoked(check.uci):
            return VerifyResult("revoked", "revoked", holder)
        if check.expired:
            return VerifyResult("expired", "expired", holder)
        return VerifyResult("valid", "valid", holder)

    def is_revoked(self, uci: str) -> bool:
        with self._lock:
            return uci_hash(uci) in self._revoked

    # --- visits -----------------------------------------------------------------------------
    # The routes store visits through `visits`; what became of them is read here too, as the
    # control plane, the demo and the tests do.

    def counters(self) -> VisitCounters:
        return self.visits.counters()

    def stored_visits(self) -> list[dict[str, Any]]:
        return self.visits.stored_visits()


def describe_signers(signers: Sequence[SimSigner]) -> list[dict[str, str]]:
    return [{"alg": s.alg, "kid": b64(s.kid), "country": s.country} for s in signers]
