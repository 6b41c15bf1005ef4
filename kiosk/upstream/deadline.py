"""A total deadline over a whole HTTP exchange: name lookup, connect, status line, headers, body.

requests and urllib3 only know per-operation timeouts: every socket read may take up to
the read timeout, so a server that sends its status line and headers one byte every
50 ms holds a call for as long as it likes. Here the deadline lives on the socket
itself: every recv/send first shrinks the socket timeout to what is left of the
deadline and fails with `TimeoutError` once it has passed, so no phase of the
exchange can outlast it, and no thread is needed to abandon the call.

The deadline of the call in progress is a context variable set by
`Transport.request` (transport.py) around the request (requests does all socket work in the
calling thread), so pooled connections serve calls with different deadlines.

Name lookup (`getaddrinfo`) cannot be interrupted, so it runs on a small fixed set of
daemon threads and the caller waits at most until the deadline; a lookup still
pending then is cancelled or left to finish on its worker (at most `_RESOLVER_THREADS`
of them, never one per call).
"""

from __future__ import annotations

import contextlib
import contextvars
import ipaddress
import queue
import socket
import ssl
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

from kiosk.clock import Clock

_RESOLVER_THREADS = 2
# A socket timeout of 0 would switch the socket to non-blocking mode instead.
_MIN_TIMEOUT_S = 0.001


@dataclass(frozen=True, slots=True)
class Deadline:
    clock: Clock
    at: float  # on clock.monotonic()

    def remaining(self) -> float:
        return self.at - self.clock.monotonic()


_current: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar("upstream_deadline", default=None)


@contextlib.contextmanager
def deadline_scope(deadline: Deadline) -> Iterator[None]:
    """Every socket operation of a deadline-aware connection in this block respects `deadline`."""
    token = _current.set(deadline)
    try:
        yield
    finally:
        _current.reset(token)


class _DeadlineMixin:
    """recv/send that respect the current deadline; mixed into socket.socket and ssl.SSLSocket."""

    __slots__ = ()
    _op_timeout: float | None

    def settimeout(self, value: float | None) -> None:
        # urllib3's per-operation timeout, remembered so the deadline only ever shortens it.
        self._op_timeout = value
        super().settimeout(value)  # type: ignore[misc]

    def _arm(self) -> None:
        """Before an operation: fail if the deadline passed, else cap the socket timeout by it."""
        deadline = _current.get()
        if deadline is None:
            return
        remaining = deadline.remaining()
        if remaining <= 0:
            raise TimeoutError("the upstream call's deadline passed")
        try:
            op = self._op_timeout
        except AttributeError:
            op = self._op_timeout = super().gettimeout()  # type: ignore[misc]
        limit = remaining if op is None else min(op, remaining)
        super().settimeout(max(limit, _MIN_TIMEOUT_S))  # type: ignore[misc]

    def recv(self, *args: Any) -> bytes:
        self._arm()
        return super().recv(*args)  # type: ignore[misc,no-any-return]

    def recv_into(self, *args: Any) -> int:
        self._arm()
        return super().recv_into(*args)  # type: ignore[misc,no-any-return]

    def send(self, *args: Any) -> int:
        self._arm()
        return super().send(*args)  # type: ignore[misc,no-any-return]

    def sendall(self, *args: Any) -> None:
        self._arm()
        super().sendall(*args)  # type: ignore[misc]


class DeadlineSocket(_DeadlineMixin, socket.socket):
    __slots__ = ("_op_timeout",)


class DeadlineSSLSocket(_DeadlineMixin, ssl.SSLSocket):
    # No __slots__: SSLSocket already has a __dict__, so this class has the same memory
    # layout and an SSLSocket's class can be switched to it after the handshake.
    pass


class Resolver:
    """getaddrinfo on a fixed set of daemon threads, so a caller can stop waiting for it."""

    def __init__(
        self, threads: int = _RESOLVER_THREADS, lookup: Callable[[str, int], list[Any]] | None = None
    ) -> None:
        self._lookup = lookup or _getaddrinfo
        self._jobs: queue.SimpleQueue[tuple[Future[list[Any]], str, int]] = queue.SimpleQueue()
        self._threads = threads
        self._started = 0
        self._lock = threading.Lock()

    def resolve(self, host: str, port: int, timeout_s: float) -> list[Any]:
        if _is_ip_literal(host):
            return _getaddrinfo(host, port)
        future: Future[list[Any]] = Future()
        self._start_workers()
        self._jobs.put((future, host, port))
        try:
            return future.result(timeout=max(timeout_s, 0.0))
        except FutureTimeout:
            future.cancel()  # still queued: never runs; already running: its result is dropped
            raise socket.gaierror(socket.EAI_AGAIN, "name resolution timed out") from None

    def _start_workers(self) -> None:
        with self._lock:
            while self._started < self._threads:
                self._started += 1
                threading.Thread(target=self._work, name="upstream-resolver", daemon=True).start()

    def _work(self) -> None:
        while True:
            future, host, port = self._jobs.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(self._lookup(host, port))
            except BaseException as exc:  # handed to the waiting caller, if any
                future.set_exception(exc)


def _getaddrinfo(host: str, port: int) -> list[Any]:
    return socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)


_resolver = Resolver()


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


def _connect(
    host: str,
    port: int,
    timeout: float | None,
    source_address: tuple[str, int] | None,
    options: Sequence[tuple[int, int, int | bytes]] | None,
) -> socket.socket:
    """socket.create_connection, with the lookup and every attempt inside the deadline."""
    deadline = _current.get()

    def budget() -> float | None:
        if deadline is None:
            return timeout
        remaining = deadline.remaining()
        if remaining <= 0:
            raise TimeoutError("the upstream call's deadline passed while connecting")
        return remaining if timeout is None else min(timeout, remaining)

    lookup_s = budget()
    if lookup_s is None:
        addresses = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
    else:
        addresses = _resolver.resolve(host, port, lookup_s)
    error: OSError | None = None
    for family, kind, proto, _, address in addresses:
        sock = DeadlineSocket(family, kind, proto)
        try:
            for option in options or ():
                sock.setsockopt(*option)
            sock.settimeout(budget())
            if source_address:
                sock.bind(source_address)
            sock.connect(address)
            return sock
        except OSError as exc:
            error = exc
            sock.close()
            if isinstance(exc, TimeoutError):
                break  # the time is spent; another address cannot do better
    raise error or OSError("name resolution returned no address")


class _Connection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        # The exception mapping is urllib3's own (HTTPConnection._new_conn), so callers see
        # the same errors as with the stock connection.
        try:
            return _connect(self._dns_host, self.port, self.timeout, self.source_address, self.socket_options)
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc
        except TimeoutError as exc:
            raise ConnectTimeoutError(self, f"Connection to {self.host} timed out") from exc
        except OSError as exc:
            raise NewConnectionError(self, f"Failed to establish a new connection: {exc}") from exc


class _TLSConnection(HTTPSConnection):
    _new_conn = _Connection._new_conn

    def connect(self) -> None:
        super().connect()
        # The TLS layer replaced our socket object with a plain SSLSocket; give it the same
        # deadline-aware reads and writes (same memory layout, so only the class changes).
        if type(self.sock) is ssl.SSLSocket:
            self.sock.__class__ = DeadlineSSLSocket


class _Pool(HTTPConnectionPool):
    ConnectionCls = _Connection


class _TLSPool(HTTPSConnectionPool):
    ConnectionCls = _TLSConnection


class DeadlineAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections honour `deadline_scope`."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _Pool, "https": _TLSPool}
