"""Reading an issuer's trust documents from disk: a web-root folder or a single file.

The `--trust-issuer ISSUER=PATH` contract (shared test-data README): PATH is a folder
laid out as the issuer's web root (`.well-known/did.json`, or `.well-known/jwks.json`
plus optional `.well-known/crl/<kid>.json`), or a single `did.json` / `jwks.json`.
Which one is read follows from the issuer: `did:web:` ids have DID documents, https
URLs have a JWKS.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import TrustError
from kiosk.passes.issuers import MAX_DOCUMENT_BYTES, IssuerKeys, load_crl, load_did_document, load_jwks

_MAX_CRL_FILES = 1000


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise TrustError(f"{path.name} is larger than {MAX_DOCUMENT_BYTES // 1024} KiB.")
        return path.read_bytes()
    except OSError as exc:
        raise TrustError(f"cannot read {path.name}: {exc.strerror}") from None


@dataclass(frozen=True, slots=True)
class IssuerDocuments:
    """What was read for one issuer: its parsed keys and the documents as they are on disk."""

    keys: IssuerKeys
    document: str
    crls: Mapping[str, str]  # kid → revocation-list JSON


def read_issuer_documents(issuer: str, path: Path, *, fetched_at: float | None = None) -> IssuerDocuments:
    """The trusted keys (and revocation lists) of `issuer` found at `path`, with their documents."""
    if not path.exists():
        raise TrustError(f"{path}: no such file or folder")
    is_did = issuer.startswith("did:")
    if path.is_dir():
        well_known = path / ".well-known"
        document = well_known / ("did.json" if is_did else "jwks.json")
        if not document.is_file():
            raise TrustError(f"{path}: no .well-known/{document.name} for {issuer[:80]}")
    else:
        document = path
    source = f"file:{path.name}"
    text = _read(document).decode("utf-8", "replace")
    if is_did:
        keys = load_did_document(text, issuer, source=source, fetched_at=fetched_at)
        return IssuerDocuments(keys, text, {})
    crl_texts: dict[str, str] = {}
    crl_dir = document.parent / "crl"
    if path.is_dir() and crl_dir.is_dir():
        files = sorted(crl_dir.glob("*.json"))[: _MAX_CRL_FILES + 1]
        if len(files) > _MAX_CRL_FILES:
            raise TrustError(f"{crl_dir}: more than {_MAX_CRL_FILES} revocation lists")
        crl_texts = {f.stem: _read(f).decode("utf-8", "replace") for f in files}
    # The file name is the key's kid: a list inside that names another kid is refused.
    crls = [load_crl(doc, kid) for kid, doc in crl_texts.items()]
    keys = load_jwks(text, issuer, crls, source=source, fetched_at=fetched_at)
    return IssuerDocuments(keys, text, crl_texts)


def load_issuer_path(issuer: str, path: Path, *, fetched_at: float | None = None) -> IssuerKeys:
    """The trusted keys (and revocation lists) of `issuer` found at `path`."""
    return read_issuer_documents(issuer, path, fetched_at=fetched_at).keys


def issuer_of_document(path: Path) -> str | None:
    """The issuer a lone document names itself (a DID document's `id`), else None."""
    if path.is_dir():
        return None
    try:
        doc = json.loads(_read(path))
    except (ValueError, TrustError):
        return None
    issuer = doc.get("id") if isinstance(doc, dict) else None
    return issuer if isinstance(issuer, str) and issuer.startswith("did:web:") else None
