"""Reading the phone number out of a sealed manual entry, with the owner's private key.

The plaintext sealed by the manual-log screen is UTF-8: a JSON object with a
`phone` key, or (older/simpler form) free text "name phone". Either way only the
phone number goes into an export.
"""

from __future__ import annotations

import json
import re

from kiosk.store.sealing import SealingError, unseal

_PHONE = re.compile(r"\+?\d[\d\s().-]{5,}\d")


class UnreadableEntry(Exception):
    """The sealed blob cannot be opened (damaged, or sealed to another key). Carries no data."""


def phone_from_plaintext(text: str) -> str:
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if isinstance(value, dict):
        phone = value.get("phone")
        return str(phone).strip() if phone is not None else ""
    found = _PHONE.search(text)
    return found.group(0).strip() if found else ""


def phone_from_sealed(private_key: bytes, blob: bytes) -> str:
    try:
        plaintext = unseal(private_key, bytes(blob)).decode("utf-8")
    except (SealingError, UnicodeDecodeError):
        raise UnreadableEntry from None
    return phone_from_plaintext(plaintext)
