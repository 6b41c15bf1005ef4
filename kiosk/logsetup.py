"""Logging for the command line: short lines on stderr, tracebacks only when asked for.

Library modules log with `logging.getLogger(__name__)` and never personal data; a user
sees one line per problem. `KIOSK_DEBUG=1` brings the tracebacks back for support.
"""

from __future__ import annotations

import logging
import os
import sys


class _NoTraceback(logging.Formatter):
    def formatException(self, ei) -> str:  # type: ignore[no-untyped-def,override]
        return ""

    def formatStack(self, stack_info: str) -> str:
        return ""

    def format(self, record: logging.LogRecord) -> str:
        record.exc_text = None
        return super().format(record).rstrip()


def configure_cli_logging() -> None:
    debug = os.environ.get("KIOSK_DEBUG", "") not in ("", "0")
    handler = logging.StreamHandler(sys.stderr)
    fmt = "kiosk: %(levelname)s: %(message)s"
    handler.setFormatter(logging.Formatter(fmt) if debug else _NoTraceback(fmt))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if debug else logging.ERROR)
