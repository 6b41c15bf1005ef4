"""Identify a pass without keeping it: the hashes every layer speaks.

The raw pass text is never stored; visits, the screen's cooldown and the revocation
list all refer to a pass by these digests, so they live on the ground floor.
"""

from __future__ import annotations

import hashlib
import unicodedata


def _normalize(text: str) -> str:
    # Scanners and stdin add line ends; composed/decomposed Unicode must hash alike.
    return unicodedata.normalize("NFC", text).strip()


def text_bytes(text: str) -> bytes:
    """UTF-8 of any `str`, lone surrogates included, so hashing can never fail on a scan.

    Bytes that were not UTF-8 reach us as U+DC80..U+DCFF (`surrogateescape`, as stdin
    and argv decode them): those turn back into the exact bytes read. Any other lone
    surrogate (only a program can make one) is written as its 3-byte form.
    """
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def pass_hash(text: str) -> str:
    """SHA-256 hex of the normalized pass text: identifies a pass without keeping it."""
    return hashlib.sha256(text_bytes(_normalize(text))).hexdigest()


def uci_hash(uci: str) -> str:
    """SHA-256 hex of a unique certificate identifier, as used by the revocation list."""
    return hashlib.sha256(text_bytes(_normalize(uci))).hexdigest()
