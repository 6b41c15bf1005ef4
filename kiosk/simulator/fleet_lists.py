"""What upstream publishes during a fleet scenario, over virtual time: the DCC trust list,
the revocation list, and its answer to each pass.

The trust list is the DGCA update stream: every signer has a publication number (its
resume token), new signers get higher numbers, withdrawn ones disappear. With
`Scenario.list_change` the list gains 5 % and loses 2 % of its signers at
`Scenario.list_change_s`, and its ETag changes with it. Revocations trickle in (one
every `REVOCATION_EVERY_S`), the pool's revoked DCC among them at `Scenario.revocation_s`,
and with `list_change` a burst of `REVOCATION_BURST` arrives at the list change.

Upstream answers a pass valid unless it is a used check-in token (`Scenario.invalid_share`
of them, decided by the token's text) or the revoked DCC after its revocation.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import random
from dataclasses import dataclass

from kiosk.pass_hash import uci_hash
from kiosk.simulator.fleet_scenario import PassPool, Scenario
from kiosk.verify.online import OnlineResult

REVOCATION_EVERY_S = 600.0
REVOCATION_BURST = 100
ISSUERS_ETAG = '"fleet-issuer-list-1"'  # the NZCP/SHC issuer list never changes in a scenario


@dataclass(frozen=True, slots=True)
class TrustVersion:
    etag: str
    tokens: tuple[int, ...]  # publication numbers in the list, ascending
    kids: tuple[str, ...]  # base64, in the same order

    @property
    def last_token(self) -> str | None:
        return str(self.tokens[-1]) if self.tokens else None


class PublishedLists:
    def __init__(self, scenario: Scenario, pool: PassPool) -> None:
        self._epoch = scenario.start_epoch
        self._change_s = scenario.list_change_s
        self._invalid_share = scenario.invalid_share
        certs = pool.trust_list + pool.new_signers
        self._kids = tuple(base64.b64encode(c.kid).decode("ascii") for c in certs)
        self._ders = tuple(base64.b64encode(c.der).decode("ascii") for c in certs)
        first = tuple(range(len(pool.trust_list)))
        self._versions = [TrustVersion('"fleet-trust-list-1"', first, self._pick(first))]
        if scenario.list_change:
            rng = random.Random(f"{scenario.seed}:list-change")
            # The pool's own signer (publication 0) stays: the passes shown are signed by it.
            withdrawn = set(rng.sample(range(1, len(first)), pool.withdrawn))
            kept = tuple(t for t in first if t not in withdrawn)
            second = kept + tuple(range(len(first), len(certs)))
            self._versions.append(TrustVersion('"fleet-trust-list-2"', second, self._pick(second)))
        # (upstream time, hash), in order of publication.
        rng = random.Random(f"{scenario.seed}:revocations")
        published = [
            (self._epoch + t, f"{rng.getrandbits(256):064x}")
            for t in _range(REVOCATION_EVERY_S, scenario.length_s, REVOCATION_EVERY_S)
        ]
        self.revoked_dcc_hash = uci_hash(pool.revoked_uci)
        self._revoked_dcc_s = scenario.revocation_s
        published.append((self._epoch + self._revoked_dcc_s, self.revoked_dcc_hash))
        if scenario.list_change:
            at = self._epoch + self._change_s
            published += [(at, f"{rng.getrandbits(256):064x}") for _ in range(REVOCATION_BURST)]
        published.sort()
        self._revoked_at = [t for t, _ in published]
        self._revoked = [h for _, h in published]
        self._revoked_dcc = pool.revoked_dcc

    def _pick(self, tokens: tuple[int, ...]) -> tuple[str, ...]:
        return tuple(self._kids[t] for t in tokens)

    def trust_at(self, t: float) -> TrustVersion:
        return self._versions[-1] if len(self._versions) > 1 and t >= self._change_s else self._versions[0]

    def trust_update(self, t: float, resume_token: str | None) -> tuple[str, str, str] | None:
        """The DGCA update stream at `t`: the first signer after `resume_token`, as (kid, der, token)."""
        tokens = self.trust_at(t).tokens
        after = -1 if resume_token is None else int(resume_token)
        i = bisect.bisect_right(tokens, after)
        if i >= len(tokens):
            return None
        token = tokens[i]
        return self._kids[token], self._ders[token], str(token)

    def delta(self, t: float, after: str | None) -> tuple[TrustVersion, list[tuple[str, str]], str | None]:
        """The delta extension at `t`: the list now, the (kid, der) after `after`, the last token."""
        version = self.trust_at(t)
        start = -1 if after is None else int(after)
        fresh = [(self._kids[tok], self._ders[tok]) for tok in version.tokens if tok > start]
        return version, fresh, version.last_token

    def revocations(self, since: float | None, t: float) -> tuple[tuple[str, ...], float]:
        """Hashes published in [since, now] (upstream answers `since` inclusively), and now."""
        now = self._epoch + t
        lo = 0 if since is None else bisect.bisect_left(self._revoked_at, since)
        hi = bisect.bisect_right(self._revoked_at, now)
        return tuple(self._revoked[lo:hi]), now

    def revoked_by(self, t: float) -> frozenset[str]:
        """Every hash published by `t` (scenario time)."""
        return frozenset(self._revoked[: bisect.bisect_right(self._revoked_at, self._epoch + t)])

    def answer(self, text: str, t: float) -> OnlineResult:
        if text == self._revoked_dcc:
            return OnlineResult.REVOKED if t >= self._revoked_dcc_s else OnlineResult.VALID
        if text.startswith("KP1:") and _share(text) < self._invalid_share:
            return OnlineResult.INVALID
        return OnlineResult.VALID


def _share(text: str) -> float:
    """A fixed number in [0, 1) for a text: the same answer for every policy and every ask."""
    return int.from_bytes(hashlib.sha256(text.encode("ascii")).digest()[:4], "big") / 2**32


def _range(start: float, stop: float, step: float) -> list[float]:
    out = []
    t = start
    while t < stop:
        out.append(t)
        t += step
    return out
