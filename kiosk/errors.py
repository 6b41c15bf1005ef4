"""Errors that reach a user carry a stable message key and a readable message.

The CLI prints `message` (never a traceback) and exits 2; the GUI looks the key up
in its translations. `detail` is an optional value the GUI's sentence may show (a
folder, a date) when the raise site has it as a value, so no screen parses `message`.
Work that runs off the GUI thread turns whatever it raised into a key with `error_key`.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

# The key of every error the program did not expect: the screens say "something went wrong".
INTERNAL = "internal"


class KioskError(Exception):
    key: str = "error"

    def __init__(self, message: str, *, key: str | None = None, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        if key is not None:
            self.key = key


class ConfigError(KioskError):
    key = "config.invalid"


class StoreError(KioskError):
    key = "store.error"


class TrustError(KioskError):
    key = "trust.invalid"


class InputError(KioskError):
    key = "input.invalid"


def error_key(exc: BaseException, what: str) -> str:
    """The key a screen finds its words by, for `exc` raised while doing `what` (a fixed label).

    A `KioskError` is a refusal the product foresaw and carries its own key. Anything else is
    a fault in the program: logged here, once, with its traceback (the log file keeps only
    its type and file:line, since a message may hold a name or a pass) and answered with
    `INTERNAL`, so no screen ever shows an exception's own words.
    """
    if isinstance(exc, KioskError):
        log.warning("%s not done: %s", what, exc.key)
        return exc.key
    log.error("%s failed unexpectedly", what, exc_info=exc)
    return INTERNAL
