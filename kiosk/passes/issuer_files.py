"""Reading an issuer's trust documents from disk: a web-root folder or a single file.

The `--trust-issuer ISSUER=PATH` contract (shared test-data README): PATH is a folder
laid out as the issuer's web root (`.well-known/did.json`, or `.well-known/jwks.json`
plus optional `.well-known/crl/<kid>.json`), or a single `did.json` / `jwks.json`.
Which one is read follows from the issuer: `did:web:` ids have DID documents, https
URLs have a JWKS.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.errors import TrustError
from kiosk.passes.issuers import MAX_DOCUMENT_BYTES, Crl, IssuerKeys, load_crl, load_did_document, load_jwks

_MAX_CRL_FILES = 1000


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise TrustError(f"{path.name} is larger than {MAX_DOCUMENT_BYTES // 1024} KiB.")
        return path.read_bytes()
    except OSError as exc:
        raise TrustError(f"cannot read {path.name}: {exc.strerror}") from None


def load_issuer_path(issuer: str, path: Path, *, fetched_at: float | None = None) -> IssuerKeys:
    """The trusted keys (and revocation lists) of `issuer` found at `path`."""
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
    if is_did:
        return load_did_document(_read(document), issuer, source=source, fetched_at=fetched_at)
    crls: list[Crl] = []
    crl_dir = document.parent / "crl"
    if path.is_dir() and crl_dir.is_dir():
        files = sorted(crl_dir.glob("*.json"))[: _MAX_CRL_FILES + 1]
        if len(files) > _MAX_CRL_FILES:
            raise TrustError(f"{crl_dir}: more than {_MAX_CRL_FILES} revocation lists")
        # The file name is the key's kid: a list inside that names another kid is refused.
        crls = [load_crl(_read(f), f.stem) for f in files]
    return load_jwks(_read(document), issuer, crls, source=source, fetched_at=fetched_at)
