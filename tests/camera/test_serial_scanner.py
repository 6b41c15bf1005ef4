"""The serial (CDC-ACM) scanner source over a real pseudo-terminal: real bytes through a real tty,
with the pty's other end standing in for the scanner."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator

import pytest

from kiosk.camera.errors import ScannerUnavailableError
from kiosk.camera.serial_scanner import SerialScanner, open_serial, run_scanner
from kiosk.clock import ManualClock

PASS = "HC1:6BFOXN%TS3DH0YOJ58S S-W5HDC *M0II5XHC9B5G2+$N IOP-IA%NFQGRJPC%OQHIZC4.OI1RM8ZA.A5:S9MKN4NN3F85QNCY0O%0VZ001HOC9JU0D0HT0HB2PL/IB*09B9LW4T*8+DCMH0LDK2%K:XFE70*LP$V25$0Q:J:4MO1P0%0L0HD+9E/HY+4J6TH48S%4K.GJ2PT3QY:GQ3TE2I+-CPHN6D7LLK*Y0ZOJ3/9Y2W*%K$CWNO93I2CD3H3T4FK+O%XE$SF"  # noqa: E501


@pytest.fixture()
def pty() -> Iterator[tuple[int, str]]:
    """(the scanner's end, the kiosk's port path)."""
    scanner_end, kiosk_end = os.openpty()
    path = os.ttyname(kiosk_end)
    yield scanner_end, path
    for fd in (scanner_end, kiosk_end):
        with contextlib.suppress(OSError):  # a test may have closed the scanner's end
            os.close(fd)


def _read(scanner: SerialScanner, rounds: int = 6) -> list[str]:
    texts: list[str] = []
    for _ in range(rounds):
        texts += scanner.read_texts()
    return texts


@pytest.mark.parametrize("suffix", [b"\r", b"\n", b"\r\n", b"\t"])
def test_a_pass_arriving_in_pieces_is_one_text_whatever_the_suffix(
    pty: tuple[int, str], suffix: bytes
) -> None:
    end, path = pty
    clock = ManualClock()
    with SerialScanner(path, clock) as scanner:
        data = PASS.encode() + suffix
        os.write(end, data[:50])
        assert _read(scanner) == []  # a partial line waits for its end
        os.write(end, data[50:120])
        assert _read(scanner) == []
        os.write(end, data[120:] + b"KP1:second" + suffix)
        assert _read(scanner) == [PASS, "KP1:second"]


def test_a_scanner_without_suffix_is_read_after_a_quiet_moment(pty: tuple[int, str]) -> None:
    end, path = pty
    clock = ManualClock()
    with SerialScanner(path, clock, idle_s=0.2) as scanner:
        os.write(end, PASS.encode())
        assert _read(scanner) == []
        clock.advance(0.25)
        assert _read(scanner) == [PASS]


def test_binary_garbage_is_dropped_and_counted_and_the_next_pass_still_reads(pty: tuple[int, str]) -> None:
    end, path = pty
    clock = ManualClock()
    with SerialScanner(path, clock) as scanner:
        os.write(end, b"\xff\xfe\x00\x81noise\r\n" + b"\x1b[2Jx\r\n" + PASS.encode() + b"\r\n")
        assert _read(scanner) == [PASS]
        assert scanner.garbage == 2


def test_endless_bytes_without_an_end_are_dropped(pty: tuple[int, str]) -> None:
    end, path = pty
    clock = ManualClock()
    with SerialScanner(path, clock, max_line=64) as scanner:
        os.write(end, b"A" * 200)
        assert _read(scanner) == []
        assert scanner.garbage >= 1
        os.write(end, b"\rKP1:after\r")
        assert _read(scanner)[-1] == "KP1:after"


def test_unplugging_mid_scan_is_a_clear_error_and_drops_the_part_read(pty: tuple[int, str]) -> None:
    end, path = pty
    clock = ManualClock()
    scanner = SerialScanner(path, clock)
    os.write(end, PASS.encode()[:40])
    assert _read(scanner, rounds=2) == []
    os.close(end)  # the scanner's end goes away, as when its cable is pulled
    with pytest.raises(ScannerUnavailableError, match="stopped answering"):
        _read(scanner)
    with pytest.raises(ScannerUnavailableError):
        scanner.read_texts()


def test_a_port_that_does_not_exist_is_a_clear_error() -> None:
    with pytest.raises(ScannerUnavailableError, match="cannot be opened"):
        open_serial("/dev/ttyACM-kiosk-absent", 9600)


def test_the_scanner_loop_waits_for_the_scanner_and_reads_once_it_is_there(pty: tuple[int, str]) -> None:
    end, path = pty
    clock = ManualClock()
    attempts: list[str] = []
    events: list[str] = []
    got = threading.Event()
    stop = threading.Event()

    def open_scanner() -> SerialScanner:
        attempts.append("open")
        if len(attempts) < 3:  # not plugged in yet
            return SerialScanner("/dev/ttyACM-kiosk-absent", clock)
        return SerialScanner(path, clock)

    def on_text(text: str) -> None:
        events.append(text)
        got.set()

    thread = threading.Thread(
        target=run_scanner,
        args=(open_scanner, on_text, stop),
        kwargs={"on_lost": events.append, "on_back": lambda: events.append("back"), "retry_s": 0.01},
    )
    thread.start()
    try:
        while len(attempts) < 3:
            stop.wait(0.01)
        os.write(end, PASS.encode() + b"\r")
        assert got.wait(10)
    finally:
        stop.set()
        thread.join(10)
    assert events == ["scanner.unavailable", "back", PASS]
