"""The one HTTP client of the upstream service: verify, upload, trust list, revocations.

Every call runs under a *total* deadline and every failure becomes an
`UpstreamFailure` with a `FailureCause`, so the breaker, the uploader and the
outage report all speak the same vocabulary. The client never retries by itself:
retrying is the breaker's and the uploader's decision, taken with backoff and a
rate cap, and an automatic retry underneath them would multiply load exactly when
upstream is struggling.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import requests

from kiosk.clock import Clock, utc_datetime
from kiosk.config_checks import is_loopback_url
from kiosk.upstream.answer_json import json_object, json_value, optional_str, pending_acked, visit_recorded
from kiosk.upstream.list_news import NEWS_HEADER, NewsListener, parse_news
from kiosk.upstream.list_signature import SIGNATURE_HEADER, ListSignatureError, ListSignatures
from kiosk.upstream.response_body import MAX_LARGE_BODY, MAX_SMALL_BODY
from kiosk.upstream.transport import Response, Transport
from kiosk.verify.online import FailureCause, OnlineResult, OnlineVerdict, UpstreamFailure

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RejectedRecord:
    id: str | None  # None when upstream could not read the record's id at all
    reason: str


@dataclass(frozen=True, slots=True)
class BatchResult:
    accepted: tuple[str, ...]
    rejected: tuple[RejectedRecord, ...]
    latency_s: float = 0.0


@dataclass(frozen=True, slots=True)
class TrustUpdate:
    """One certificate of the DGCA update stream, as sent (base64 DER, not yet parsed)."""

    kid: str
    raw: str
    resume_token: str | None


@dataclass(frozen=True, slots=True)
class TrustStatus:
    kids: tuple[str, ...]  # base64, as upstream lists them
    etag: str | None  # send back as If-None-Match: an unchanged list then costs a bodiless 304


@dataclass(frozen=True, slots=True)
class TrustDelta:
    """The trust-list delta extension (docs/upstream-api.md): every kid listed now, the
    certificates published after the kiosk's resume token, and the token to keep."""

    kids: tuple[str, ...]  # base64
    certificates: tuple[TrustUpdate, ...]
    token: str | None  # the newest certificate's resume token (None: the list is empty)
    etag: str | None


@dataclass(frozen=True, slots=True)
class IssuerList:
    items: tuple[dict[str, Any], ...]  # [{issuer, format, document, crls?}] as sent (unvalidated)
    etag: str | None  # send back as If-None-Match: an unchanged list then costs a bodiless 304


@dataclass(frozen=True, slots=True)
class RevocationList:
    uci_hashes: tuple[str, ...]  # SHA-256 hex of each revoked certificate identifier
    until: float | None  # upstream's own clock: pass back as `since` to get only what is newer


class UpstreamClient:
    """Implements `kiosk.verify.online.OnlineChecker`; safe to share between threads."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        session: requests.Session | None = None,
        connect_timeout_s: float = 0.5,
        clock: Clock,
        kiosk_id: str = "kiosk",
        pool_size: int = 4,
        list_key: bytes | None = None,
    ) -> None:
        """`list_key`: the SubjectPublicKeyInfo DER of the key upstream signs its lists with."""
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("upstream url must be an https:// URL")
        if parts.scheme == "http" and not is_loopback_url(base_url):
            raise ValueError("upstream url must be https:// (http only for 127.0.0.1, ::1 or localhost)")
        self._signatures = ListSignatures(list_key, base_url)
        # Set by whoever keeps the lists (the maintenance service): verifications then ask
        # for list news and hand it over (kiosk.upstream.list_news).
        self.news: NewsListener | None = None
        self._kiosk_id = kiosk_id
        self._http = Transport(
            base_url,
            api_key,
            session=session,
            connect_timeout_s=connect_timeout_s,
            clock=clock,
            pool_size=pool_size,
        )

    @property
    def base_url(self) -> str:
        return self._http.base

    def clock_skew(self) -> float | None:
        """Upstream's clock minus ours in seconds (positive: this clock is behind), as the `Date`
        of upstream's last answer showed it; None before any answer had one."""
        return self._http.clock_skew()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> UpstreamClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- verdict path -------------------------------------------------------------

    def verify(
        self,
        text: str,
        *,
        scanned_at: float,
        timeout_s: float,
        visit: Mapping[str, Any] | None = None,
        pending: Sequence[Mapping[str, Any]] = (),
    ) -> OnlineVerdict:
        payload: dict[str, Any] = {
            "kiosk_id": self._kiosk_id,
            "pass": text,
            "scanned_at": utc_datetime(scanned_at).isoformat().replace("+00:00", "Z"),
        }
        if visit is not None:
            payload["visit"] = dict(visit)
        if pending:
            payload["pending"] = [dict(p) for p in pending]  # the carry extension (kiosk.verify.carry)
        headers = self._news_headers()
        resp = self._http.request(
            "POST", "/v1/verify", json_body=payload, headers=headers, timeout_s=timeout_s
        )
        self._http.raise_for_status(resp)
        data = json_object(resp.body)
        if headers and self.news is not None:
            self._take_news(data)
        raw_result = data.get("result")
        try:
            result = OnlineResult(raw_result) if isinstance(raw_result, str) else None
        except ValueError:
            result = None
        if result is None:
            raise UpstreamFailure(FailureCause.BAD_BODY, "verify: missing or unknown 'result'")
        reason = optional_str(data, "reason", "verify")
        holder = optional_str(data, "holder", "verify")
        return OnlineVerdict(
            result=result,
            reason=reason,
            holder=holder,
            latency_s=resp.latency_s,
            visit_recorded=visit is not None and visit_recorded(data, visit),
            pending_acked=pending_acked(data) if pending else None,
        )

    def _take_news(self, data: Mapping[str, Any]) -> None:
        news = parse_news(data.get("news"), data.get("news_signature"), self._signatures)
        if news is None or self.news is None:
            return
        try:
            self.news.note_news(news)
        except Exception:
            # The news only saves polls: a bug taking it must never cost the verdict.
            log.exception("list news: not taken")

    def _news_headers(self) -> dict[str, str]:
        """Ask for list news (kiosk.upstream.list_news) when someone takes it and it can be checked."""
        if self.news is None:
            return {}
        try:
            self._signatures.require_key("list news")
        except ListSignatureError:
            return {}
        cursor = self.news.news_cursor()
        return {NEWS_HEADER: "" if cursor is None else repr(float(cursor))}

    def health(self, *, timeout_s: float = 1.0) -> float:
        """The breaker's half-open probe; returns the latency in seconds or raises UpstreamFailure."""
        resp = self._http.request("GET", "/v1/health", timeout_s=timeout_s)
        self._http.raise_for_status(resp)
        json_object(resp.body)
        return resp.latency_s

    def whoami(self, *, timeout_s: float = 2.0) -> float:
        """An authenticated no-op: proves the kiosk key is accepted. Returns the latency in
        seconds; a rejected key raises UpstreamFailure with cause AUTH."""
        resp = self._http.request("GET", "/v1/whoami", timeout_s=timeout_s)
        self._http.raise_for_status(resp)
        json_object(resp.body)
        return resp.latency_s

    # ---- background work ----------------------------------------------------------

    def upload_batch(
        self, visits: Sequence[Mapping[str, Any]], idempotency_key: str, *, timeout_s: float = 5.0
    ) -> BatchResult:
        resp = self._http.request(
            "POST",
            "/v1/visits:batch",
            json_body={"kiosk_id": self._kiosk_id, "visits": list(visits)},
            headers={"Idempotency-Key": idempotency_key},
            timeout_s=timeout_s,
            max_body=MAX_LARGE_BODY,
        )
        self._http.raise_for_status(resp)
        data = json_object(resp.body)
        accepted = data.get("accepted", [])
        rejected = data.get("rejected", [])
        if not isinstance(accepted, list) or not all(isinstance(a, str) for a in accepted):
            raise UpstreamFailure(FailureCause.BAD_BODY, "visits:batch: 'accepted' is not a list of ids")
        if not isinstance(rejected, list):
            raise UpstreamFailure(FailureCause.BAD_BODY, "visits:batch: 'rejected' is not a list")
        rejections: list[RejectedRecord] = []
        for item in rejected:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str | None):
                raise UpstreamFailure(FailureCause.BAD_BODY, "visits:batch: malformed rejection")
            reason = item.get("reason")
            rejections.append(RejectedRecord(id=item.get("id"), reason=str(reason) if reason else "rejected"))
        return BatchResult(tuple(accepted), tuple(rejections), resp.latency_s)

    def trust_status(self, *, timeout_s: float = 10.0) -> list[str]:
        """The kids (base64) of the current trust list."""
        status = self.trust_status_if_changed(None, timeout_s=timeout_s)
        if status is None:  # a 304 to a request without If-None-Match
            raise UpstreamFailure(FailureCause.BAD_BODY, "trust status: 304 without a condition")
        return list(status.kids)

    def trust_status_if_changed(self, etag: str | None, *, timeout_s: float = 10.0) -> TrustStatus | None:
        """The trust list's kids and ETag, or None when it is unchanged since `etag` (HTTP 304)."""
        resp = self._get_if_changed("/signercertificateStatus", etag, "trust list", timeout_s=timeout_s)
        if resp is None:
            return None
        data = json_value(resp.body)
        if not isinstance(data, list) or not all(isinstance(k, str) for k in data):
            raise UpstreamFailure(FailureCause.BAD_BODY, "trust status: expected a list of kids")
        self._check_signed(resp, "trust list")
        return TrustStatus(tuple(data), resp.headers.get("ETag") or None)

    def trust_update(self, resume_token: str | None, *, timeout_s: float = 10.0) -> TrustUpdate | None:
        """The certificate after `resume_token` (None: the first one); None at the end of the list."""
        headers = {} if resume_token is None else {"X-RESUME-TOKEN": resume_token}
        self._signatures.require_key("trust list")
        resp = self._http.request(
            "GET", "/signercertificateUpdate", headers=headers, timeout_s=timeout_s, max_body=MAX_SMALL_BODY
        )
        if resp.status == 204:
            return None
        self._http.raise_for_status(resp)
        kid = resp.headers.get("X-KID")
        token = resp.headers.get("X-RESUME-TOKEN")
        if not kid:
            raise UpstreamFailure(FailureCause.BAD_BODY, "trust update: missing X-KID header")
        if not token:
            # Without a token the next call would restart the list and loop forever.
            raise UpstreamFailure(FailureCause.BAD_BODY, "trust update: missing X-RESUME-TOKEN header")
        try:
            raw = resp.body.decode("ascii").strip()
        except UnicodeDecodeError as exc:
            raise UpstreamFailure(FailureCause.BAD_BODY, "trust update: body is not base64 text") from exc
        # Each certificate is signed on its own, as DGCA's trust anchor signs each entry.
        self._check_signed(resp, "trust list")
        return TrustUpdate(kid=kid, raw=raw, resume_token=token)

    def trust_delta(
        self, after: str | None, etag: str | None, *, timeout_s: float = 10.0
    ) -> TrustDelta | None:
        """The trust list as a delta after resume token `after` in one request, or None when it is
        unchanged since `etag` (304). An upstream without the extension answers 404
        (UpstreamFailure with cause `4xx`)."""
        path = "/v1/trust/delta" + ("" if after is None else f"?after={quote(after)}")
        resp = self._get_if_changed(path, etag, "trust list", timeout_s=timeout_s)
        if resp is None:
            return None
        data = json_object(resp.body)
        kids, certs, token = data.get("kids"), data.get("certificates"), data.get("token")
        if not isinstance(kids, list) or not all(isinstance(k, str) for k in kids):
            raise UpstreamFailure(FailureCause.BAD_BODY, "trust delta: expected a list of kids")
        if not isinstance(certs, list) or not all(
            isinstance(c, dict) and isinstance(c.get("kid"), str) and isinstance(c.get("raw"), str)
            for c in certs
        ):
            raise UpstreamFailure(FailureCause.BAD_BODY, "trust delta: malformed certificates")
        if token is not None and not isinstance(token, str):
            raise UpstreamFailure(FailureCause.BAD_BODY, "trust delta: malformed token")
        self._check_signed(resp, "trust list")
        for cert in certs:
            # Each certificate also carries its own signature, as in the update stream.
            signature = cert.get("signature")
            own = signature if isinstance(signature, str) else None
            self._signatures.check(cert["raw"].encode("ascii"), own, "trust list")
        updates = tuple(TrustUpdate(c["kid"], c["raw"], None) for c in certs)
        return TrustDelta(tuple(kids), updates, token, resp.headers.get("ETag") or None)

    def revocations(self, since: float | None = None, *, timeout_s: float = 10.0) -> RevocationList:
        """Revoked certificate hashes published at or after `since` (upstream time; None: all)."""
        params = {} if since is None else {"since": repr(float(since))}
        self._signatures.require_key("revocation list")
        resp = self._http.request(
            "GET", "/v1/revocations", params=params, timeout_s=timeout_s, max_body=MAX_LARGE_BODY
        )
        self._http.raise_for_status(resp)
        data = json_object(resp.body)
        items = data.get("revocations")
        if not isinstance(items, list):
            raise UpstreamFailure(FailureCause.BAD_BODY, "revocations: expected a list")
        hashes: list[str] = []
        for item in items:
            digest = item.get("uci_hash") if isinstance(item, dict) else None
            if not isinstance(digest, str) or len(digest) != 64:
                raise UpstreamFailure(FailureCause.BAD_BODY, "revocations: malformed entry")
            hashes.append(digest.lower())
        until = data.get("until")
        if until is not None and (isinstance(until, bool) or not isinstance(until, int | float)):
            raise UpstreamFailure(FailureCause.BAD_BODY, "revocations: malformed 'until'")
        self._check_signed(resp, "revocation list")
        return RevocationList(tuple(hashes), None if until is None else float(until))

    def trust_issuers(self, *, timeout_s: float = 10.0) -> list[dict[str, Any]]:
        """The NZCP/SHC issuers upstream mirrors: [{issuer, format, document, crls?}] (raw, unvalidated)."""
        answer = self.trust_issuers_if_changed(None, timeout_s=timeout_s)
        if answer is None:  # a 304 to a request without If-None-Match
            raise UpstreamFailure(FailureCause.BAD_BODY, "trust issuers: 304 without a condition")
        return list(answer.items)

    def trust_issuers_if_changed(self, etag: str | None, *, timeout_s: float = 10.0) -> IssuerList | None:
        """The issuer list and its ETag, or None when it is unchanged since `etag` (HTTP 304)."""
        resp = self._get_if_changed("/v1/trust/issuers", etag, "NZCP/SHC issuer list", timeout_s=timeout_s)
        if resp is None:
            return None
        items = json_object(resp.body).get("issuers")
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise UpstreamFailure(FailureCause.BAD_BODY, "trust issuers: expected a list of objects")
        self._check_signed(resp, "NZCP/SHC issuer list")
        return IssuerList(tuple(items), resp.headers.get("ETag") or None)

    # ---- published lists ----------------------------------------------------------

    def _get_if_changed(
        self, path: str, etag: str | None, what: str, *, timeout_s: float
    ) -> Response | None:
        """A conditional GET of a published list: None when upstream answers 304 to `etag`."""
        self._signatures.require_key(what)
        headers = {} if etag is None else {"If-None-Match": etag}
        resp = self._http.request("GET", path, headers=headers, timeout_s=timeout_s, max_body=MAX_LARGE_BODY)
        if resp.status == 304 and etag is not None:
            return None
        self._http.raise_for_status(resp)
        return resp

    def _check_signed(self, resp: Response, what: str) -> None:
        # After the shape checks: a broken answer stays a BAD_BODY failure (a proxy's error
        # page), and only a well-formed list is refused for its signature.
        self._signatures.check(resp.body, resp.headers.get(SIGNATURE_HEADER), what)
