"""Errors that reach a user carry a stable message key and a readable message.

The CLI prints `message` (never a traceback) and exits 2; the GUI will look the
key up in its translations.
"""

from __future__ import annotations


class KioskError(Exception):
    key: str = "error"

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.message = message
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
