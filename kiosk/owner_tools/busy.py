"""Owner commands that write wait only briefly for the app's write lock, then say so plainly.

A verdict must never wait behind an owner command, and an owner must never stare at
a command that hangs: after a short wait the command gives up with "the kiosk is
busy, try again" and changes nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from kiosk.errors import KioskError
from kiosk.store.errors import DatabaseBusyError

OWNER_WAIT_S = 2.0  # how long an owner command waits for the app's write lock


class KioskBusyError(KioskError):
    key = "owner.kiosk_busy"


def busy_message(what: str) -> str:
    return f"the kiosk is busy (its data file is being written), try again in a moment; {what}"


@contextlib.contextmanager
def busy_is_a_message(what: str) -> Iterator[None]:
    """Turn the store's 'locked too long' into the owner's 'busy, try again' (`what`: what was not done)."""
    try:
        yield
    except DatabaseBusyError as exc:
        raise KioskBusyError(busy_message(what)) from exc
