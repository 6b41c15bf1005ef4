"""Errors that reach a user carry a stable message key and a readable message.

The CLI prints `message` (never a traceback) and exits 2; the GUI looks the key up
in its translations. `detail` is an optional value the GUI's sentence may show (a
folder, a date) when the raise site has it as a value, so no screen parses `message`.
"""

from __future__ import annotations


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
