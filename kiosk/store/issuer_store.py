"""The cached issuer trust of NZ COVID Passes and SMART Health Cards: DID documents, JWKS, CRLs.

One row per issuer in `trust_issuers`, holding the documents as they were fetched or
imported (with their source and age). Parsed keys are cached in memory and the cache
is keyed by the stored content: a scan must not pay for JSON and key parsing, and a
document another instance (the background sync) replaced is parsed again at once.

The `meta` table keeps the ETag of upstream's issuer list and when that list was last
synced. The ETag vouches that the upstream rows are exactly that answer, so every
other write (`put`, `remove`) drops it in the same transaction; only a sync that
stored every entry sets it again.
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
from kiosk.store.meta import get_meta, set_meta

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
            set_meta(conn, self._ETAG_KEY, None)
        with self._lock:
            self._cache.clear()

    def remove(self, issuer: str) -> int:
        with self._db.transaction() as conn:
            removed = conn.execute("DELETE FROM trust_issuers WHERE issuer = ?", (issuer,)).rowcount
            # Else a 304 would keep an upstream issuer away that a full answer brings back.
            set_meta(conn, self._ETAG_KEY, None)
        with self._lock:
            self._cache.clear()
        return int(removed)

    _ETAG_KEY = "trust_issuers_etag"
    _SYNCED_KEY = "trust_issuers_synced_at"

    def list_etag(self) -> str | None:
        """The ETag of upstream's issuer list when every entry of it was last stored."""
        return get_meta(self._db, self._ETAG_KEY)

    def set_list_etag(self, etag: str | None) -> None:
        with self._db.transaction() as conn:
            set_meta(conn, self._ETAG_KEY, etag)

    def mark_synced(self, synced_at: float) -> None:
        """Upstream's list was just stored: remember when, even when the list is empty."""
        with self._db.transaction() as conn:
            set_meta(conn, self._SYNCED_KEY, repr(float(synced_at)))

    def mark_current(self, checked_at: float) -> int:
        """Upstream confirmed its list is the stored one (a 304): its entries are as fresh as a
        download. Returns how many upstream entries that covers."""
        with self._db.transaction() as conn:
            count = conn.execute(
                "UPDATE trust_issuers SET fetched_at = ? WHERE source = 'upstream'", (checked_at,)
            ).rowcount
            set_meta(conn, self._SYNCED_KEY, repr(float(checked_at)))
        with self._lock:
            self._cache.clear()  # fetched_at is part of the parsed keys
        return int(count)

    def last_synced(self) -> float | None:
        """When upstream's issuer list was last stored or confirmed (None: never synced).

        The stored rows alone cannot say it when upstream legitimately lists no issuer:
        then every restart would sync at once, and a running fleet in lockstep.
        """
        value = self._db.scalar(
            "SELECT max(t) FROM (SELECT max(fetched_at) AS t FROM trust_issuers WHERE source = 'upstream' "
            "UNION ALL SELECT CAST(value AS REAL) FROM meta WHERE key = ?)",
            (self._SYNCED_KEY,),
        )
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

    def documents(self) -> list[tuple[str, str, str, dict[str, str]]]:
        """Every issuer's stored documents as (issuer, format, document, {kid: CRL JSON})."""
        rows = self._db.query("SELECT issuer, format, document, crls FROM trust_issuers ORDER BY issuer")
        return [
            (r["issuer"], r["format"], r["document"],
             {kid: json.dumps(doc) for kid, doc in json.loads(r["crls"] or "{}").items()})
            for r in rows
        ]

    def last_updated(self) -> float | None:
        """When any issuer document was last stored or confirmed, whatever its source (None:
        no issuer list at all, so NZCP/SHC passes cannot be judged offline)."""
        newest = self._db.scalar("SELECT max(fetched_at) FROM trust_issuers")
        times = [float(t) for t in (newest, self.last_synced()) if t is not None]
        return max(times) if times else None
