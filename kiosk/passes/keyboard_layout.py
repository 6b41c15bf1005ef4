"""A pass typed by a keyboard-wedge scanner in the wrong keyboard mode, put back as it was meant.

A scanner types key codes, not characters: with the Korean input method on, the keys
of `HC1:` arrive as Dubeolsik jamo (`ㅗㅊ1:`), which the input method may even compose
into syllables; with Caps Lock on, the letters arrive in the other case (`hc1:`).
For the formats whose alphabet has one case only (`HC1:` base45, `NZCP:/` base32 and
`shc:/` digits) the keys, and so the pass, can be recovered; the result counts only
if it decodes as a pass of its format, so a text that merely looks alike is never
changed. Mixed-case texts (the base64url of a `KP1:` token) cannot be recovered:
Shift and Caps Lock leave no trace of which letter was which case.
"""

from __future__ import annotations

from kiosk.decision import PassKind
from kiosk.passes.classify import PREFIXES, classify
from kiosk.passes.decodes import whole_pass

# The Dubeolsik (KS X 5002) layout: each jamo and the QWERTY key that types it. Shift
# gives the five tense consonants and two vowels (upper case here); on other keys it
# types the same jamo as without.
KEY_OF_JAMO: dict[str, str] = {
    "ㅂ": "q", "ㅈ": "w", "ㄷ": "e", "ㄱ": "r", "ㅅ": "t", "ㅛ": "y", "ㅕ": "u", "ㅑ": "i", "ㅐ": "o",
    "ㅔ": "p", "ㅁ": "a", "ㄴ": "s", "ㅇ": "d", "ㄹ": "f", "ㅎ": "g", "ㅗ": "h", "ㅓ": "j", "ㅏ": "k",
    "ㅣ": "l", "ㅋ": "z", "ㅌ": "x", "ㅊ": "c", "ㅍ": "v", "ㅠ": "b", "ㅜ": "n", "ㅡ": "m",
    "ㅃ": "Q", "ㅉ": "W", "ㄸ": "E", "ㄲ": "R", "ㅆ": "T", "ㅒ": "O", "ㅖ": "P",
}
# Jamo the input method builds from two keys (a double final consonant, a compound vowel).
_COMPOUND: dict[str, str] = {
    "ㄳ": "ㄱㅅ", "ㄵ": "ㄴㅈ", "ㄶ": "ㄴㅎ", "ㄺ": "ㄹㄱ", "ㄻ": "ㄹㅁ", "ㄼ": "ㄹㅂ", "ㄽ": "ㄹㅅ",
    "ㄾ": "ㄹㅌ", "ㄿ": "ㄹㅍ", "ㅀ": "ㄹㅎ", "ㅄ": "ㅂㅅ", "ㅘ": "ㅗㅏ", "ㅙ": "ㅗㅐ", "ㅚ": "ㅗㅣ",
    "ㅝ": "ㅜㅓ", "ㅞ": "ㅜㅔ", "ㅟ": "ㅜㅣ", "ㅢ": "ㅡㅣ",
}
# A precomposed syllable is (initial * 21 + medial) * 28 + final from U+AC00 (Unicode 3.12).
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")
_SYLLABLES = range(0xAC00, 0xAC00 + 19 * 21 * 28)
# Conjoining jamo (U+1100 block), which some input methods send instead of the compatibility ones.
_CONJOINING = (
    {chr(0x1100 + i): j for i, j in enumerate(_INITIALS)}
    | {chr(0x1161 + i): j for i, j in enumerate(_MEDIALS)}
    | {chr(0x11A8 + i): j for i, j in enumerate(_FINALS[1:])}
)
# Only these formats survive a case change: their alphabets have one case.
_ONE_CASE = frozenset({PassKind.DCC, PassKind.NZCP, PassKind.SHC})


def jamo_of(char: str) -> str:
    """The single jamo (keys) a character was typed as; the character itself if not Hangul."""
    code = ord(char)
    if code in _SYLLABLES:
        index = code - _SYLLABLES.start
        initial, rest = divmod(index, 21 * 28)
        medial, final = divmod(rest, 28)
        return "".join(jamo_of(j) for j in (_INITIALS[initial], _MEDIALS[medial], _FINALS[final]) if j)
    jamo = _CONJOINING.get(char, char)
    return _COMPOUND.get(jamo, jamo)


def qwerty_keys(text: str) -> str:
    """`text` as the QWERTY keys that typed it under Dubeolsik (non-Hangul unchanged)."""
    return "".join(KEY_OF_JAMO.get(j, j) for char in text for j in jamo_of(char))


def is_hangul(char: str) -> bool:
    return ord(char) in _SYLLABLES or jamo_of(char) != char or char in KEY_OF_JAMO


def recovered(text: str) -> str:
    """The pass a wedge meant to type, if `text` is one typed in Korean mode or with Caps Lock;
    else `text` unchanged (also when it already classifies as a pass)."""
    if classify(text) is not PassKind.UNKNOWN:
        return text
    keys = qwerty_keys(text.strip()).upper()
    for candidate in (keys, "shc:/" + keys[5:] if keys.startswith("SHC:/") else ""):
        if classify(candidate) in _ONE_CASE and whole_pass(candidate):
            return candidate
    return text


def wrong_mode(text: str) -> bool:
    """Typed in the wrong keyboard mode (Hangul in the text, or a known prefix in the wrong
    case): what a scanner in Korean or Caps mode sends, and what staff can put right."""
    if any(is_hangul(c) for c in text):
        return True
    if classify(text) is not PassKind.UNKNOWN:
        return False
    head = text.strip().upper()
    return any(head.startswith(prefix.upper()) for prefix, _ in PREFIXES)
