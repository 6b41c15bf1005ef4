"""A background request budget: maintenance calls wait for a token instead of bursting.

Upstream allows each kiosk a request rate (429 beyond it). A trust-list download is
2 + n requests in a row; unpaced, it can spend the allowance a live verdict needs
a second later. Background work therefore draws on its own token bucket, kept
well under upstream's allowance (docs/decisions/0034-background-request-budgets.md), and
waits on the injected clock: the maintenance thread in the app, virtual time in the
fleet simulation.
"""

from __future__ import annotations

from typing import Any

from kiosk.clock import Clock
from kiosk.upstream.client import IssuerList, RevocationList, TrustDelta, TrustStatus, TrustUpdate
from kiosk.upstream.rate_limit import TokenBucket


class PacedSource:
    """Wraps the maintenance service's client: at most the bucket's rate, waiting when empty."""

    def __init__(self, inner: object, bucket: TokenBucket, clock: Clock) -> None:
        self._inner = inner
        self._bucket = bucket
        self._clock = clock

    @property
    def conditional(self) -> bool:
        """Does the wrapped client ask for the trust status with If-None-Match?"""
        return hasattr(self._inner, "trust_status_if_changed")

    def _take(self) -> None:
        wait = self._bucket.wait_time(1)
        if wait > 0:
            self._clock.sleep(wait)
        self._bucket.try_acquire(1)

    def health(self, *, timeout_s: float = 2.0) -> float:
        self._take()
        return float(self._inner.health(timeout_s=timeout_s))  # type: ignore[attr-defined]

    def trust_status(self, *, timeout_s: float = 10.0) -> list[str]:
        self._take()
        return list(self._inner.trust_status(timeout_s=timeout_s))  # type: ignore[attr-defined]

    def trust_status_if_changed(self, etag: str | None, *, timeout_s: float = 10.0) -> TrustStatus | None:
        self._take()
        return self._inner.trust_status_if_changed(etag, timeout_s=timeout_s)  # type: ignore[attr-defined, no-any-return]

    def trust_update(self, resume_token: str | None, *, timeout_s: float = 10.0) -> TrustUpdate | None:
        self._take()
        return self._inner.trust_update(resume_token, timeout_s=timeout_s)  # type: ignore[attr-defined, no-any-return]

    def trust_delta(
        self, after: str | None, etag: str | None, *, timeout_s: float = 10.0
    ) -> TrustDelta | None:
        self._take()
        return self._inner.trust_delta(after, etag, timeout_s=timeout_s)  # type: ignore[attr-defined, no-any-return]

    def revocations(self, since: float | None = None, *, timeout_s: float = 10.0) -> RevocationList:
        self._take()
        return self._inner.revocations(since, timeout_s=timeout_s)  # type: ignore[attr-defined, no-any-return]

    def trust_issuers(self, *, timeout_s: float = 10.0) -> list[dict[str, Any]]:
        self._take()
        return list(self._inner.trust_issuers(timeout_s=timeout_s))  # type: ignore[attr-defined]

    def trust_issuers_if_changed(self, etag: str | None, *, timeout_s: float = 10.0) -> IssuerList | None:
        self._take()
        return self._inner.trust_issuers_if_changed(etag, timeout_s=timeout_s)  # type: ignore[attr-defined, no-any-return]
