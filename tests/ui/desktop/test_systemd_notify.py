"""The window tells systemd it is ready and feeds the unit's watchdog from the GUI thread,
over a real datagram socket as systemd would listen on it; silent without NOTIFY_SOCKET."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.ui.desktop.systemd_notify import SystemdWatchdog, sd_notify, watchdog_interval_ms

pytestmark = pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets on this system")


@pytest.fixture
def listener(tmp_path: Path) -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "notify"))
    sock.settimeout(5)
    yield sock
    sock.close()


def _received(sock: socket.socket) -> str:
    return sock.recv(4096).decode()


def test_ready_then_watchdog_from_the_gui_thread(qtbot: object, listener: socket.socket) -> None:
    env = {"NOTIFY_SOCKET": listener.getsockname(), "WATCHDOG_USEC": "100000"}
    env["WATCHDOG_PID"] = str(os.getpid())
    dog = SystemdWatchdog(environ=env)
    dog.start()
    assert _received(listener) == "READY=1"
    listener.setblocking(False)
    feeds: list[str] = []

    def fed() -> bool:
        try:
            feeds.append(_received(listener))
        except BlockingIOError:
            return False
        return True

    qtbot.waitUntil(fed, timeout=5000)  # type: ignore[attr-defined]  # the event loop must run to feed it
    assert feeds == ["WATCHDOG=1"]
    dog.stop()
    listener.setblocking(True)
    assert _received(listener) == "STOPPING=1"


def test_silent_without_systemd(qtbot: object) -> None:
    assert sd_notify("READY=1", {}) is False
    dog = SystemdWatchdog(environ={})
    dog.start()
    assert not dog._timer.isActive()
    dog.stop()


def test_a_watchdog_meant_for_another_process_is_not_fed() -> None:
    assert watchdog_interval_ms({"WATCHDOG_USEC": "30000000"}) == 15_000
    assert watchdog_interval_ms({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}) is None
    assert watchdog_interval_ms({"WATCHDOG_USEC": "0"}) is None


def test_a_vanished_socket_is_reported_not_raised(tmp_path: Path) -> None:
    assert sd_notify("WATCHDOG=1", {"NOTIFY_SOCKET": str(tmp_path / "gone")}) is False
