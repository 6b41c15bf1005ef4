"""The upstream API itself (docs/architecture.md, "Upstream API"): request in, response out, no sockets.

Faults, auth and the wire format live in server.py; here each endpoint only
validates its input and asks `SimulatorState`. The trust-list endpoints follow
the EU DGCA verifier-service protocol: `/signercertificateUpdate` returns one
base64 DER certificate per call with `X-KID` and `X-RESUME-TOKEN` headers, the
client sends the last `X-RESUME-TOKEN` back to continue, and 204 marks the end.
`X-COUNTRY` is an extension some gateways add; clients may ignore it. Every answer
that publishes trust (signer status, each certificate, issuers, revocations) carries
`X-SIGNATURE` by the state's list key (kiosk.upstream.list_signature).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kiosk.errors import InputError
from kiosk.simulator.messages import Request, Response, error_response, json_response, retry_after
from kiosk.simulator.state import SimulatorState, b64
from kiosk.upstream.list_news import MAX_NEWS_REVOCATIONS, NEWS_HEADER, news_body
from kiosk.upstream.list_signature import SIGNATURE_HEADER

MAX_PASS_CHARS = 16 * 1024
MAX_IDEMPOTENCY_KEY = 200
MAX_CARRIED = 50  # pending visits one verification may carry (the carry extension)
VISITS_BATCH_PATH = "/v1/visits:batch"
HEALTH_PATH = "/v1/health"

Handler = Callable[[SimulatorState, Request, str | None], Response]


@dataclass(frozen=True, slots=True)
class Route:
    handler: Handler
    auth: bool = True


def _epoch(value: Any, name: str) -> float:
    """Epoch seconds from a number or an ISO 8601 string (no zone = UTC)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            return parsed.timestamp()
    raise InputError(f"'{name}' must be epoch seconds or an ISO 8601 time.", key="bad_request")


def verify(state: SimulatorState, req: Request, _scope: str | None) -> Response:
    body = req.json_object()
    kiosk_id, text = body.get("kiosk_id"), body.get("pass")
    if not isinstance(kiosk_id, str) or not kiosk_id:
        raise InputError("'kiosk_id' must be a non-empty string.", key="bad_request")
    if not isinstance(text, str) or not text or len(text) > MAX_PASS_CHARS:
        raise InputError(f"'pass' must be a string of 1 to {MAX_PASS_CHARS} characters.", key="bad_request")
    scanned_at = _epoch(body.get("scanned_at"), "scanned_at")
    visit = body.get("visit")
    if visit is not None and not isinstance(visit, dict):
        raise InputError("'visit' must be a visit record (an object) or absent.", key="bad_request")
    result = state.verify(text, scanned_at)
    out: dict[str, Any] = {"result": result.result, "reason": result.reason}
    if result.holder is not None:
        out["holder"] = result.holder
    if visit is not None:
        # A bad record never costs the verdict: it is answered as not recorded, with why.
        ack = state.visits.record_verified(kiosk_id, visit, valid=result.result == "valid")
        out["visit"] = {"id": ack.id, "recorded": ack.recorded}
        if ack.reason is not None:
            out["visit"]["reason"] = ack.reason
    pending = body.get("pending")
    if "carry" in state.extensions and pending is not None:
        # Malformed or too many: nothing acknowledged, the uploader sends them; never the verdict.
        fits = isinstance(pending, list) and len(pending) <= MAX_CARRIED
        out["pending_acks"] = state.visits.store_carried(kiosk_id, pending) if fits else []
    raw = req.header(NEWS_HEADER)
    cursor = "" if raw is None else raw.strip()
    # Asked for (an empty cursor: none stored yet); a malformed one costs the news, never the verdict.
    if "news" in state.extensions and raw is not None and (not cursor or _is_float(cursor)):
        news = _list_news(state, cursor)
        out["news"], out["news_signature"] = news, state.sign(news_body(news))
    return json_response(200, out)


def _list_news(state: SimulatorState, cursor: str) -> dict[str, Any]:
    """The list-news extension (kiosk.upstream.list_news): the lists' ETags as their own
    endpoints send them, and the revocations since the kiosk's cursor."""
    until = state.clock.now()
    revoked = state.revocations_since(float(cursor) if cursor else 0.0)
    hashes = None if len(revoked) > MAX_NEWS_REVOCATIONS else [h for h, _ in revoked]
    return {
        "trust_etag": _etag(_status_body(state)),
        "issuers_etag": _etag(_issuers_body(state)),
        "revocations": hashes,
        "until": None if hashes is None else until,
    }


def visits_batch(
    state: SimulatorState, req: Request, scope: str | None, *, partial: bool = False
) -> Response:
    """`partial` (the `partial_batch` fault): process and answer only the first half of the records."""
    key = req.header("Idempotency-Key")
    if not key or len(key) > MAX_IDEMPOTENCY_KEY:
        return error_response(
            400, "idempotency_key_required", "Send an Idempotency-Key header (at most 200 characters)."
        )
    body = req.json_object()
    fingerprint = hashlib.sha256(req.body).hexdigest()
    outcome = state.visits.submit_batch(scope or "", key, fingerprint, body, partial=partial)
    headers = (("Idempotent-Replayed", "true"),) if outcome.replayed else ()
    return json_response(outcome.status, outcome.body, headers)


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _status_body(state: SimulatorState) -> bytes:
    return json_response(200, [b64(e.kid) for e in state.trust_list()]).body


def _issuers_body(state: SimulatorState) -> bytes:
    return json_response(200, {"issuers": state.foreign.documents()}).body


def _conditional(req: Request, response: Response) -> Response:
    """`response` with an ETag of its body, or a bodiless 304 when the request's If-None-Match
    names that ETag: a kiosk whose copy is current pays for a few header bytes only."""
    etag = _etag(response.body)
    if etag in (req.header("If-None-Match") or "").replace(" ", "").split(","):
        return Response(304, b"", None, (("ETag", etag),))
    headers = (*response.headers, ("ETag", etag))
    return Response(response.status, response.body, response.content_type, headers)


def _signed(state: SimulatorState, response: Response) -> Response:
    """`response` with upstream's X-SIGNATURE over its body: every list a kiosk trusts is signed."""
    headers = (*response.headers, (SIGNATURE_HEADER, state.sign(response.body)))
    return Response(response.status, response.body, response.content_type, headers)


def signer_status(state: SimulatorState, req: Request, _scope: str | None) -> Response:
    """The kids, with an ETag: a kiosk whose list is current gets a bodiless 304 for its request."""
    return _conditional(req, _signed(state, Response(200, _status_body(state), "application/json")))


def signer_update(state: SimulatorState, req: Request, _scope: str | None) -> Response:
    raw = req.header("X-RESUME-TOKEN")
    token: int | None = None
    if raw is not None and raw.strip():
        try:
            token = int(raw.strip())
        except ValueError:
            return error_response(400, "bad_resume_token", "X-RESUME-TOKEN must be an integer.")
    entry = state.trust_after(token)
    if entry is None:
        return Response(204, b"", None)
    headers: tuple[tuple[str, str], ...] = (
        ("X-RESUME-TOKEN", str(entry.id)),
        ("X-KID", b64(entry.kid)),
        (SIGNATURE_HEADER, entry.signature),
    )
    if entry.country:
        headers += (("X-COUNTRY", entry.country),)
    return Response(200, entry.body, "text/plain; charset=utf-8", headers)


def trust_delta(state: SimulatorState, req: Request, _scope: str | None) -> Response:
    """The trust-list delta extension (docs/upstream-api.md): every kid listed now and the
    entries after resume token `after`, each with its own signature as the update stream
    sends it, in one answer signed as a whole; conditional on the signer status's ETag."""
    if "delta" not in state.extensions:
        return error_response(404, "not_found", "No such endpoint.")
    raw = req.query.get("after", "").strip()
    if raw and not raw.isdigit():
        return error_response(400, "bad_resume_token", "'after' must be a resume token (an integer).")
    after = int(raw) if raw else None
    etag = _etag(_status_body(state))
    if etag in (req.header("If-None-Match") or "").replace(" ", "").split(","):
        return Response(304, b"", None, (("ETag", etag),))
    entries = state.trust_list()
    body = {
        "kids": [b64(e.kid) for e in entries],
        "certificates": [
            {"kid": b64(e.kid), "raw": b64(e.der), "token": str(e.id), "signature": e.signature}
            for e in entries
            if after is None or e.id > after
        ],
        "token": str(entries[-1].id) if entries else None,
    }
    signed = _signed(state, json_response(200, body))
    return Response(signed.status, signed.body, signed.content_type, (*signed.headers, ("ETag", etag)))


def revocations(state: SimulatorState, req: Request, _scope: str | None) -> Response:
    raw = req.query.get("since", "0")
    since = float(raw) if _is_float(raw) else _epoch(raw, "since")
    until = state.clock.now()
    items = [{"uci_hash": h, "revoked_at": at} for h, at in state.revocations_since(since)]
    return _signed(state, json_response(200, {"revocations": items, "until": until}))


def _is_float(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def tokens(state: SimulatorState, req: Request, _scope: str | None) -> Response:
    # Optional {"holder": name}: the registered holder, which /v1/verify then sends in full.
    holder = req.json_object().get("holder") if req.body else None
    if holder is not None and (not isinstance(holder, str) or not holder.strip()):
        raise InputError("'holder' must be a non-empty string or absent.", key="bad_request")
    issued = state.issue_token(holder=holder)
    return json_response(
        201, {"token": issued.token, "issued_at": issued.issued_at, "expires_at": issued.expires_at}
    )


def dcc(state: SimulatorState, req: Request, _scope: str | None) -> Response:
    issued = state.issue_dcc(req.json_object())
    return json_response(
        201,
        {
            "pass": issued.text,
            "uci": issued.uci,
            "kid": b64(issued.kid),
            "alg": issued.alg,
            "type": issued.cert_type,
            "expires_at": issued.expires_at,
        },
    )


def trust_issuers(state: SimulatorState, req: Request, _scope: str | None) -> Response:
    """The foreign issuers upstream trusts, with their DID documents / JWKS and revocation lists;
    conditional like the signer status (a new revocation changes the body, hence the ETag)."""
    return _conditional(req, _signed(state, Response(200, _issuers_body(state), "application/json")))


def nzcp(state: SimulatorState, req: Request, _scope: str | None) -> Response:
    return json_response(201, state.foreign.issue_nzcp(req.json_object() if req.body else {}))


def shc(state: SimulatorState, req: Request, _scope: str | None) -> Response:
    return json_response(201, state.foreign.issue_shc(req.json_object() if req.body else {}))


def whoami(_state: SimulatorState, _req: Request, scope: str | None) -> Response:
    """The cheapest authenticated call: proves the kiosk's key is accepted (`kiosk doctor`)."""
    return json_response(200, {"status": "ok", "authenticated": scope is not None})


def health(state: SimulatorState, _req: Request, _scope: str | None) -> Response:
    return json_response(200, {"status": "ok", "time": state.clock.now()})


def down_response(wait_s: float) -> Response:
    """The health-wait extension: a front door that is up while the service is down says so,
    and when to look again, so a kiosk's breaker skips the probes in between."""
    return error_response(503, "down", "The service is down; look again later.", retry_after(wait_s))


ROUTES: dict[tuple[str, str], Route] = {
    ("POST", "/v1/verify"): Route(verify),
    ("POST", VISITS_BATCH_PATH): Route(visits_batch),
    ("GET", "/signercertificateStatus"): Route(signer_status),
    ("GET", "/signercertificateUpdate"): Route(signer_update),
    ("GET", "/v1/trust/delta"): Route(trust_delta),
    ("GET", "/v1/revocations"): Route(revocations),
    ("POST", "/v1/tokens"): Route(tokens),
    ("POST", "/v1/dcc"): Route(dcc),
    ("GET", "/v1/trust/issuers"): Route(trust_issuers),
    ("POST", "/v1/nzcp"): Route(nzcp),
    ("POST", "/v1/shc"): Route(shc),
    ("GET", "/v1/whoami"): Route(whoami),
    ("GET", HEALTH_PATH): Route(health, auth=False),
}
