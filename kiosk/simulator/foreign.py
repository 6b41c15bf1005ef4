"""Foreign issuers in the simulator: one NZ COVID Pass issuer and one SMART Health Card issuer.

Upstream plays the trust gateway for them: `GET /v1/trust/issuers` publishes each
issuer's DID document or JWKS (with its revocation lists), as a national service
would mirror the issuers it trusts, so kiosks never fetch from the issuers' own
hosts. `POST /v1/nzcp` and `POST /v1/shc` issue passes for the demo phone and tests;
`{"revoked": true}` on an SHC issue lists the card's `rid` in the revocation list.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from kiosk.clock import Clock
from kiosk.errors import InputError
from kiosk.passes import nzcp_issue, shc_issue

NZCP_ISSUER = "did:web:nzcp.simulator.invalid"
SHC_ISSUER = "https://shc.simulator.invalid/issuer"
UNUSABLE_ISSUER = "did:web:unusable.simulator.invalid"
_DAY = 86_400.0


class ForeignIssuers:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._nz_key = nzcp_issue.new_key()
        self._shc_key, self._shc_kid = shc_issue.new_key()
        self._revoked: list[str] = []
        self._unusable = False

    def reset(self) -> None:
        """Forget revocations and stop publishing the unusable issuer; the keys stay."""
        with self._lock:
            self._revoked.clear()
            self._unusable = False

    def publish_unusable(self, on: bool = True) -> None:
        """Also mirror an issuer whose DID document lists no key, as a real mirror occasionally
        does: the kiosk must skip that one and store the others."""
        with self._lock:
            self._unusable = on

    def documents(self) -> list[dict[str, Any]]:
        with self._lock:
            revoked = list(self._revoked)
            unusable = self._unusable
        crl_version = 1 + len(revoked)  # the counter grows with every update of the list
        broken = [{"issuer": UNUSABLE_ISSUER, "format": "did", "document": {"id": UNUSABLE_ISSUER}}]
        return [
            {
                "issuer": NZCP_ISSUER,
                "format": "did",
                "document": nzcp_issue.did_document(NZCP_ISSUER, {"key-1": self._nz_key.public_key()}),
            },
            {
                "issuer": SHC_ISSUER,
                "format": "jwks",
                "document": shc_issue.jwks({self._shc_kid: self._shc_key.public_key()},
                                           crl_versions={self._shc_kid: crl_version}),
                "crls": {self._shc_kid: shc_issue.crl(self._shc_kid, revoked, ctr=crl_version)},
            },
            *(broken if unusable else []),
        ]

    def issue_nzcp(self, body: Mapping[str, Any]) -> dict[str, Any]:
        now = int(self._clock.now())
        days = _number(body.get("valid_days", 365), "valid_days")
        text = nzcp_issue.issue_nzcp(
            self._nz_key, iss=NZCP_ISSUER, kid="key-1", nbf=now - 60, exp=now + int(days * _DAY),
            given_name=_text(body.get("given_name", "Jack")),
            family_name=_text(body.get("family_name", "Sparrow")),
        )
        return {"pass": text, "issuer": NZCP_ISSUER}

    def issue_shc(self, body: Mapping[str, Any]) -> dict[str, Any]:
        now = self._clock.now()
        days_ago = _number(body.get("days_ago", 30), "days_ago")
        chunks = int(_number(body.get("chunks", 1), "chunks"))
        if not 1 <= chunks <= 4:
            raise InputError("'chunks' must be 1 to 4.", key="bad_request")
        dose = self._day(now - days_ago * _DAY)
        resources = [shc_issue.patient(_text(body.get("family_name", "Anyperson"))),
                     shc_issue.immunization("212", dose)]
        rid = secrets.token_urlsafe(8)
        card = shc_issue.card_payload(SHC_ISSUER, now - 60, resources, rid=rid)
        texts = shc_issue.qr_texts(shc_issue.sign_card(card, self._shc_key, self._shc_kid), chunks)
        if body.get("revoked") is True:
            with self._lock:
                self._revoked.append(rid)
        return {"passes": texts, "issuer": SHC_ISSUER, "rid": rid}

    @staticmethod
    def _day(epoch: float) -> str:
        return datetime.fromtimestamp(epoch, tz=UTC).date().isoformat()


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 3650:
        raise InputError(f"'{name}' must be a number from 0 to 3650.", key="bad_request")
    return float(value)


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 100:
        raise InputError("names must be text of 1 to 100 characters.", key="bad_request")
    return value
