"""A handheld scanner in serial mode (USB CDC-ACM: /dev/ttyACM0, COM3) as a pass source.

Such a scanner sends each code as one line of bytes. The port is read in small slices:
a line may arrive in pieces and is kept until its end (CR, LF, CR+LF or Tab), or until
the port has been quiet for `idle_s` (a scanner set up without a suffix). Bytes that are
not text (line noise, a scanner in a binary mode) are dropped and counted, never shown;
an unplugged scanner is reported once and reopened every few seconds, like the camera.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from typing import Any

from kiosk.camera.errors import ScannerUnavailableError
from kiosk.clock import Clock

log = logging.getLogger(__name__)

_END = re.compile(rb"[\r\n\t]")
# A pass text is printable: anything else in a line means it is not one.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def open_serial(port: str, baud: int) -> Any:
    """pyserial's port with a short read timeout, so a read never blocks stopping."""
    try:
        import serial
    except ImportError as exc:  # a broken install: say what is missing, do not crash
        raise ScannerUnavailableError("The serial scanner needs pyserial: reinstall the kiosk.") from exc
    try:
        return serial.Serial(port, baud, timeout=0.05)
    except (serial.SerialException, OSError, ValueError) as exc:
        raise ScannerUnavailableError(f"The scanner at {port} cannot be opened: {exc}") from exc


class SerialScanner:
    def __init__(
        self,
        port: str,
        clock: Clock,
        *,
        baud: int = 9600,
        idle_s: float = 0.2,
        max_line: int = 8192,
        open_port: Callable[[str, int], Any] = open_serial,
    ) -> None:
        self.port = port
        self._clock = clock
        self._idle_s = idle_s
        self._max_line = max_line
        self._serial: Any | None = open_port(port, baud)
        self._buffer = bytearray()
        self._last_byte = clock.monotonic()
        self.garbage = 0  # lines dropped as not text

    def read_texts(self) -> list[str]:
        """The texts completed by what arrived (waits up to the port's timeout for bytes)."""
        if self._serial is None:
            raise ScannerUnavailableError(f"The scanner at {self.port} is closed.")
        try:
            chunk = self._serial.read(max(1, self._serial.in_waiting))
        except Exception as exc:  # pyserial's SerialException, or the OSError under it
            self.close()
            raise ScannerUnavailableError(
                f"The scanner at {self.port} stopped answering (unplugged?); a part-read code was dropped."
            ) from exc
        now = self._clock.monotonic()
        if chunk:
            self._buffer += chunk
            self._last_byte = now
        lines: list[bytes] = []
        while (end := _END.search(self._buffer)) is not None:
            lines.append(bytes(self._buffer[: end.start()]))
            del self._buffer[: end.end()]
        if self._buffer and now - self._last_byte >= self._idle_s:
            lines.append(bytes(self._buffer))
            self._buffer.clear()
        if len(self._buffer) > self._max_line:  # no end in sight: noise, not a scan
            self._buffer.clear()
            self.garbage += 1
        return [text for line in lines if (text := self._text(line)) is not None]

    def _text(self, line: bytes) -> str | None:
        if not line.strip():
            return None  # the LF of a CR+LF, or a bare suffix
        try:
            text = line.decode("utf-8").strip()
        except UnicodeDecodeError:
            text = None
        if text is None or len(line) > self._max_line or _CONTROL.search(text):
            self.garbage += 1
            log.warning("serial scanner: dropped %d bytes that are not text", len(line))
            return None
        return text

    def close(self) -> None:
        if self._serial is not None:
            try:
                self._serial.close()
            except Exception:  # an unplugged port may fail to close; it is gone either way
                log.debug("closing the serial port failed", exc_info=True)
            self._serial = None
        self._buffer.clear()

    def __enter__(self) -> SerialScanner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_scanner(
    open_scanner: Callable[[], SerialScanner],
    on_text: Callable[[str], None],
    stop: threading.Event,
    *,
    on_lost: Callable[[str], None] = lambda key: None,
    on_back: Callable[[], None] = lambda: None,
    retry_s: float = 3.0,
) -> None:
    """Reads texts until `stop` is set; a missing or unplugged scanner is retried every `retry_s`."""
    lost = False
    while not stop.is_set():
        try:
            scanner = open_scanner()
        except ScannerUnavailableError as exc:
            if not lost:
                log.warning("%s Retrying every %.0f s.", exc.message, retry_s)
                on_lost(exc.key)
                lost = True
            stop.wait(retry_s)
            continue
        if lost:
            log.info("serial scanner back at %s", scanner.port)
            on_back()
            lost = False
        with scanner:
            try:
                while not stop.is_set():
                    for text in scanner.read_texts():
                        on_text(text)
            except ScannerUnavailableError as exc:
                log.warning("%s Retrying every %.0f s.", exc.message, retry_s)
                on_lost(exc.key)
                lost = True
                stop.wait(retry_s)
