"""Passes typed by a keyboard-wedge scanner in Korean (Dubeolsik) mode or with Caps Lock, put back.

The Korean input method is simulated here (a real one was not available to test):
`typed_in_korean` gives the jamo each key types, and `composed` builds syllables from
them the way the input method does for a consonant followed by a vowel.
"""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.passes.decodes import incomplete_pass, whole_pass
from kiosk.passes.issue import issue_dcc
from kiosk.passes.keyboard_layout import KEY_OF_JAMO, qwerty_keys, recovered, wrong_mode
from kiosk.passes.nzcp_issue import issue_nzcp
from kiosk.passes.nzcp_issue import new_key as nzcp_key
from kiosk.passes.shc_issue import card_payload, immunization, patient, qr_texts, sign_card
from kiosk.passes.shc_issue import new_key as shc_key
from tests.passes.conftest import HCERT_V, T0

BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_JAMO_OF_KEY = {key: jamo for jamo, key in KEY_OF_JAMO.items()}
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")


def typed_in_korean(text: str) -> str:
    """What each key of `text` types with the Korean input method on (Shift as the scanner sends it)."""
    return "".join(_JAMO_OF_KEY.get(c) or _JAMO_OF_KEY.get(c.lower(), c) for c in text)


def composed(jamo: str) -> str:
    """Consonant + vowel (+ a final consonant not followed by a vowel) as one syllable."""
    out, i = [], 0
    while i < len(jamo):
        c = jamo[i]
        if c in _INITIALS and i + 1 < len(jamo) and jamo[i + 1] in _MEDIALS:
            final, step = "", 2
            nxt = jamo[i + 2] if i + 2 < len(jamo) else ""
            after = jamo[i + 3] if i + 3 < len(jamo) else ""
            if nxt and nxt in _FINALS[1:] and not (after and after in _MEDIALS):
                final, step = nxt, 3
            index = (_INITIALS.index(c) * 21 + _MEDIALS.index(jamo[i + 1])) * 28 + _FINALS.index(final)
            out.append(chr(0xAC00 + index))
            i += step
        else:
            out.append(c)
            i += 1
    return "".join(out)


@pytest.fixture(scope="module")
def dcc() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return issue_dcc(
        HCERT_V, private_key=key, kid=b"12345678", issuer="DE", issued_at=T0, expires_at=T0 + 1e7
    )


@pytest.fixture(scope="module")
def nzcp() -> str:
    iss = "did:web:nzcp.example.nz"
    return issue_nzcp(nzcp_key(), iss=iss, kid="key-1", nbf=int(T0), exp=int(T0) + 10_000_000)


@pytest.fixture(scope="module")
def shc() -> str:
    key, kid = shc_key()
    claims = card_payload("https://shc.example.org", T0, [patient(), immunization("208", "2023-09-01")])
    return qr_texts(sign_card(claims, key, kid))[0]


def test_every_base45_key_typed_in_korean_maps_back() -> None:
    for char in BASE45:
        typed = typed_in_korean(char)
        assert qwerty_keys(typed).upper() == char, (char, typed)
    # The whole alphabet in one go, composed into syllables where the input method would.
    typed = composed(typed_in_korean(BASE45 * 2))
    assert any(0xAC00 <= ord(c) <= 0xD7A3 for c in typed)
    assert qwerty_keys(typed).upper() == BASE45 * 2


def test_every_jamo_and_every_syllable_maps_to_keys_that_type_it_again() -> None:
    for jamo, key in KEY_OF_JAMO.items():
        assert qwerty_keys(jamo) == key
        assert typed_in_korean(key) == jamo
    for code in range(0xAC00, 0xD7A4):
        keys = qwerty_keys(chr(code))
        assert keys.isascii() and keys.isalpha() and 2 <= len(keys) <= 5
        medial, final = divmod((code - 0xAC00) % (21 * 28), 28)
        if _MEDIALS[medial] in _JAMO_OF_KEY.values() and _FINALS[final] in ("", *_JAMO_OF_KEY.values()):
            assert composed(typed_in_korean(keys)) == chr(code)  # the input method's syllable again
    assert qwerty_keys("뷁") == "qnpfr"  # ㅂ ㅞ(ㅜㅔ) ㄺ(ㄹㄱ)
    assert qwerty_keys("\u1112\u1169") == "gh"  # conjoining jamo, as some input methods send them


@pytest.mark.parametrize("fmt", ["dcc", "nzcp", "shc"])
def test_a_pass_typed_in_korean_mode_or_with_caps_lock_is_put_back(
    fmt: str, request: pytest.FixtureRequest
) -> None:
    text: str = request.getfixturevalue(fmt)
    assert whole_pass(text)
    korean = composed(typed_in_korean(text))
    assert korean != text and wrong_mode(korean)
    assert recovered(korean) == text
    caps = text.swapcase()
    assert recovered(caps) == text
    assert recovered(text) == text


def test_the_mapping_counts_only_when_the_result_decodes(dcc: str) -> None:
    broken = dcc[:-40].lower()  # a Caps Lock DCC cut short: not a pass after the mapping either
    assert recovered(broken) == broken
    assert wrong_mode(broken)
    assert recovered("hello world, a menu") == "hello world, a menu"
    assert not wrong_mode("https://menu.example/today")


def test_a_token_cannot_be_recovered_and_says_so() -> None:
    token = "KP1:Ab3_x-Yz0qWeRtYuIoPaSdFgHjKlZxCv"
    for typed in (typed_in_korean(token), token.swapcase(), token.lower()):
        assert recovered(typed) == typed
        assert wrong_mode(typed)
    assert not wrong_mode(token)


def test_the_start_of_a_pass_is_incomplete_and_the_whole_pass_is_not(dcc: str) -> None:
    assert incomplete_pass(dcc[:200]) and incomplete_pass("HC") and incomplete_pass("KP1:")
    assert not incomplete_pass(dcc) and whole_pass(dcc)
    assert not incomplete_pass("https://menu.example") and not incomplete_pass("")
    assert whole_pass("KP1:abc") and not whole_pass("KP1:a b")
