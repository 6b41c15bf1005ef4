from __future__ import annotations

import pytest

from kiosk.owner.pin import (
    PinPolicyError,
    ScryptParams,
    check_pin_policy,
    hash_secret,
    verify_secret,
)

FAST = ScryptParams(log2_n=10)


@pytest.mark.parametrize("pin", ["480317", "2718281828", "135792", "908172"])
def test_policy_accepts_ordinary_pins(pin: str) -> None:
    check_pin_policy(pin)


@pytest.mark.parametrize(
    ("pin", "key"),
    [
        ("12345", "owner.pin.too_short"),
        ("", "owner.pin.too_short"),
        ("1234567890123", "owner.pin.too_long"),
        ("12a456", "owner.pin.not_digits"),
        ("١٢٣٤٥٦٧", "owner.pin.not_digits"),  # Arabic-Indic digits pass str.isdigit()
        ("000000", "owner.pin.trivial"),
        ("123456", "owner.pin.trivial"),
        ("987654", "owner.pin.trivial"),
        ("3456789", "owner.pin.trivial"),
        ("121212", "owner.pin.trivial"),
        ("123123", "owner.pin.trivial"),
        ("112233", "owner.pin.trivial"),
    ],
)
def test_policy_rejects_with_a_message_key(pin: str, key: str) -> None:
    with pytest.raises(PinPolicyError) as info:
        check_pin_policy(pin)
    assert info.value.key == key
    if pin:
        assert pin not in info.value.message


def test_hash_carries_salt_and_parameters_and_verifies() -> None:
    encoded = hash_secret("480317", FAST)
    scheme, log2_n, r, p, _salt, _digest = encoded.split("$")
    assert (scheme, log2_n, r, p) == ("scrypt", "10", "8", "1")
    assert "480317" not in encoded
    assert verify_secret("480317", encoded)
    assert not verify_secret("480318", encoded)
    assert hash_secret("480317", FAST) != encoded  # a fresh salt every time


@pytest.mark.parametrize(
    "stored",
    ["", "plain", "scrypt$10$8$1$!!$!!", "bcrypt$10$8$1$AAAA$AAAA", "scrypt$40$8$1$AAAA$AAAA"],
)
def test_malformed_or_hostile_hash_never_verifies(stored: str) -> None:
    assert not verify_secret("480317", stored)


@pytest.mark.parametrize(
    ("log2_n", "r", "p", "allowed"),
    [
        (14, 8, 1, True),  # the default
        (17, 16, 1, True),  # 256 MiB, 16 times the default work: the most allowed
        (18, 16, 1, False),  # 512 MiB
        (20, 32, 1, False),  # 4 GiB, within the old per-field bounds
        (14, 8, 16, True),
        (14, 8, 17, False),
        (15, 8, 16, False),  # 32 times the default work
        (0, 8, 1, False),
    ],
)
def test_scrypt_settings_from_a_stored_hash_are_bounded(log2_n: int, r: int, p: int, allowed: bool) -> None:
    assert ScryptParams(log2_n, r, p).within_limits() is allowed


def test_a_stored_hash_whose_settings_are_too_costly_is_not_computed() -> None:
    salt_and_digest = hash_secret("480317", FAST).split("$", 4)[4]
    assert not verify_secret("480317", f"scrypt$20$32$1${salt_and_digest}")
