"""Masking holder names for the screen and the visit log: enough for staff to match a
face to a pass, too little to identify someone from a leaked log.

Korean (and other CJK) names, written without spaces, keep the family name and the
last syllable: 홍길동 → 홍*동, 김철 → 김*, 남궁민수 → 남궁*수. Latin-script names keep
the family name's first and last letter and the given name's initial:
Mustermann, Max → M********n M.

Only letters are ever kept: whoever made the pass chose every character of the name, so a
kept digit or symbol could carry a formula or markup to the screen, the log and exports.
A CJK family name is kept whole only when it is nothing but CJK letters (`=9*9+홍` is not).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

_STAR = "*"
# Separators kept as they are, so "Musterfrau-Gößinger" stays recognisably two parts.
# Apostrophes are not separators: "O'Brien" is one word, not "O" and "Brien".
_SEPARATORS = re.compile(r"([\s\-‐‑]+)")
# ICAO 9303 transliterations (fnt/gnt) use "<" for spaces and hyphens.
_ICAO_FILLER = "<"


def mask_holder(nam: Mapping[str, object] | None) -> str | None:
    """Mask the hcert `nam` ({fn, gn, fnt, gnt}); None when it holds no usable name."""
    if not isinstance(nam, Mapping):
        return None
    family = _part(nam, "fn", "fnt")
    given = _part(nam, "gn", "gnt")
    if family is None and given is None:
        return None
    if family is not None and given is not None and _only_cjk(family) and _is_cjk(given):
        return family + _mask_given_cjk(given)
    pieces = []
    if family is not None:
        pieces.append(_mask_cjk(family) if _is_cjk(family) else _mask_words(family))
    if given is not None:
        pieces.append(_mask_cjk(given) if _is_cjk(given) else _initials(given))
    return " ".join(pieces)


def mask_text(name: str) -> str:
    """Mask a free-text name (e.g. as sent by upstream), whose word order is unknown."""
    text = _clean(name)
    if not text:
        return ""
    if _is_cjk(text):
        return _mask_cjk(text)
    return _mask_words(text)


# --- internals ---


def _part(nam: Mapping[str, object], primary: str, transliterated: str) -> str | None:
    for key in (primary, transliterated):
        value = nam.get(key)
        if isinstance(value, str):
            text = _clean(value.replace(_ICAO_FILLER, " ") if key == transliterated else value)
            if text:
                return text
    return None


def _clean(text: str) -> str:
    if text.isascii() and text.isprintable():
        # Already NFC and free of control characters: only the spaces to tidy (most names).
        return " ".join(text.split())
    # NFC first, so "é" typed as e + combining accent is one character, like its precomposed form.
    text = unicodedata.normalize("NFC", text)
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C")  # control, format, unassigned
    return " ".join(text.split())


def _clusters(word: str) -> list[str]:
    """Characters with their combining marks attached (what a reader sees as one letter)."""
    out: list[str] = []
    for char in word:
        if out and unicodedata.combining(char):
            out[-1] += char
        else:
            out.append(char)
    return out


def _is_cjk(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(_cjk_char(c) for c in letters)


@lru_cache(maxsize=4096)
def _cjk_char(char: str) -> bool:
    # Cached per character (a few thousand at most): looking up a character's Unicode name
    # for every letter of every name was most of a scan's masking time.
    name = unicodedata.name(char, "")
    return name.startswith(("HANGUL", "CJK", "HIRAGANA", "KATAKANA"))


def _only_cjk(text: str) -> bool:
    """CJK letters (with their marks) and nothing else: a name that may be shown whole."""
    return all((c.isalpha() and _cjk_char(c)) or unicodedata.combining(c) for c in text.replace(" ", ""))


def _kept(cluster: str) -> str:
    """A character the mask shows, or a star when it is no letter."""
    return cluster if cluster[0].isalpha() else _STAR


def _mask_cjk(text: str) -> str:
    """A whole CJK name whose family/given split is unknown."""
    chars = _clusters(text.replace(" ", ""))
    n = len(chars)
    if n <= 1:
        return _STAR
    if n == 2:
        return _kept(chars[0]) + _STAR
    if n == 4:
        # Four-syllable Korean names are nearly always a two-syllable family name
        # (남궁, 선우, 황보 ...) and a two-syllable given name.
        return _kept(chars[0]) + _kept(chars[1]) + _STAR + _kept(chars[3])
    return _kept(chars[0]) + _STAR * (n - 2) + _kept(chars[-1])


def _mask_given_cjk(given: str) -> str:
    chars = _clusters(given.replace(" ", ""))
    if len(chars) <= 1:
        return _STAR
    return _STAR * (len(chars) - 1) + _kept(chars[-1])


def _mask_word(word: str) -> str:
    chars = _clusters(word)
    if len(chars) <= 1:
        return _STAR
    if len(chars) == 2:
        return _kept(chars[0]) + _STAR
    return _kept(chars[0]) + _STAR * (len(chars) - 2) + _kept(chars[-1])


def _mask_words(text: str) -> str:
    return "".join(piece if _SEPARATORS.fullmatch(piece) else _mask_word(piece) for piece in _split(text))


def _initials(text: str) -> str:
    out = []
    for piece in _split(text):
        if _SEPARATORS.fullmatch(piece):
            out.append("-" if "-" in piece or "‐" in piece or "‑" in piece else " ")
        else:
            out.append(_kept(_clusters(piece)[0]) + ".")
    return "".join(out)


def _split(text: str) -> list[str]:
    return [p for p in _SEPARATORS.split(text) if p]
