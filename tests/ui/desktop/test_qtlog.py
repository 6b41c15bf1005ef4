"""Qt's own messages land in our log under `qt`, not on the console."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import qInstallMessageHandler, qWarning

from kiosk.ui.desktop.qtlog import install_qt_message_handler


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_qt_warning_becomes_one_log_line(capfd: pytest.CaptureFixture[str]) -> None:
    # Its own handler, not the root's: the CLI tests leave one there on a closed stream.
    logger = logging.getLogger("qt")
    collect = _Collect()
    logger.addHandler(collect)
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    install_qt_message_handler()
    try:
        qWarning("no audio output device")
    finally:
        qInstallMessageHandler(None)  # back to Qt's default for the other tests
        logger.removeHandler(collect)
        logger.setLevel(level)
        logger.propagate = propagate
    assert len(collect.records) == 1
    record = collect.records[0]
    assert record.levelno == logging.INFO and "no audio output device" in record.getMessage()
    assert "no audio output device" not in capfd.readouterr().err
