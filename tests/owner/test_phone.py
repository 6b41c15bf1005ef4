from __future__ import annotations

import pytest

from kiosk.owner.phone import PhoneNumberError, format_as_typed, normalize_korean_mobile


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("01012345678", "010-1234-5678"),
        ("010-1234-5678", "010-1234-5678"),
        ("010 1234 5678", "010-1234-5678"),
        ("+82 10-1234-5678", "010-1234-5678"),
        ("0111234567", "011-123-4567"),
        ("016-1234-5678", "016-1234-5678"),
        ("019-123-4567", "019-123-4567"),
    ],
)
def test_korean_mobile_numbers_are_normalised(typed: str, normal: str) -> None:
    assert normalize_korean_mobile(typed) == normal


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "0101234567",
        "010123456789",
        "012-1234-5678",
        "02-123-4567",
        "01512345678",
        "010-1234-567a",
        "０１０１２３４５６７８",
    ],
)
def test_other_numbers_are_refused_without_echoing_them(typed: str) -> None:
    with pytest.raises(PhoneNumberError) as info:
        normalize_korean_mobile(typed)
    if len(typed) > 3:
        assert typed not in info.value.message


def test_formatting_while_typing() -> None:
    steps = [format_as_typed("01012345678"[:n]) for n in range(1, 12)]
    assert steps == [
        "0",
        "01",
        "010",
        "010-1",
        "010-12",
        "010-123",
        "010-1234",
        "010-1234-5",
        "010-1234-56",
        "010-1234-567",
        "010-1234-5678",
    ]
    assert format_as_typed("0161234567") == "016-123-4567"
