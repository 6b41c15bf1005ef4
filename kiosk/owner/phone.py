"""Korean mobile numbers as typed on the manual-log keypad: validation and display formatting.

Messages never contain the number: it is personal data and must not reach a log.
"""

from __future__ import annotations

import re

from kiosk.errors import KioskError

MAX_DIGITS = 11
# 010 numbers have an 8-digit subscriber part; the legacy 011/016/017/018/019 ones 7 or 8.
_MOBILE = re.compile(r"01(?:0(\d{4})|([16789])(\d{3,4}))(\d{4})")
_SEPARATORS = re.compile(r"[\s\-.()]")


class PhoneNumberError(KioskError):
    key = "manual.phone.invalid"


def digits_of(text: str) -> str:
    """The digits of a typed number, with +82 turned into the domestic leading 0."""
    compact = _SEPARATORS.sub("", text)
    if compact.startswith("+82"):
        rest = compact[3:]
        compact = rest if rest.startswith("0") else "0" + rest
    return compact


def normalize_korean_mobile(text: str) -> str:
    """`010-1234-5678` (or `011-123-4567`) for a valid Korean mobile number, else PhoneNumberError."""
    digits = digits_of(text)
    if not (digits.isascii() and digits.isdigit()):
        raise PhoneNumberError("a phone number may contain digits only", key="manual.phone.not_digits")
    match = _MOBILE.fullmatch(digits)
    if match is None:
        raise PhoneNumberError(
            "not a Korean mobile number (010, 011, 016, 017, 018 or 019, then 7 or 8 digits)",
        )
    return format_as_typed(digits)


def format_as_typed(digits: str) -> str:
    """Hyphens added while the number is typed: `010` → `010-12` → `010-1234-5` → `010-1234-5678`."""
    d = digits[:MAX_DIGITS]
    if len(d) <= 3:
        return d
    if len(d) <= 7:
        return f"{d[:3]}-{d[3:]}"
    if len(d) == 10 and not d.startswith("010"):
        return f"{d[:3]}-{d[3:6]}-{d[6:]}"  # 011-123-4567
    return f"{d[:3]}-{d[3:7]}-{d[7:]}"
