from __future__ import annotations

import re

import pytest

from kiosk.owner.keys import (
    KeyUnwrapError,
    RecoveryCodeFormatError,
    WrapPurpose,
    create_wrapped_keys,
    new_recovery_code,
    normalize_recovery_code,
    unwrap_private_key,
    wrap_private_key,
)
from kiosk.store.sealing import generate_owner_keypair, seal, unseal
from tests.owner.support import FAST_SCRYPT, GOOD_PIN, OTHER_PIN


def test_recovery_code_is_24_base32_characters_in_groups() -> None:
    codes = {new_recovery_code() for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){5}", code)


def test_recovery_code_typing_is_forgiven() -> None:
    code = "ABCD-EFGH-IJKL-MNOP-QRST-UVWX"
    assert normalize_recovery_code("abcd efgh ijkl mnop qrst uvwx") == code
    assert normalize_recovery_code("ABCD-EFGH-1JKL-MN0P-QRST-UVWX") == code  # 1→I, 0→O


@pytest.mark.parametrize(
    "text", ["", "ABCD-EFGH", "ABCD-EFGH-IJKL-MNOP-QRST-UVW9", "ABCD-EFGH-IJKL-MNOP-QRST-UVWXY"]
)
def test_malformed_recovery_code_is_refused(text: str) -> None:
    with pytest.raises(RecoveryCodeFormatError):
        normalize_recovery_code(text)


def test_private_key_opens_with_pin_and_with_recovery_code_only() -> None:
    code = new_recovery_code()
    wrapped, pair = create_wrapped_keys(GOOD_PIN, code, FAST_SCRYPT)
    assert wrapped.public_key == pair.public_key
    assert pair.private_key not in wrapped.by_pin and pair.private_key not in wrapped.by_recovery
    assert unwrap_private_key(wrapped.by_pin, GOOD_PIN, WrapPurpose.PIN, pair.public_key) == pair.private_key
    assert (
        unwrap_private_key(wrapped.by_recovery, code, WrapPurpose.RECOVERY, pair.public_key)
        == pair.private_key
    )
    with pytest.raises(KeyUnwrapError):
        unwrap_private_key(wrapped.by_pin, OTHER_PIN, WrapPurpose.PIN, pair.public_key)
    with pytest.raises(KeyUnwrapError):  # a blob moved to the other slot does not open
        unwrap_private_key(wrapped.by_pin, GOOD_PIN, WrapPurpose.RECOVERY, pair.public_key)
    with pytest.raises(KeyUnwrapError):  # bound to its public key
        unwrap_private_key(wrapped.by_pin, GOOD_PIN, WrapPurpose.PIN, generate_owner_keypair().public_key)


def test_a_flipped_bit_is_detected() -> None:
    pair = generate_owner_keypair()
    blob = bytearray(wrap_private_key(pair.private_key, GOOD_PIN, WrapPurpose.PIN, FAST_SCRYPT))
    blob[-1] ^= 1
    with pytest.raises(KeyUnwrapError):
        unwrap_private_key(bytes(blob), GOOD_PIN, WrapPurpose.PIN, pair.public_key)


def test_unwrapped_key_opens_what_was_sealed_to_the_public_key() -> None:
    wrapped, _ = create_wrapped_keys(GOOD_PIN, new_recovery_code(), FAST_SCRYPT)
    sealed = seal(wrapped.public_key, b"secret")
    private = unwrap_private_key(wrapped.by_pin, GOOD_PIN, WrapPurpose.PIN, wrapped.public_key)
    assert unseal(private, sealed) == b"secret"


def test_a_wrapped_key_whose_scrypt_settings_are_too_costly_is_refused_unopened() -> None:
    """Byte 1-3 of the header are log2_n, r and p: a doctored file sets 20, 32 (4 GiB per try)."""
    pair = generate_owner_keypair()
    blob = bytearray(wrap_private_key(pair.private_key, GOOD_PIN, WrapPurpose.PIN, FAST_SCRYPT))
    blob[1], blob[2] = 20, 32
    with pytest.raises(KeyUnwrapError) as caught:
        unwrap_private_key(bytes(blob), GOOD_PIN, WrapPurpose.PIN, pair.public_key)
    assert caught.value.key == "owner.key.format"
