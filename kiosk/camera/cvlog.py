"""Silence OpenCV's own stderr logging around calls whose failures we report ourselves.

OpenCV prints warnings for every truncated PNG or missing camera; the kiosk turns those
into one clear InputError / CameraUnavailableError, so the raw lines are only noise on
the CLI's stderr.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import cv2

_lock = threading.Lock()
_depth = 0
_saved_level: int | None = None


@contextmanager
def quiet_opencv() -> Iterator[None]:
    global _depth, _saved_level
    logging = cv2.utils.logging
    with _lock:
        if _depth == 0:
            _saved_level = logging.getLogLevel()
            logging.setLogLevel(logging.LOG_LEVEL_SILENT)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved_level is not None:
                logging.setLogLevel(_saved_level)
                _saved_level = None
