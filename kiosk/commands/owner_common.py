"""Shared bits of the owner commands (export, report, purge, backup, restore)."""

from __future__ import annotations

import argparse
import base64
import binascii
import getpass
import sys
from datetime import date
from pathlib import Path
from typing import Any

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


def owner_key_by_pin(db: Any, *, stdin: bool) -> bytes:
    """The owner's private key, unwrapped with the owner PIN (asked on the terminal, or the
    first line of stdin for scripts). Every try counts towards the kiosk's PIN lockout and
    is audited, exactly as on the PIN pad."""
    from kiosk.clock import SystemClock
    from kiosk.owner.account import OwnerAccount, OwnerStateError, PinOutcome, PinRejectedError

    pin = sys.stdin.readline().strip() if stdin else getpass.getpass("owner PIN: ")
    account = OwnerAccount(db, SystemClock())
    try:
        return account.unlock_private_key(pin)
    except PinRejectedError as exc:
        check = exc.check
        if check.outcome is PinOutcome.LOCKED or check.locked_for_s > 0:
            # The try that reaches the limit locks at once, like every later try.
            raise InputError(f"PIN entry is locked: try again in {check.locked_for_s:.0f} s") from None
        if check.outcome is PinOutcome.NOT_SET_UP:
            raise InputError("no owner is set up on this kiosk yet: run the kiosk window first") from None
        raise InputError(f"wrong PIN ({check.tries_left} tries left before a pause)") from None
    except OwnerStateError as exc:
        if exc.key == "owner.key.not_on_kiosk":
            raise InputError(
                "this kiosk keeps no owner private key ([privacy] owner_public_key): "
                "give it with --owner-key FILE"
            ) from None
        raise InputError(exc.message) from None


def read_owner_key(path: Path) -> bytes:
    """The owner's raw X25519 private key from a file (base64 of 32 bytes), for a kiosk
    whose entries are sealed to `[privacy] owner_public_key` and so keeps no private key."""
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
