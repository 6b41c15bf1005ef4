"""A trust-list snapshot file: DCC signers and NZCP/SHC issuer documents, with where they came from.

`kiosk trust export-bundle` writes one; the package carries one so that a fresh install
can verify signed passes offline from its first start. The file is JSON:

    {"format": "venue-pass-kiosk-trust", "version": 1,
     "source": "upstream" | "simulator" | "import" | ..., "origin": "<upstream URL>" | null,
     "made_at": <unix seconds>,
     "certificates": [{"kid": b64, "country": "XA", "certificateType": "DSC", "rawData": b64 DER}],
     "issuers": [{"issuer": "did:web:...", "format": "did" | "jwks", "document": "...",
                  "crls": {"<kid>": "<revocation list JSON>"}}]}

`certificates` has the DGCA shape, so `kiosk trust import` reads the signers of a snapshot too.
A snapshot made while the simulator was the upstream is marked `simulator`: its signers
are throwaway keys that mint passes on request, so it is only ever used while the
simulator (a loopback URL) is the configured upstream.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kiosk.config_checks import is_loopback_url
from kiosk.errors import TrustError
from kiosk.passes.model import SignerCert
from kiosk.passes.trust_bundle import MAX_BUNDLE_BYTES, load_bundle

FORMAT = "venue-pass-kiosk-trust"
VERSION = 1
SIMULATOR = "simulator"


@dataclass(frozen=True, slots=True)
class IssuerDocument:
    issuer: str
    format: str  # "did" or "jwks"
    document: str
    crls: Mapping[str, str] = field(default_factory=dict)  # kid → revocation-list JSON


@dataclass(frozen=True, slots=True)
class Snapshot:
    source: str
    origin: str | None
    made_at: float
    certs: tuple[SignerCert, ...]
    issuers: tuple[IssuerDocument, ...]


def usable_with(snapshot: Snapshot, upstream_url: str) -> str | None:
    """Why `snapshot` must not be used with this upstream, or None when it may."""
    if snapshot.source == SIMULATOR and not is_loopback_url(upstream_url):
        return "it was made from the simulator and the configured upstream is not the simulator"
    return None


def dump_snapshot(snapshot: Snapshot) -> bytes:
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "source": snapshot.source,
        "origin": snapshot.origin,
        "made_at": snapshot.made_at,
        "certificates": [
            {
                "kid": base64.b64encode(cert.kid).decode(),
                "country": cert.country,
                "certificateType": "DSC",
                "rawData": base64.b64encode(cert.der).decode(),
            }
            for cert in snapshot.certs
        ],
        "issuers": [
            {"issuer": i.issuer, "format": i.format, "document": i.document, "crls": dict(i.crls)}
            for i in snapshot.issuers
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode() + b"\n"


def load_snapshot(data: bytes) -> Snapshot:
    """Raises TrustError when `data` is not a whole, readable snapshot: a package must not
    start with half a list it believes complete."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise TrustError("The trust snapshot is too large.")
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        raise TrustError("The trust snapshot is not valid JSON.") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise TrustError("Not a trust snapshot (made by `trust export-bundle`).")
    if doc.get("version") != VERSION:
        raise TrustError(f"Trust snapshot version {str(doc.get('version'))[:10]} is not supported.")
    source, origin, made_at = doc.get("source"), doc.get("origin"), doc.get("made_at")
    if not isinstance(source, str) or not source or not isinstance(made_at, int | float):
        raise TrustError("The trust snapshot has no source or no time.")
    if origin is not None and not isinstance(origin, str):
        raise TrustError("The trust snapshot's origin is not a URL.")
    certs: tuple[SignerCert, ...] = ()
    if doc.get("certificates"):
        bundle = load_bundle(json.dumps({"certificates": doc["certificates"]}))
        if bundle.refused:
            raise TrustError(f"Trust snapshot: certificate #{bundle.refused[0].index} is unreadable.")
        certs = bundle.certs
    return Snapshot(source, origin, float(made_at), certs, _issuers(doc.get("issuers") or []))


def _issuers(items: Sequence[Any]) -> tuple[IssuerDocument, ...]:
    out = []
    for n, item in enumerate(items, start=1):
        ok = (
            isinstance(item, dict)
            and isinstance(item.get("issuer"), str)
            and item.get("format") in ("did", "jwks")
            and isinstance(item.get("document"), str)
            and isinstance(item.get("crls", {}), dict)
            and all(isinstance(v, str) for v in item.get("crls", {}).values())
        )
        if not ok:
            raise TrustError(f"Trust snapshot: issuer #{n} is unreadable.")
        crls = dict(item.get("crls", {}))
        out.append(IssuerDocument(item["issuer"], item["format"], item["document"], crls))
    return tuple(out)
