"""Logging: short lines on stderr for the command line, and a rotating log file for the window.

Library modules log with `logging.getLogger(__name__)` and never personal data; a user
sees one line per problem. `KIOSK_DEBUG=1` brings the tracebacks back on stderr for
support. The log file (`<data folder>/logs/kiosk.log`, 1 MB x 5, UTF-8) never holds a
traceback, even then: a traceback repeats exception messages and source lines, which
may carry a name or a pass text, and a file outlives the moment. An exception is
written as its type and the file:line where it was raised, nothing else.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import traceback
from pathlib import Path

from kiosk.paths import make_private, private_folder, private_opener

LOG_FOLDER = "logs"
LOG_FILE = "kiosk.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5
_FILE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _NoTraceback(logging.Formatter):
    def formatException(self, ei) -> str:  # type: ignore[no-untyped-def,override]
        return ""

    def formatStack(self, stack_info: str) -> str:
        return ""

    def format(self, record: logging.LogRecord) -> str:
        record.exc_text = None
        return super().format(record).rstrip()


def _where(exc: BaseException) -> str:
    """Type and file:line of the innermost frame: enough for support, no values."""
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    if not frames:
        return type(exc).__name__
    last = frames[-1]
    return f"{type(exc).__name__} at {Path(last.filename).name}:{last.lineno}"


def _scrub(value: object) -> object:
    # An exception passed as a %s argument would print its message: its type instead.
    return _where(value) if isinstance(value, BaseException) else value


class PrivacyFormatter(logging.Formatter):
    """One line per record; exceptions as type and file:line only (see the module docstring)."""

    def format(self, record: logging.LogRecord) -> str:
        # A copy: the console handler formats the same record (with a traceback under KIOSK_DEBUG).
        safe = logging.makeLogRecord(record.__dict__)
        if isinstance(safe.msg, BaseException):
            safe.msg = _where(safe.msg)
        if isinstance(safe.args, tuple):
            safe.args = tuple(_scrub(a) for a in safe.args)
        elif isinstance(safe.args, dict):
            safe.args = {k: _scrub(v) for k, v in safe.args.items()}
        exc = safe.exc_info[1] if safe.exc_info else None
        safe.exc_info = None
        safe.exc_text = None
        safe.stack_info = None
        line = super().format(safe)
        if exc is not None:
            line = f"{line} [{_where(exc)}]"
        # One record, one line: a message with a line break cannot forge a second entry.
        return line.replace("\r", "\\r").replace("\n", "\\n")


def log_folder(data_folder: Path) -> Path:
    """Where the log files of this data folder are (`kiosk doctor` names it, the README says it)."""
    return data_folder / LOG_FOLDER


def configure_cli_logging() -> None:
    debug = os.environ.get("KIOSK_DEBUG", "") not in ("", "0")
    handler = logging.StreamHandler(sys.stderr)
    fmt = "kiosk: %(levelname)s: %(message)s"
    handler.setFormatter(logging.Formatter(fmt) if debug else _NoTraceback(fmt))
    # The level sits on the handler: a log file added later may want more than the console.
    handler.setLevel(logging.DEBUG if debug else logging.ERROR)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if debug else logging.ERROR)


class _KioskFileHandler(logging.handlers.RotatingFileHandler):
    """Marks the handler this module installed, so a second call replaces it instead of doubling lines.

    Its files are made 0600 (POSIX): the log names the data folder and the kiosk's doings.
    """

    def _open(self):  # type: ignore[no-untyped-def]
        return open(
            self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors, opener=private_opener
        )


def configure_file_logging(data_folder: Path, *, level: int = logging.INFO) -> Path | None:
    """Add the rotating log file of `data_folder` to the root logger; its path, or None.

    A folder that cannot be written is no reason to stop the kiosk: it says so on
    stderr once and runs without a file.
    """
    folder = log_folder(data_folder)
    path = folder / LOG_FILE
    try:
        private_folder(data_folder)
        private_folder(folder)
        for old in folder.glob(LOG_FILE + "*"):  # written by an older version
            make_private(old)
        handler = _KioskFileHandler(
            path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8", delay=True
        )
    except OSError as exc:
        print(
            f"kiosk: no log file in {folder} ({type(exc).__name__}); logging to the console only",
            file=sys.stderr,
        )
        return None
    handler.setFormatter(PrivacyFormatter(_FILE_FORMAT))
    handler.setLevel(level)
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _KioskFileHandler)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    return path
