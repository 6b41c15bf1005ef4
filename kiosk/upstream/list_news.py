"""List news: an extension of `/v1/verify` that keeps a kiosk's lists fresh without polls.

A kiosk sends its revocation cursor in the `X-List-News` header of a verification; an
upstream that offers the extension adds `news` to the answer: the ETags of the DCC signer
status and of the NZCP/SHC issuer list, and the revocations published since the cursor
(with the new cursor), signed like every published list (`news_signature`, by the list
key, over the canonical JSON of `news`). The kiosk then syncs a list only when its ETag
changed and stores the revocations at once; its periodic polls become a max-age poll for
a kiosk that has not verified anything for a while (docs/upstream-api.md).

An upstream without the extension ignores the header, and a missing, malformed or
unsigned `news` is simply not taken: the verdict never depends on it, and the polls
then run as before.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from dataclasses import dataclass
from typing import Any, Protocol

from kiosk.errors import KioskError
from kiosk.upstream.list_signature import ListSignatures

log = logging.getLogger(__name__)

NEWS_HEADER = "X-List-News"
# More revocations than this since a kiosk's cursor are not sent with a verification:
# the kiosk's own poll downloads them.
MAX_NEWS_REVOCATIONS = 1000


@dataclass(frozen=True, slots=True)
class ListNews:
    trust_etag: str | None  # the signer status's ETag now
    issuers_etag: str | None  # the NZCP/SHC issuer list's ETag now
    revocations: tuple[str, ...] | None  # published since the kiosk's cursor; None: too many, poll
    until: float | None  # the cursor to send next (upstream time)


class NewsListener(Protocol):
    """What takes the news in the app: `kiosk.upstream.maintenance.Maintenance`."""

    def news_cursor(self) -> float | None: ...

    def note_news(self, news: ListNews, now: float | None = None) -> bool: ...


def news_body(news: dict[str, Any]) -> bytes:
    """The bytes the news signature covers: its canonical JSON."""
    return json.dumps(news, sort_keys=True, separators=(",", ":")).encode("utf-8")


def news_dict(news: ListNews) -> dict[str, Any]:
    return {
        "trust_etag": news.trust_etag,
        "issuers_etag": news.issuers_etag,
        "revocations": None if news.revocations is None else list(news.revocations),
        "until": news.until,
    }


def parse_news(data: Any, signature: Any, signatures: ListSignatures) -> ListNews | None:
    """The news of a verify answer, or None when there is none or it cannot be taken."""
    if data is None:
        return None
    news = _shape(data)
    if news is None:
        log.warning("list news: malformed, not taken")
        return None
    try:
        signatures.check(news_body(data), signature if isinstance(signature, str) else None, "list news")
    except KioskError as exc:
        log.warning("%s", exc)
        return None
    return news


def _shape(data: Any) -> ListNews | None:
    if not isinstance(data, dict):
        return None
    trust, issuers = data.get("trust_etag"), data.get("issuers_etag")
    revocations, until = data.get("revocations"), data.get("until")
    if not all(v is None or isinstance(v, str) for v in (trust, issuers)):
        return None
    if revocations is not None and (
        not isinstance(revocations, list) or not all(isinstance(h, str) for h in revocations)
    ):
        return None
    if until is not None and (
        isinstance(until, bool) or not isinstance(until, int | float) or not math.isfinite(until)
    ):
        return None
    if (revocations is None) != (until is None):
        return None
    return ListNews(
        trust,
        issuers,
        None if revocations is None else tuple(revocations),
        None if until is None else float(until),
    )


@dataclass(frozen=True, slots=True)
class HeardNews:
    """What the verifications since the last maintenance round said, taken all at once."""

    revocations: tuple[str, ...]  # to store
    until: float | None  # the cursor that goes with them (None: no revocation news)
    trust_etag: str | None
    issuers_etag: str | None
    heard_at: float  # when the latest news came
    poll_revocations: bool  # more revocations than one answer carries: the poll must fetch them


class NewsInbox:
    """News noted on the verdict path and taken by the maintenance round. Its own lock, held
    for a few assignments: a verification never waits for a sync in progress."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cursor: float | None = None
        self._revocations: list[str] = []
        self._until: float | None = None
        self._trust_etag: str | None = None
        self._issuers_etag: str | None = None
        self._heard_at: float | None = None
        self._poll = False

    def resume(self, stored: float | None) -> None:
        """The cursor kept in the data file, unless news already moved it on."""
        with self._lock:
            if self._cursor is None:
                self._cursor = stored

    def cursor(self) -> float | None:
        with self._lock:
            return self._cursor

    def note(self, news: ListNews, now: float) -> bool:
        """True when the news has something for a maintenance round to do."""
        with self._lock:
            work = bool(news.revocations) or news.revocations is None
            work |= news.trust_etag != self._trust_etag or news.issuers_etag != self._issuers_etag
            if news.revocations is not None and news.until is not None:
                self._revocations.extend(news.revocations)
                self._until = self._cursor = news.until
            self._poll |= news.revocations is None
            self._trust_etag, self._issuers_etag = news.trust_etag, news.issuers_etag
            self._heard_at = now
            return work

    def take(self) -> HeardNews | None:
        with self._lock:
            if self._heard_at is None:
                return None
            heard = HeardNews(
                tuple(self._revocations),
                self._until,
                self._trust_etag,
                self._issuers_etag,
                self._heard_at,
                self._poll,
            )
            self._revocations = []
            self._until = None
            self._heard_at = None
            self._poll = False
            return heard
