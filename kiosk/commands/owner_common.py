"""Shared bits of the owner commands (export, report, purge, backup, restore)."""

from __future__ import annotations

import argparse
import base64
import binascii
from datetime import date
from pathlib import Path

from kiosk.errors import InputError
from kiosk.owner_tools.dates import parse_day


def day_arg(option: str):  # type: ignore[no-untyped-def]
    """An argparse type for a YYYY-MM-DD date that names the option in its message."""

    def parse(text: str) -> date:
        try:
            return parse_day(text, option)
        except InputError as exc:
            raise argparse.ArgumentTypeError(exc.message) from None

    return parse


def read_owner_key(path: Path) -> bytes:
    """The owner's raw X25519 private key from a file (base64 of 32 bytes).

    Integration step: when the owner-PIN module is on this branch, `kiosk export
    --with-phones` asks for the PIN and unwraps the key instead of reading this file.
    """
    try:
        text = Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise InputError(f"cannot read the owner key file {path}: {exc.strerror}") from None
    try:
        key = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise InputError(f"{path} does not hold an owner key (base64 of 32 bytes)")
    return key
