"""A failed HTTP exchange with upstream as an `UpstreamFailure` with its cause.

requests wraps urllib3, which wraps the socket's error: the cause is found by walking
the whole chain, so a refusal, a DNS failure, a timeout and a reset each keep their
name whatever layer raised them. Messages carry no request data.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator

import requests
from urllib3.exceptions import (
    ConnectTimeoutError,
    NameResolutionError,
    NewConnectionError,
    ReadTimeoutError,
)

from kiosk.verify.online import FailureCause, UpstreamFailure


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps (requests → urllib3 → socket)."""
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for nested in (current.__cause__, current.__context__, getattr(current, "reason", None)):
            if isinstance(nested, BaseException):
                stack.append(nested)
        stack.extend(arg for arg in current.args if isinstance(arg, BaseException))


def is_timeout(exc: BaseException) -> bool:
    for e in _chain(exc):
        if isinstance(e, NewConnectionError):
            # urllib3 2 derives NewConnectionError from ConnectTimeoutError for old callers;
            # a DNS failure or refusal is not a timeout (a real one shows up further down).
            continue
        if isinstance(e, TimeoutError | requests.exceptions.Timeout | ReadTimeoutError | ConnectTimeoutError):
            return True
    return False


def is_reset(exc: BaseException) -> bool:
    for e in _chain(exc):
        if isinstance(e, ConnectionResetError | ConnectionAbortedError | BrokenPipeError):
            return True
        if type(e).__name__ == "RemoteDisconnected":
            return True
    return False


def classify(exc: requests.RequestException, path: str) -> UpstreamFailure:
    """Map a requests exception to a cause; messages carry no request data."""
    chain = list(_chain(exc))
    if isinstance(exc, requests.exceptions.SSLError) or any(isinstance(e, ssl.SSLError) for e in chain):
        return UpstreamFailure(FailureCause.TLS, f"{path}: TLS handshake with upstream failed")
    if any(isinstance(e, NameResolutionError | socket.gaierror) for e in chain):
        return UpstreamFailure(FailureCause.DNS, f"{path}: upstream host name could not be resolved")
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return UpstreamFailure(FailureCause.REFUSED, f"{path}: upstream refused the connection")
    if is_timeout(exc):
        return UpstreamFailure(FailureCause.TIMEOUT, f"{path}: upstream did not answer in time")
    if is_reset(exc):
        return UpstreamFailure(FailureCause.RESET, f"{path}: upstream reset the connection")
    if isinstance(exc, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError):
        return UpstreamFailure(FailureCause.BAD_BODY, f"{path}: malformed response")
    if isinstance(exc, requests.exceptions.ConnectionError):
        # Unreachable network, no route, and the like: the kiosk cannot get there.
        return UpstreamFailure(FailureCause.REFUSED, f"{path}: upstream could not be reached")
    return UpstreamFailure(FailureCause.CLIENT_ERROR, f"{path}: request failed ({type(exc).__name__})")
