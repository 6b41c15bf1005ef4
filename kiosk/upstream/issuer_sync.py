"""Downloads the NZCP/SHC issuer documents upstream mirrors and stores the valid ones.

Each issuer is validated on its own with the same loaders as `kiosk trust import`
(DID document, JWKS, revocation lists per kid) before anything is written; an entry
that does not validate is skipped with its reason and the issuer's previously stored
documents stay in force. Issuers upstream no longer lists are kept (an issuer that
drops out of one answer is more likely a broken answer than a withdrawn trust; the
owner removes issuers on purpose).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any, Protocol

from kiosk.clock import Clock
from kiosk.errors import TrustError
from kiosk.passes.issuers import IssuerKeys, load_crl, load_did_document, load_jwks

log = logging.getLogger(__name__)

MAX_ISSUERS = 1_000


class IssuerSource(Protocol):
    def trust_issuers(self, *, timeout_s: float = ...) -> list[dict[str, Any]]: ...


class IssuerSink(Protocol):
    """The part of `kiosk.store.issuer_store.IssuerStore` a sync writes to."""

    def put(self, keys: IssuerKeys, document: str, crls: dict[str, str] | None = None, *,
            source: str, fetched_at: float, actor: str = ...) -> None: ...


@dataclass(frozen=True, slots=True)
class IssuerSyncReport:
    stored: int
    skipped: tuple[tuple[str, str], ...]  # (issuer, why)

    def summary(self) -> str:
        line = f"issuers: {self.stored} stored"
        if self.skipped:
            line += f", {len(self.skipped)} unusable skipped"
        return line


def sync_issuers(source: IssuerSource, store: IssuerSink, clock: Clock, *, timeout_s: float = 10.0
                 ) -> IssuerSyncReport:
    items = source.trust_issuers(timeout_s=timeout_s)[:MAX_ISSUERS]
    fetched_at = clock.now()
    stored = 0
    skipped: list[tuple[str, str]] = []
    for item in items:
        issuer = item.get("issuer")
        name = issuer[:100] if isinstance(issuer, str) else "?"
        try:
            if not isinstance(issuer, str):
                raise TrustError("no issuer id")
            document = json.dumps(item.get("document"))
            crl_docs = item.get("crls") or {}
            if not isinstance(crl_docs, dict):
                raise TrustError("crls is not a map of kid to list")
            crls = {str(kid): json.dumps(doc) for kid, doc in crl_docs.items()}
            if item.get("format") == "did":
                keys = load_did_document(document, issuer, source="upstream", fetched_at=fetched_at)
            elif item.get("format") == "jwks":
                parsed = [load_crl(doc, kid) for kid, doc in crls.items()]
                keys = load_jwks(document, issuer, parsed, source="upstream", fetched_at=fetched_at)
            else:
                raise TrustError("unknown format")
        except TrustError as exc:
            log.warning("issuer sync: skipped an issuer (%s)", exc.message)
            skipped.append((name, exc.message))
            continue
        store.put(keys, document, crls, source="upstream", fetched_at=fetched_at, actor="sync")
        stored += 1
    return IssuerSyncReport(stored, tuple(skipped))
