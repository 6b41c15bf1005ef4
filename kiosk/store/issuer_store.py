"""The cached issuer trust of NZ COVID Passes and SMART Health Cards: DID documents, JWKS, CRLs.

One row per issuer in `trust_issuers`, holding the documents as they were fetched or
imported (with their source and age). Parsed keys are cached in memory and the cache
is keyed by the stored content: a scan must not pay for JSON and key parsing, and a
document another instance (the background sync) replaced is parsed again at once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.clock import Clock, SystemClock
from kiosk.errors import TrustError
from kiosk.passes.issuers import IssuerKeys, load_crl, load_did_document, load_jwks
from kiosk.store.audit import record_audit
from kiosk.store.database import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IssuerEntry:
    issuer: str
    format: str  # "did" or "jwks"
    keys: int
    revocation_lists: int
    source: str
    fetched_at: float
    age_seconds: float


class IssuerStore:
    """Implements `kiosk.passes.issuers.IssuerTrust` over the `trust_issuers` table."""

    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self._db = db
        self._clock = clock or SystemClock()
        self._cache: dict[tuple[str, str], IssuerKeys | None] = {}
        self._lock = threading.Lock()

    def issuer_keys(self, issuer: str) -> IssuerKeys | None:
        rows = self._db.query(
            "SELECT issuer, format, document, crls, source, fetched_at FROM trust_issuers WHERE issuer = ?",
            (issuer,),
        )
        if not rows:
            return None
        # Keyed by the stored content, not the issuer: the background sync writes through
        # another instance, and a changed document or revocation list must be seen at once.
        # Reading one small row is cheap; parsing keys is what the cache saves.
        row = rows[0]
        stamp = hashlib.sha256(
            "\x00".join(str(row[k]) for k in ("format", "document", "crls", "source", "fetched_at")).encode()
        ).hexdigest()
        with self._lock:
            if (issuer, stamp) in self._cache:
                return self._cache[(issuer, stamp)]
        keys = self._parse(row)
        with self._lock:
            if len(self._cache) > 4 * 1024:
                self._cache.clear()  # bounded: old versions of documents are never asked for again
            self._cache[(issuer, stamp)] = keys
        return keys

    @staticmethod
    def _parse(row: Mapping[str, object]) -> IssuerKeys | None:
        issuer = str(row["issuer"])
        try:
            if row["format"] == "did":
                return load_did_document(str(row["document"]), issuer, source=str(row["source"]),
                                         fetched_at=float(row["fetched_at"]))  # type: ignore[arg-type]
            crls = json.loads(str(row["crls"]))
            return load_jwks(
                str(row["document"]), issuer, [load_crl(json.dumps(doc), kid) for kid, doc in crls.items()],
                source=str(row["source"]), fetched_at=float(row["fetched_at"]),  # type: ignore[arg-type]
            )
        except (TrustError, ValueError, AttributeError):
            # One unreadable entry must not take the others down; the issuer is then untrusted.
            log.warning("skipping unreadable trust entry of an %s issuer", row["format"])
            return None

    def put(self, keys: IssuerKeys, document: str, crls: Mapping[str, str] | None = None, *,
            source: str, fetched_at: float, actor: str = "owner") -> None:
        """Store an issuer's documents (already validated into `keys`), replacing what was there."""
        crl_docs = {kid: json.loads(doc) for kid, doc in (crls or {}).items()}
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO trust_issuers (issuer, format, document, crls, source, fetched_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(issuer) DO UPDATE SET format = excluded.format, "
                "document = excluded.document, crls = excluded.crls, source = excluded.source, "
                "fetched_at = excluded.fetched_at",
                (keys.issuer, keys.format, document, json.dumps(crl_docs), source, fetched_at),
            )
            record_audit(self._db, fetched_at, actor, "trust.issuer",
                         {"format": keys.format, "keys": len(keys.keys), "crls": len(crl_docs)})
        with self._lock:
            self._cache.clear()

    def remove(self, issuer: str) -> int:
        with self._db.transaction() as conn:
            removed = conn.execute("DELETE FROM trust_issuers WHERE issuer = ?", (issuer,)).rowcount
        with self._lock:
            self._cache.clear()
        return int(removed)

    def last_synced(self) -> float | None:
        """When upstream's issuer documents were last stored (None: never synced)."""
        value = self._db.scalar("SELECT max(fetched_at) FROM trust_issuers WHERE source = 'upstream'")
        return None if value is None else float(value)

    def list(self) -> list[IssuerEntry]:
        now = self._clock.now()
        out = []
        for row in self._db.query(
            "SELECT issuer, format, document, crls, source, fetched_at FROM trust_issuers ORDER BY issuer"
        ):
            keys = self._parse(row)
            out.append(IssuerEntry(
                issuer=row["issuer"], format=row["format"], keys=len(keys.keys) if keys else 0,
                revocation_lists=len(keys.crls) if keys else 0, source=row["source"],
                fetched_at=row["fetched_at"], age_seconds=max(0.0, now - row["fetched_at"]),
            ))
        return out
