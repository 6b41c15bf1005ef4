"""How old the trust list is, as the status bar, the admin screen and maintenance judge it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kiosk.decision import PassKind
from kiosk.store.issuer_store import IssuerStore
from kiosk.store.trust_store import TrustStore


class TrustAgeLevel(StrEnum):
    FRESH = "fresh"  # green
    AGING = "aging"  # amber
    STALE = "stale"  # red: offline verdicts may miss new signers
    MISSING = "missing"  # no trust list at all: signed passes cannot be verified offline


@dataclass(frozen=True, slots=True)
class TrustAge:
    """What the status bar shows about the trust list."""

    updated_at: float | None  # wall time of the last successful sync (TrustStore.last_updated)
    age_s: float | None
    level: TrustAgeLevel

    @classmethod
    def at(cls, updated_at: float | None, now: float, warn_age_s: float, stale_age_s: float) -> TrustAge:
        if updated_at is None:
            return cls(None, None, TrustAgeLevel.MISSING)
        # A list "from the future" is a kiosk clock set back: call it new rather than negative.
        age = max(0.0, now - updated_at)
        if age >= stale_age_s:
            level = TrustAgeLevel.STALE
        elif age >= warn_age_s:
            level = TrustAgeLevel.AGING
        else:
            level = TrustAgeLevel.FRESH
        return cls(updated_at, age, level)


def trust_lists_updated_at(trust: TrustStore, issuers: IssuerStore) -> float | None:
    """When "the trust list" was last confirmed: to the owner that is the DCC signer list and
    the NZCP/SHC issuer list upstream mirrors, so the older of the two. The issuer list
    counts once a sync has stored it; no DCC list at all stays "missing"."""
    signers = trust.last_updated()
    mirrored = issuers.last_synced()
    if signers is None or mirrored is None:
        return signers
    return min(signers, mirrored)


class TrustListDates:
    """When the list that judges each kind of signed pass was last stored or confirmed
    (implements `kiosk.verify.engine.TrustDates`): DCC signers for an EU DCC, the issuer
    documents for an NZ COVID Pass or a SMART Health Card."""

    def __init__(self, trust: TrustStore, issuers: IssuerStore) -> None:
        self._trust = trust
        self._issuers = issuers

    def updated_at(self, kind: PassKind) -> float | None:
        if kind is PassKind.DCC:
            return self._trust.last_updated()
        return self._issuers.last_updated()
