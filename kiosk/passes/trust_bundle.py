"""Files holding many signer certificates: PEM bundles and DGCA-style JSON trust-list exports.

Each certificate is loaded on its own, so one unreadable entry is refused (by its
position in the file, never its subject) while the rest are still imported.

JSON forms read (as published by DGCA gateways and verifier apps):
- `{"certificates": [{"kid": b64, "country": "DE", "certificateType": "DSC", "rawData": b64 DER}, ...]}`
- the bare list of such entries;
- `{"<kid b64>": "<DER b64>", ...}` (what a verifier-service download loop saves).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import re
from dataclasses import dataclass
from typing import Any

from kiosk.errors import TrustError
from kiosk.passes.model import SignerCert
from kiosk.passes.signer import load_signer_cert

# A national trust list holds a few hundred certificates of ~1-2 KiB each; a few MiB is
# ample, and a cap keeps a wrong file (a video, a disk image) from being read whole.
MAX_BUNDLE_BYTES = 8 * 1024 * 1024
_PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Refusal:
    index: int  # 1-based position of the certificate in the file
    reason: str


@dataclass(frozen=True, slots=True)
class Bundle:
    certs: tuple[SignerCert, ...]
    refused: tuple[Refusal, ...]

    def summary(self) -> str:
        text = f"{len(self.certs)} certificate(s) imported"
        return text + (f", {len(self.refused)} refused" if self.refused else "")


def load_bundle(data: bytes | str) -> Bundle:
    """Every signer certificate in `data` (PEM bundle, JSON trust list, or one PEM/DER/base64).

    Raises TrustError only when the file as a whole cannot be read; a bad entry is a Refusal.
    """
    raw = data.encode("utf-8", "replace") if isinstance(data, str) else bytes(data)
    if len(raw) > MAX_BUNDLE_BYTES:
        raise TrustError(
            f"The file is too large for a trust list ({len(raw) // (1024 * 1024)} MiB; "
            f"at most {MAX_BUNDLE_BYTES // (1024 * 1024)} MiB)."
        )
    blocks = _PEM_BLOCK.findall(raw)
    if blocks:
        return _load_each([_Entry(None, block) for block in blocks])
    entries = _json_entries(raw)
    if entries is not None:
        return _load_each(entries)
    return Bundle((load_signer_cert(data),), ())


@dataclass(frozen=True, slots=True)
class _Entry:
    kid: bytes | None  # as the trust list names it; None = derived from the DER
    payload: bytes | str  # PEM block or base64 DER
    problem: str | None = None  # why the entry is refused before parsing


def _load_each(entries: list[_Entry]) -> Bundle:
    certs: list[SignerCert] = []
    refused: list[Refusal] = []
    for index, entry in enumerate(entries, start=1):
        kid = entry.kid
        try:
            if entry.problem is not None:
                raise TrustError(entry.problem)
            cert = load_signer_cert(entry.payload)
        except TrustError as exc:
            refused.append(Refusal(index, exc.message))
            continue
        if kid is not None and kid != cert.kid:
            # A trust list's kid is authoritative: gateways assign it (see TrustStore).
            cert = dataclasses.replace(cert, kid=kid)
        certs.append(cert)
    return Bundle(tuple(certs), tuple(refused))


def _json_entries(raw: bytes) -> list[_Entry] | None:
    """The entries of a JSON trust list, or None when `raw` is not JSON at all."""
    if raw.lstrip()[:1] not in (b"{", b"["):
        return None
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError):
        raise TrustError("The file looks like JSON but cannot be parsed.") from None
    if isinstance(doc, dict) and isinstance(doc.get("certificates"), list):
        items: list[Any] = doc["certificates"]
    elif isinstance(doc, list):
        items = doc
    elif isinstance(doc, dict) and doc and all(isinstance(v, str) for v in doc.values()):
        items = [{"kid": k, "rawData": v} for k, v in doc.items()]
    else:
        raise TrustError('Not a trust list: expected {"certificates": [...]}, a list, or {kid: DER}.')
    return [_json_entry(item) for item in items]


def _json_entry(item: Any) -> _Entry:
    if not isinstance(item, dict) or not isinstance(item.get("rawData"), str):
        return _Entry(None, b"", "The entry has no rawData (base64 DER) field.")
    kind = item.get("certificateType")
    if isinstance(kind, str) and kind.upper() not in ("DSC", ""):
        return _Entry(None, b"", f"Not a document signer certificate (certificateType {kind[:10]}).")
    return _Entry(_kid(item.get("kid")), item["rawData"])


def _kid(value: Any) -> bytes | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        kid = base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    return kid or None
