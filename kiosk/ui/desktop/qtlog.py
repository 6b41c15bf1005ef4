"""Qt's own messages (multimedia backends, font and platform warnings) go into our log, not the console.

A kiosk without an audio device would otherwise print the audio backend's complaints
to the terminal on every start; a service manager would keep them as errors. Routed
here they are log lines at a matching level, under the logger `qt`, with Qt's category
(e.g. `qt.multimedia`) and no file/line noise.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("qt")

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    # Qt's warnings are about Qt's environment (no audio, a missing font), not the door:
    # the installer reads them at info level, like the sound player's own notes.
    QtMsgType.QtWarningMsg: logging.INFO,
    QtMsgType.QtCriticalMsg: logging.WARNING,
    QtMsgType.QtFatalMsg: logging.ERROR,
}


def route_qt_messages(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    category = context.category or "default"
    log.log(_LEVELS.get(kind, logging.INFO), "%s: %s", category, message)


def install_qt_message_handler() -> None:
    """Call once before the QApplication is made (messages from its start-up are caught too)."""
    qInstallMessageHandler(route_qt_messages)
