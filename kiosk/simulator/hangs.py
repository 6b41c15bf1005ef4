"""Connections the simulator has decided never to answer.

A hung request must look to the client exactly like a stuck server: the TCP
connection stays open and silent. Holding a handler thread per hung request
would let a test (or the fleet demo) exhaust threads, so the socket is parked
here instead and the handler thread returns; one reaper thread closes parked
sockets when their time is up or when the server stops.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading

from kiosk.clock import Clock


class HangPark:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, socket.socket]] = []
        self._seq = itertools.count()
        self._closed = False
        self._reaper: threading.Thread | None = None

    def __len__(self) -> int:
        with self._cond:
            return len(self._heap)

    def park(self, sock: socket.socket, hold_s: float) -> None:
        with self._cond:
            if self._closed:
                _close(sock)
                return
            heapq.heappush(self._heap, (self._clock.monotonic() + hold_s, next(self._seq), sock))
            if self._reaper is None:
                self._reaper = threading.Thread(target=self._reap, name="sim-hang-reaper", daemon=True)
                self._reaper.start()
            self._cond.notify()

    def close_all(self) -> None:
        with self._cond:
            self._closed = True
            parked, self._heap = self._heap, []
            self._cond.notify()
        for _, _, sock in parked:
            _close(sock)

    def _reap(self) -> None:
        with self._cond:
            while not self._closed:
                now = self._clock.monotonic()
                while self._heap and self._heap[0][0] <= now:
                    _close(heapq.heappop(self._heap)[2])
                timeout = self._heap[0][0] - now if self._heap else None
                self._cond.wait(timeout)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
