"""Qt's own messages land in our log under `qt`, not on the console."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import qInstallMessageHandler, qWarning

from kiosk.ui.qtlog import install_qt_message_handler


def test_a_qt_warning_becomes_one_log_line(
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG, logger="qt")
    install_qt_message_handler()
    try:
        qWarning("no audio output device")
    finally:
        qInstallMessageHandler(None)  # back to Qt's default for the other tests
    records = [r for r in caplog.records if r.name == "qt"]
    assert len(records) == 1
    assert records[0].levelno == logging.INFO and "no audio output device" in records[0].getMessage()
    assert "no audio output device" not in capfd.readouterr().err
