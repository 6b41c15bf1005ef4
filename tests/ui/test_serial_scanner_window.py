"""A serial-mode scanner configured in `[ui] serial_scanner` is a pass source of the window, beside the
camera; a pseudo-terminal stands in for the scanner's USB port."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.clock import ManualClock
from kiosk.decision import Reason, Verdict
from kiosk.ui.app import KioskApp
from tests.ui.conftest import make_context, provision_owner
from tests.ui.test_workers import no_camera


def test_a_line_from_the_serial_scanner_gets_a_verdict(qtbot: QtBot, tmp_path: Path) -> None:
    scanner_end, kiosk_end = os.openpty()
    try:
        ctx = make_context(tmp_path, f'[ui]\nserial_scanner = "{os.ttyname(kiosk_end)}"\n')
        provision_owner(ctx)
        app = KioskApp(ctx, clock=ManualClock(1_780_000_000.0), camera=no_camera)
        qtbot.addWidget(app.window)
        app.start()
        try:
            assert app.scanner is not None
            polls = iter(range(1_000_000))

            def scan_until_answered() -> bool:
                # Opening a port throws away what arrived before, so the visitor scans again
                # every half second or so until the kiosk answers, as one would.
                if next(polls) % 50 == 0:
                    # In two pieces, line noise first: the worker waits for the line's end.
                    os.write(scanner_end, b"\xff\x00\r\nnot a ")
                    os.write(scanner_end, b"pass at all\r\n")
                return app.controller.state.shown is not None

            qtbot.waitUntil(scan_until_answered, timeout=15000)
            shown = app.controller.state.shown
            assert shown is not None
            assert (shown.verdict, shown.reason) == (Verdict.DENY, Reason.NOT_A_PASS)
        finally:
            app.shutdown()
    finally:
        os.close(scanner_end)
        os.close(kiosk_end)
