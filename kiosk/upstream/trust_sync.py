"""Downloads the signer trust list (EU DGCA protocol) and swaps it in atomically.

Status first (the kids upstream publishes), then the update stream one certificate
at a time with X-RESUME-TOKEN until 204; the client has checked upstream's signature
on the status and on each certificate (list_signature.py) before they get here.
Everything is collected before anything is written, so a sync that dies half-way
leaves the previous list in force: an outage during a sync must never leave the
kiosk unable to verify offline.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from kiosk.clock import Clock
from kiosk.errors import KioskError, TrustError
from kiosk.passes.model import SignerCert
from kiosk.passes.signer import load_signer_cert
from kiosk.upstream.client import TrustDelta, TrustStatus, TrustUpdate

log = logging.getLogger(__name__)

# Real lists hold a few thousand certificates; far more means a server that never ends.
MAX_CERTIFICATES = 50_000


class TrustSyncError(KioskError):
    key = "trust.sync_failed"


class TrustSource(Protocol):
    def trust_status(self, *, timeout_s: float = ...) -> list[str]: ...

    def trust_update(self, resume_token: str | None, *, timeout_s: float = ...) -> TrustUpdate | None: ...


class ConditionalTrustSource(TrustSource, Protocol):
    def trust_status_if_changed(self, etag: str | None, *, timeout_s: float = ...) -> TrustStatus | None: ...


class DeltaTrustSource(Protocol):
    def trust_delta(
        self, after: str | None, etag: str | None, *, timeout_s: float = ...
    ) -> TrustDelta | None: ...


class TrustSink(Protocol):
    """The part of `kiosk.store.trust_store.TrustStore` a sync writes to."""

    def replace_all(self, certs: Sequence[SignerCert], fetched_at: float) -> int: ...

    def last_updated(self) -> float | None: ...


class CheckedTrustSink(TrustSink, Protocol):
    def kid_hexes(self) -> frozenset[str]: ...

    def mark_current(self, checked_at: float) -> None: ...


class DeltaTrustSink(CheckedTrustSink, Protocol):
    def apply_delta(
        self, added: Sequence[SignerCert], listed_kid_hexes: frozenset[str], fetched_at: float
    ) -> int: ...

    def resume_token(self) -> str | None: ...

    def set_resume_token(self, token: str | None) -> None: ...


@dataclass(frozen=True, slots=True)
class SkippedCert:
    kid: str  # as upstream labelled it (base64); a kid is public, not personal data
    reason: str


@dataclass(frozen=True, slots=True)
class SyncReport:
    stored: int  # certificates now in the trust list
    skipped: tuple[SkippedCert, ...]  # published but unusable (malformed certificate or kid)
    listed: int  # kids in upstream's status list
    missing_kids: tuple[str, ...]  # listed in status but never delivered by the update stream
    fetched_at: float  # wall time of this sync: the trust-list age is measured from here
    previous_age_s: float | None  # age of the list this sync replaced (None: there was none)
    unchanged: bool = False  # upstream's list was the stored one: nothing was downloaded but the status
    etag: str | None = None  # the status ETag, for the next conditional sync
    resume_token: str | None = None  # the update stream's token of the newest certificate delivered


def sync_trust_list_if_changed(
    client: ConditionalTrustSource,
    trust_store: CheckedTrustSink,
    clock: Clock,
    *,
    etag: str | None,
    timeout_s: float = 10.0,
) -> SyncReport:
    """Like `sync_trust_list`, but an unchanged list costs one small request, not 2 + n.

    The status is asked with If-None-Match (a 304 when upstream's list is the one we
    saw last), and when it did change, its kids are compared with the stored ones
    first (the DGCA clients' own shortcut): the update stream is downloaded only when
    a kid was added or withdrawn. Either way the stored list counts as fresh again.
    """
    previous = trust_store.last_updated()
    status = client.trust_status_if_changed(etag, timeout_s=timeout_s)
    stored = trust_store.kid_hexes()
    if not stored or (status is not None and _kid_hexes(status.kids) != stored):
        # A 304 with nothing stored (a list emptied behind our back) is no reason to keep
        # nothing: then the status is asked again, without a condition.
        listed = None if status is None else status.kids
        report = sync_trust_list(client, trust_store, clock, timeout_s=timeout_s, listed=listed)
        return dataclasses.replace(report, etag=None if status is None else status.etag)
    fetched_at = clock.now()
    trust_store.mark_current(fetched_at)
    return SyncReport(
        stored=len(stored),
        skipped=(),
        listed=len(stored) if status is None else len(status.kids),
        missing_kids=(),
        fetched_at=fetched_at,
        previous_age_s=None if previous is None else max(0.0, fetched_at - previous),
        unchanged=True,
        etag=etag if status is None else status.etag,
    )


def sync_trust_delta(
    client: DeltaTrustSource,
    trust_store: DeltaTrustSink,
    clock: Clock,
    *,
    etag: str | None,
    timeout_s: float = 10.0,
) -> SyncReport:
    """The trust list in one request (the delta extension, docs/upstream-api.md): only the
    certificates published after the stored resume token are downloaded, withdrawn kids go.
    Without a stored token the delta is the whole list. On any exception nothing changes."""
    previous = trust_store.last_updated()
    token = trust_store.resume_token()
    delta = client.trust_delta(token if trust_store.kid_hexes() else None, etag, timeout_s=timeout_s)
    fetched_at = clock.now()
    if delta is None:
        trust_store.mark_current(fetched_at)
        stored = len(trust_store.kid_hexes())
        age = None if previous is None else max(0.0, fetched_at - previous)
        return SyncReport(
            stored, (), stored, (), fetched_at, age, unchanged=True, etag=etag, resume_token=token
        )
    listed = _kid_hexes(delta.kids)
    if listed is None:
        raise TrustSyncError("trust delta: a listed kid is malformed; the previous list stays in force")
    certs: list[SignerCert] = []
    skipped: list[SkippedCert] = []
    for update in delta.certificates:
        cert, problem = _parse(update)
        if cert is None:
            skipped.append(SkippedCert(update.kid, problem))
            log.warning("trust list: skipped certificate kid=%s (%s)", update.kid, problem)
        elif cert.kid.hex() in listed:
            certs.append(cert)
    if listed and not certs and not (trust_store.kid_hexes() & listed):
        raise TrustSyncError("upstream sent no usable certificate; the previous trust list stays in force")
    stored = trust_store.apply_delta(certs, listed, fetched_at)
    trust_store.set_resume_token(delta.token)
    have = trust_store.kid_hexes()
    missing = tuple(sorted(k for k in delta.kids if base64.b64decode(k).hex() not in have))
    return SyncReport(
        stored=stored,
        skipped=tuple(skipped),
        listed=len(delta.kids),
        missing_kids=missing,
        fetched_at=fetched_at,
        previous_age_s=None if previous is None else max(0.0, fetched_at - previous),
        etag=delta.etag,
        resume_token=delta.token,
    )


def _kid_hexes(kids: Sequence[str]) -> frozenset[str] | None:
    try:
        return frozenset(base64.b64decode(k, validate=True).hex() for k in kids)
    except (binascii.Error, ValueError):
        return None  # a malformed kid: let the full sync sort it out


def sync_trust_list(
    client: TrustSource,
    trust_store: TrustSink,
    clock: Clock,
    *,
    timeout_s: float = 10.0,
    listed: Sequence[str] | None = None,
) -> SyncReport:
    """Replace the stored trust list with upstream's; raises UpstreamFailure or TrustSyncError.

    `listed`: the status (kids) when the caller already asked for it. On any exception
    the stored list is untouched.
    """
    previous = trust_store.last_updated()
    if listed is None:
        listed = client.trust_status(timeout_s=timeout_s)
    current = frozenset(listed)
    certs: list[SignerCert] = []
    skipped: list[SkippedCert] = []
    delivered: set[str] = set()
    seen_tokens: set[str] = set()
    token: str | None = None
    while True:
        update = client.trust_update(token, timeout_s=timeout_s)
        if update is None:
            break
        if update.resume_token in seen_tokens or len(seen_tokens) >= MAX_CERTIFICATES:
            # A token that does not advance would make this loop run forever.
            raise TrustSyncError("trust list download did not advance; the previous list stays in force")
        seen_tokens.add(update.resume_token or "")
        token = update.resume_token
        delivered.add(update.kid)
        # The signed status is upstream's word on which signers are current: an entry
        # it does not list (an old, withdrawn one replayed with its signature) is not taken.
        cert, problem = (None, "not in upstream's status list")
        if update.kid in current:
            cert, problem = _parse(update)
        if cert is None:
            skipped.append(SkippedCert(update.kid, problem))
            log.warning("trust list: skipped certificate kid=%s (%s)", update.kid, problem)
        else:
            certs.append(cert)
    if not certs and (listed or skipped):
        # Publishing kids but no usable certificate is a broken upstream, not a real empty
        # list: replacing would leave the kiosk unable to verify anything offline.
        raise TrustSyncError("upstream sent no usable certificate; the previous trust list stays in force")
    fetched_at = clock.now()
    trust_store.replace_all(certs, fetched_at)
    missing = tuple(sorted(set(listed) - delivered))
    return SyncReport(
        stored=len(certs),
        skipped=tuple(skipped),
        listed=len(listed),
        missing_kids=missing,
        fetched_at=fetched_at,
        previous_age_s=None if previous is None else max(0.0, fetched_at - previous),
        resume_token=token,
    )


def _parse(update: TrustUpdate) -> tuple[SignerCert | None, str]:
    try:
        der = base64.b64decode(update.raw, validate=True)
    except (binascii.Error, ValueError):
        return None, "not base64"
    try:
        cert = load_signer_cert(der)
    except TrustError:
        return None, "not a certificate"
    try:
        labelled = base64.b64decode(update.kid, validate=True)
    except (binascii.Error, ValueError):
        return None, "malformed kid"
    if not labelled:
        return None, "malformed kid"
    if labelled != cert.kid:
        # Passes name their signer by the list's kid, and some gateways assign kids that
        # are not the DER hash: keep theirs (the kid is only a lookup hint; the
        # signature is still checked against the key).
        log.info("trust list: kid %s differs from the certificate hash; using the list's", update.kid)
        cert = dataclasses.replace(cert, kid=labelled)
    return cert, ""
