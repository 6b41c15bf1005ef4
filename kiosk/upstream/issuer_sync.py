"""Downloads the NZCP/SHC issuer documents upstream mirrors and stores the valid ones.

Each issuer is validated on its own with the same loaders as `kiosk trust import`
(DID document, JWKS, revocation lists per kid) before anything is written; an entry
that does not validate is skipped with its reason and the issuer's previously stored
documents stay in force. Issuers upstream no longer lists are kept (an issuer that
drops out of one answer is more likely a broken answer than a withdrawn trust; the
owner removes issuers on purpose).

Conditional sync (as for the DCC trust status): the list's ETag goes back as
If-None-Match and an unchanged list costs a bodiless 304, after which the stored
upstream entries count as fresh again. The ETag is kept only when every entry of the
answer was stored: an ETag kept after a skipped entry would make each later sync a
304 that never retries it, for as long as upstream's list stays the same.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, cast

from kiosk.clock import Clock
from kiosk.errors import TrustError
from kiosk.passes.issuers import IssuerKeys, load_crl, load_did_document, load_jwks

if TYPE_CHECKING:
    from kiosk.upstream.client import IssuerList

log = logging.getLogger(__name__)

MAX_ISSUERS = 1_000


class IssuerSource(Protocol):
    def trust_issuers(self, *, timeout_s: float = ...) -> list[dict[str, Any]]: ...


class ConditionalIssuerSource(IssuerSource, Protocol):
    def trust_issuers_if_changed(self, etag: str | None, *, timeout_s: float = ...) -> IssuerList | None: ...


class IssuerSink(Protocol):
    """The part of `kiosk.store.issuer_store.IssuerStore` a sync writes to."""

    def put(self, keys: IssuerKeys, document: str, crls: dict[str, str] | None = None, *,
            source: str, fetched_at: float, actor: str = ...) -> None: ...

    def list_etag(self) -> str | None: ...

    def set_list_etag(self, etag: str | None) -> None: ...

    def mark_synced(self, synced_at: float) -> None: ...

    def mark_current(self, checked_at: float) -> int: ...


@dataclass(frozen=True, slots=True)
class IssuerSyncReport:
    stored: int  # entries stored by this sync (unchanged: upstream entries confirmed current)
    skipped: tuple[tuple[str, str], ...]  # (issuer, why)
    unchanged: bool = False  # upstream answered 304: nothing was downloaded

    def summary(self) -> str:
        if self.unchanged:
            return f"issuers: unchanged upstream, {self.stored} current"
        line = f"issuers: {self.stored} stored"
        if self.skipped:
            line += f", {len(self.skipped)} unusable skipped"
        return line


def sync_issuers(source: IssuerSource, store: IssuerSink, clock: Clock, *, timeout_s: float = 10.0,
                 conditional: bool = False) -> IssuerSyncReport:
    """Store upstream's issuers; raises UpstreamFailure (nothing stored then).

    `conditional` (the source must have `trust_issuers_if_changed`): send the stored
    ETag, and on a 304 only mark the stored entries current.
    """
    etag: str | None = None
    if conditional:
        answer = cast(ConditionalIssuerSource, source).trust_issuers_if_changed(
            store.list_etag(), timeout_s=timeout_s
        )
        if answer is None:
            return IssuerSyncReport(store.mark_current(clock.now()), (), unchanged=True)
        listed, etag = list(answer.items), answer.etag
    else:
        listed = source.trust_issuers(timeout_s=timeout_s)
    items = listed[:MAX_ISSUERS]
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
    complete = not skipped and len(listed) <= MAX_ISSUERS
    # `put` already dropped any older ETag; an incomplete answer leaves none, so the next
    # sync downloads again instead of being told "unchanged" about what it could not use.
    store.set_list_etag(etag if complete else None)
    store.mark_synced(fetched_at)
    return IssuerSyncReport(stored, tuple(skipped))
