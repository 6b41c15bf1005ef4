"""Where the stored trust list came from: a snapshot of it out, the package's snapshot in.

The package carries a snapshot (kiosk.passes.trust_snapshot); on first start with an empty
trust list it is imported with source `bundled`. Its entries keep the snapshot's time as
their fetch time, so the list's age (and the hard limit) counts from when the snapshot was
made, not from when the PC was unpacked. The `meta` table remembers the snapshot's
origin; the list stays "bundled" until a sync or an import stores something newer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from kiosk.passes.issuers import IssuerKeys, load_crl, load_did_document, load_jwks
from kiosk.passes.trust_snapshot import IssuerDocument, Snapshot
from kiosk.store.audit import record_audit
from kiosk.store.database import Database
from kiosk.store.issuer_store import IssuerStore
from kiosk.store.meta import get_meta, set_meta
from kiosk.store.trust_store import TrustStore

BUNDLED = "bundled"
_ORIGIN_KEY = "trust_bundled_origin"


@dataclass(frozen=True, slots=True)
class TrustOrigin:
    """What the owner is told about the signer list as a whole (`trust list --json`, doctor)."""

    source: str  # "bundled", "upstream" (an upstream is configured), "import" (none is) or "missing"
    origin: str | None  # the upstream URL the list (or the bundled snapshot) came from
    updated_at: float | None
    age_seconds: float | None
    snapshot_source: str | None = None  # for "bundled": the snapshot's own source

    def describe(self) -> str:
        made = f" (snapshot source: {self.snapshot_source})" if self.snapshot_source else ""
        return self.source + made + (f" from {self.origin}" if self.origin else "")


def snapshot_of(db: Database, *, source: str, origin: str | None, made_at: float) -> Snapshot:
    issuers = tuple(IssuerDocument(*row) for row in IssuerStore(db).documents())
    return Snapshot(source, origin, made_at, tuple(TrustStore(db).certs()), issuers)


def is_empty(db: Database) -> bool:
    return len(TrustStore(db)) == 0 and not IssuerStore(db).list()


def import_snapshot(db: Database, snapshot: Snapshot, *, imported_at: float) -> None:
    """Store the snapshot's signers and issuers with source `bundled`, as of its own time."""
    made_at = min(snapshot.made_at, imported_at)  # a snapshot "from the future" is not fresher
    # Every document is read before anything is stored: an unreadable one keeps the list empty.
    parsed = [(doc, _issuer_keys(doc, made_at)) for doc in snapshot.issuers]
    issuers = IssuerStore(db)
    for doc, keys in parsed:
        issuers.put(keys, doc.document, doc.crls, source=BUNDLED, fetched_at=made_at, actor=BUNDLED)
    TrustStore(db).replace_all(snapshot.certs, made_at, allow_empty=True, actor=BUNDLED)
    record = {"source": snapshot.source, "origin": snapshot.origin, "made_at": made_at}
    with db.transaction() as conn:
        set_meta(conn, _ORIGIN_KEY, json.dumps(record))
        counts = {"certs": len(snapshot.certs), "issuers": len(snapshot.issuers)}
        record_audit(db, imported_at, BUNDLED, "trust.bundled", {**counts, "source": snapshot.source})


def _issuer_keys(doc: IssuerDocument, fetched_at: float) -> IssuerKeys:
    if doc.format == "did":
        return load_did_document(doc.document, doc.issuer, source=BUNDLED, fetched_at=fetched_at)
    crls = [load_crl(text, kid) for kid, text in doc.crls.items()]
    return load_jwks(doc.document, doc.issuer, crls, source=BUNDLED, fetched_at=fetched_at)


def bundled_origin(db: Database) -> str | None:
    """The upstream URL the imported package snapshot came from (None: unknown or none imported)."""
    raw = get_meta(db, _ORIGIN_KEY)
    return json.loads(raw).get("origin") if raw else None


def trust_origin(db: Database, now: float, upstream_url: str) -> TrustOrigin:
    store = TrustStore(db)
    updated = store.last_updated()
    if updated is None:
        return TrustOrigin("missing", None, None, None)
    age = max(0.0, now - updated)
    raw = get_meta(db, _ORIGIN_KEY)
    record = json.loads(raw) if raw else None
    if record is not None and record.get("made_at") == updated:
        return TrustOrigin(BUNDLED, record.get("origin"), updated, age, record.get("source"))
    # Something newer was stored since: with an upstream configured, its syncs keep the list.
    if upstream_url:
        return TrustOrigin("upstream", upstream_url, updated, age)
    return TrustOrigin("import", None, updated, age)
