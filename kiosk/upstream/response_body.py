"""An answer's body read under the call's total deadline, and never larger than expected."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import requests
from urllib3.exceptions import ProtocolError

from kiosk.clock import Clock
from kiosk.upstream.request_failures import is_reset, is_timeout
from kiosk.verify.online import FailureCause, UpstreamFailure

# Bodies larger than these are not what upstream sends; reading them would only let a
# broken proxy make the kiosk allocate memory on the verdict path.
MAX_SMALL_BODY = 64 * 1024
MAX_LARGE_BODY = 16 * 1024 * 1024
_CHUNK = 8192


def read_body(resp: requests.Response, deadline: float, max_body: int, clock: Clock, path: str) -> bytes:
    declared = resp.headers.get("Content-Length")
    if declared is not None and declared.isdigit() and int(declared) > max_body:
        raise UpstreamFailure(FailureCause.BAD_BODY, f"{path}: response too large")
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in _iter_chunks(resp, deadline, clock):
            size += len(chunk)
            if size > max_body:
                raise UpstreamFailure(FailureCause.BAD_BODY, f"{path}: response too large")
            chunks.append(chunk)
    except requests.exceptions.ChunkedEncodingError as exc:
        if is_reset(exc):
            raise UpstreamFailure(FailureCause.RESET, f"{path}: connection reset while reading") from None
        raise UpstreamFailure(FailureCause.BAD_BODY, f"{path}: response body truncated") from None
    except (requests.exceptions.ConnectionError, ProtocolError, OSError) as exc:
        if is_timeout(exc):
            raise UpstreamFailure(FailureCause.TIMEOUT, f"{path}: timed out reading the response") from None
        if is_reset(exc):
            raise UpstreamFailure(FailureCause.RESET, f"{path}: connection reset while reading") from None
        raise UpstreamFailure(FailureCause.BAD_BODY, f"{path}: response body truncated") from None
    return b"".join(chunks)


def _iter_chunks(resp: requests.Response, deadline: float, clock: Clock) -> Iterator[bytes]:
    """Yield body chunks, shrinking the socket timeout so the *total* read respects `deadline`.

    requests' read timeout applies to each socket read, so a server trickling one byte
    per second would otherwise never time out.
    """
    raw = resp.raw
    while True:
        remaining = deadline - clock.monotonic()
        if remaining <= 0:
            raise UpstreamFailure(FailureCause.TIMEOUT, "timed out reading the response")
        _set_socket_timeout(raw, remaining)
        try:
            # read1: return what has arrived; read(n) would block until n bytes or EOF.
            chunk = raw.read1(_CHUNK, decode_content=True)
        except Exception as exc:
            if is_timeout(exc):
                raise UpstreamFailure(FailureCause.TIMEOUT, "timed out reading the response") from exc
            raise
        if not chunk:
            # urllib3 signals a short body on close (enforce_content_length); make sure.
            return
        yield chunk


def _set_socket_timeout(raw: Any, seconds: float) -> None:
    conn = getattr(raw, "connection", None) or getattr(raw, "_connection", None)
    sock = getattr(conn, "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.settimeout(max(seconds, 0.001))
