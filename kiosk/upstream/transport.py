"""One HTTP exchange with upstream under a total deadline, with no retries underneath.

The session sends the kiosk key, never retries (retrying is the breaker's and the
uploader's decision) and ignores the environment's proxies and netrc; every failure,
an unwelcome status included, becomes an `UpstreamFailure` with a cause, and each
answer's `Date` is noted as upstream's opinion of this computer's clock.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from urllib3.util.retry import Retry

from kiosk.backoff import retry_after_seconds
from kiosk.clock import Clock
from kiosk.upstream.deadline import Deadline, DeadlineAdapter, deadline_scope
from kiosk.upstream.request_failures import classify
from kiosk.upstream.response_body import MAX_SMALL_BODY, read_body
from kiosk.verify.online import FailureCause, UpstreamFailure


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: Mapping[str, str]
    body: bytes
    latency_s: float


class Transport:
    """The HTTP side of `UpstreamClient`; safe to share between threads."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        session: requests.Session | None,
        connect_timeout_s: float,
        clock: Clock,
        pool_size: int,
    ) -> None:
        self._skew_s: float | None = None
        self.base = base_url.rstrip("/")
        self._connect_timeout_s = connect_timeout_s
        self._clock = clock
        self._session = session if session is not None else requests.Session()
        self._owns_session = session is None
        # total=0 with every kind disabled: a failed attempt surfaces at once as one failure.
        no_retries = Retry(total=0, connect=0, read=False, redirect=False, status=0, other=0)
        # The adapter's connections enforce the deadline on every socket operation (deadline.py).
        adapter = DeadlineAdapter(pool_connections=2, pool_maxsize=pool_size, max_retries=no_retries)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers["Authorization"] = f"Bearer {api_key}"
        self._session.headers["User-Agent"] = "venue-pass-kiosk/0.1"
        # requests would otherwise read proxies/netrc from the environment, which can
        # silently route kiosk traffic elsewhere or replace the bearer token.
        self._session.trust_env = False

    def clock_skew(self) -> float | None:
        """Upstream's clock minus ours in seconds (positive: this clock is behind), as the `Date`
        of upstream's last answer showed it; None before any answer had one."""
        return self._skew_s

    def close(self) -> None:
        if self._owns_session:
            self._session.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        timeout_s: float,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        max_body: int = MAX_SMALL_BODY,
    ) -> Response:
        if timeout_s <= 0:
            raise UpstreamFailure(FailureCause.TIMEOUT, f"{path}: no time left for the request")
        start = self._clock.monotonic()
        deadline = start + timeout_s
        connect_s = min(self._connect_timeout_s, timeout_s)
        data = None if json_body is None else json.dumps(json_body, separators=(",", ":")).encode()
        send_headers = dict(headers or {})
        if data is not None:
            send_headers["Content-Type"] = "application/json"
        try:
            # The deadline covers the lookup, connect, status line and headers (socket level),
            # and the body below; stream=True hands over the body to read under it too.
            with deadline_scope(Deadline(self._clock, deadline)), self._session.request(
                method,
                self.base + path,
                data=data,
                headers=send_headers,
                params=params,
                timeout=(connect_s, timeout_s),
                stream=True,
                allow_redirects=False,
            ) as resp:
                body = read_body(resp, deadline, max_body, self._clock, path)
                latency = self._clock.monotonic() - start
                self._note_clock(resp.headers.get("Date"))
                return Response(resp.status_code, resp.headers, body, latency)
        except UpstreamFailure:
            raise
        except requests.RequestException as exc:
            raise classify(exc, path) from None

    def _note_clock(self, date: str | None) -> None:
        # Pass validity and the PIN lockout run on this computer's clock; upstream's Date
        # (to the second) is the one outside opinion of it the kiosk gets for free.
        server = _server_date(date)
        if server is not None:
            self._skew_s = server - self._clock.now()

    def raise_for_status(self, resp: Response) -> None:
        status = resp.status
        if 200 <= status < 300:
            return
        if status == 429 or status == 503:
            retry_after = self._retry_after(resp)
            cause = FailureCause.THROTTLED if status == 429 else FailureCause.SERVER_ERROR
            raise UpstreamFailure(cause, f"upstream answered HTTP {status}", retry_after_s=retry_after)
        if status >= 500:
            raise UpstreamFailure(FailureCause.SERVER_ERROR, f"upstream answered HTTP {status}")
        if status in (401, 403):
            raise UpstreamFailure(FailureCause.AUTH, f"upstream refused the kiosk key (HTTP {status})")
        if 300 <= status < 400:
            # A redirect is a captive portal or a misconfigured URL, never the service itself.
            raise UpstreamFailure(FailureCause.BAD_BODY, f"upstream answered a redirect (HTTP {status})")
        raise UpstreamFailure(FailureCause.CLIENT_ERROR, f"upstream answered HTTP {status}")

    def _retry_after(self, resp: Response) -> float | None:
        # An HTTP-date is measured against the server's own Date header when present,
        # so a kiosk whose clock is hours off still waits what the server meant.
        reference = _server_date(resp.headers.get("Date"))
        if reference is None:
            reference = self._clock.now()
        return retry_after_seconds(resp.headers.get("Retry-After"), reference)


def _server_date(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
