"""The cached trust list: document-signer certificates used for offline verification."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.clock import Clock, SystemClock
from kiosk.errors import TrustError
from kiosk.passes.model import SignerCert
from kiosk.passes.signer import load_signer_cert
from kiosk.store.audit import record_audit
from kiosk.store.database import Database
from kiosk.store.meta import get_meta, set_meta

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TrustEntry:
    kid_hex: str
    country: str | None
    subject: str
    key_usage: str | None  # e.g. "t,v"; None when the certificate's extensions were unreadable
    fetched_at: float
    age_seconds: float


@dataclass(frozen=True, slots=True)
class ListRefusal:
    """A published list refused by its signature check; the previous one stayed in force."""

    job: str  # which list: "trust", "issuers", "revocations", ...
    at: float  # wall time of the refusal
    message: str  # what was wrong, as the sync said it (no personal data)


def key_usage_text(allowed_types: frozenset[str] | None) -> str | None:
    return None if allowed_types is None else ",".join(sorted(allowed_types))


def _sha256_hex(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


class TrustStore:
    """Implements `kiosk.passes.model.TrustLookup` over the `trust_certs` table.

    Parsed certificates are cached in memory: a scan must not pay for X.509 parsing,
    and the cache is dropped whenever the table changes.
    """

    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self._db = db
        self._clock = clock or SystemClock()
        self._cache: dict[str, SignerCert] = {}
        self._cache_lock = threading.Lock()

    def _parsed(self, cert_sha256: str, kid_hex: str, der: bytes) -> SignerCert | None:
        with self._cache_lock:
            cached = self._cache.get(cert_sha256)
        if cached is not None:
            return cached
        try:
            cert = load_signer_cert(bytes(der))
        except TrustError:
            # One unreadable entry must not take the whole trust list down.
            log.warning("skipping unreadable trust-list certificate kid=%s", kid_hex)
            return None
        kid = bytes.fromhex(kid_hex)
        if cert.kid != kid:
            # The trust list's kid is authoritative (gateways may assign it), not the DER hash.
            cert = dataclasses.replace(cert, kid=kid)
        with self._cache_lock:
            self._cache[cert_sha256] = cert
        return cert

    def _invalidate(self) -> None:
        with self._cache_lock:
            self._cache.clear()

    def signers_for(self, kid: bytes) -> list[SignerCert]:
        kid_hex = kid.hex()
        rows = self._db.query(
            "SELECT cert_sha256, kid, der FROM trust_certs WHERE kid = ? "
            "ORDER BY fetched_at DESC, cert_sha256",
            (kid_hex,),
        )
        found = (self._parsed(r["cert_sha256"], r["kid"], r["der"]) for r in rows)
        return [c for c in found if c is not None]

    @staticmethod
    def _row(cert: SignerCert, fetched_at: float) -> tuple[object, ...]:
        return (
            _sha256_hex(cert.der),
            cert.kid.hex(),
            cert.country,
            cert.subject,
            cert.der,
            key_usage_text(cert.allowed_types),
            fetched_at,
        )

    _UPSERT = (
        "INSERT INTO trust_certs (cert_sha256, kid, country, subject, der, key_usage, fetched_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(cert_sha256) DO UPDATE SET "
        "kid = excluded.kid, country = excluded.country, subject = excluded.subject, "
        "key_usage = excluded.key_usage, fetched_at = excluded.fetched_at"
    )

    def add(self, cert: SignerCert, fetched_at: float) -> None:
        with self._db.transaction() as conn:
            conn.execute(self._UPSERT, self._row(cert, fetched_at))
        self._invalidate()

    def replace_all(
        self,
        certs: Iterable[SignerCert],
        fetched_at: float,
        *,
        allow_empty: bool = False,
        actor: str = "sync",
    ) -> int:
        """Swap in a complete new list atomically; on any error the old list stays in force.

        An empty list is refused unless `allow_empty`: a sync answering "no signers at
        all" is far more likely broken than true, and it would disable offline checks.
        """
        certs = list(certs)
        if not certs and not allow_empty:
            raise TrustError("the new trust list is empty; keeping the current one", key="trust.empty")
        with self._db.transaction() as conn:
            before = conn.execute("SELECT count(*) FROM trust_certs").fetchone()[0]
            conn.execute("DELETE FROM trust_certs")
            conn.executemany(self._UPSERT, [self._row(c, fetched_at) for c in certs])
            after = conn.execute("SELECT count(*) FROM trust_certs").fetchone()[0]
            record_audit(self._db, fetched_at, actor, "trust.replace", {"before": before, "after": after})
        self._invalidate()
        return int(after)

    def apply_delta(
        self, added: Iterable[SignerCert], listed_kid_hexes: frozenset[str], fetched_at: float
    ) -> int:
        """Upstream's list as a delta, atomically: certificates whose kid upstream no longer
        lists go, the added ones come, the rest stay and count as fetched now. Refused like
        `replace_all` when nothing would be left."""
        added = list(added)
        with self._db.transaction() as conn:
            before = conn.execute("SELECT count(*) FROM trust_certs").fetchone()[0]
            kept = [r[0] for r in conn.execute("SELECT DISTINCT kid FROM trust_certs")]
            gone = [kid for kid in kept if kid not in listed_kid_hexes]
            conn.executemany("DELETE FROM trust_certs WHERE kid = ?", [(kid,) for kid in gone])
            conn.executemany(self._UPSERT, [self._row(c, fetched_at) for c in added])
            conn.execute("UPDATE trust_certs SET fetched_at = ?", (fetched_at,))
            after = conn.execute("SELECT count(*) FROM trust_certs").fetchone()[0]
            if not after:
                raise TrustError("the new trust list is empty; keeping the current one", key="trust.empty")
            record_audit(self._db, fetched_at, "sync", "trust.delta", {"before": before, "after": after})
        self._invalidate()
        return int(after)

    def remove(self, kid: bytes) -> int:
        with self._db.transaction() as conn:
            removed = conn.execute("DELETE FROM trust_certs WHERE kid = ?", (kid.hex(),)).rowcount
        self._invalidate()
        return removed

    def list(self) -> list[TrustEntry]:
        now = self._clock.now()
        rows = self._db.query(
            "SELECT kid, country, subject, key_usage, fetched_at FROM trust_certs ORDER BY country, kid"
        )
        return [
            TrustEntry(
                kid_hex=r["kid"],
                country=r["country"],
                subject=r["subject"],
                key_usage=r["key_usage"],
                fetched_at=r["fetched_at"],
                age_seconds=max(0.0, now - r["fetched_at"]),
            )
            for r in rows
        ]

    def kid_hexes(self) -> frozenset[str]:
        """The kids of the stored list (hex): a sync compares them with upstream's status."""
        return frozenset(r[0] for r in self._db.query("SELECT DISTINCT kid FROM trust_certs"))

    def mark_current(self, checked_at: float) -> None:
        """Upstream confirmed the stored list is its current one: it is as fresh as a download."""
        with self._db.transaction() as conn:
            conn.execute("UPDATE trust_certs SET fetched_at = ?", (checked_at,))

    _ETAG_KEY = "trust_status_etag"

    def status_etag(self) -> str | None:
        """The ETag of upstream's trust status when the stored list was last confirmed."""
        return get_meta(self._db, self._ETAG_KEY)

    def set_status_etag(self, etag: str | None) -> None:
        with self._db.transaction() as conn:
            set_meta(conn, self._ETAG_KEY, etag)

    _TOKEN_KEY = "trust_resume_token"

    def resume_token(self) -> str | None:
        """The update stream's token of the newest certificate stored (a delta starts after it)."""
        return get_meta(self._db, self._TOKEN_KEY)

    def set_resume_token(self, token: str | None) -> None:
        with self._db.transaction() as conn:
            set_meta(conn, self._TOKEN_KEY, token)

    _REFUSED_PREFIX = "list_refused:"

    def note_refusal(self, refusal: ListRefusal) -> None:
        """Kept until that list is taken again, for `kiosk doctor` and the status bar."""
        value = json.dumps({"at": refusal.at, "message": refusal.message})
        with self._db.transaction() as conn:
            set_meta(conn, self._REFUSED_PREFIX + refusal.job, value)

    def clear_refusal(self, job: str) -> None:
        if get_meta(self._db, self._REFUSED_PREFIX + job) is None:
            return  # the usual case: no write at all
        with self._db.transaction() as conn:
            set_meta(conn, self._REFUSED_PREFIX + job, None)

    def refusals(self) -> list[ListRefusal]:
        """The lists whose last download was refused, latest first."""
        rows = self._db.query("SELECT key, value FROM meta WHERE key GLOB ?", (self._REFUSED_PREFIX + "*",))
        found = []
        for row in rows:
            try:
                data = json.loads(row["value"])
                at, message = float(data["at"]), str(data["message"])
            except (ValueError, TypeError, KeyError):
                continue  # an unreadable note is no reason to fail a status read
            found.append(ListRefusal(row["key"].removeprefix(self._REFUSED_PREFIX), at, message))
        return sorted(found, key=lambda r: r.at, reverse=True)

    def last_updated(self) -> float | None:
        """When the newest certificate was fetched (drives the trust-list age indicator)."""
        value = self._db.scalar("SELECT max(fetched_at) FROM trust_certs")
        return None if value is None else float(value)

    def __len__(self) -> int:
        return int(self._db.scalar("SELECT count(*) FROM trust_certs"))

    def certs(self) -> list[SignerCert]:
        """Every readable certificate of the list (for a snapshot of it)."""
        rows = self._db.query("SELECT cert_sha256, kid, der FROM trust_certs ORDER BY country, kid")
        found = (self._parsed(r["cert_sha256"], r["kid"], r["der"]) for r in rows)
        return [c for c in found if c is not None]
