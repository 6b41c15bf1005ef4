"""Turning an offline DCC check into a verdict: signature, validity window, key usage, revocation, rules."""

from __future__ import annotations

from kiosk.passes.model import DccCheck, KeyUsageState, SignatureState
from kiosk.passes.rules import RulesConfig, evaluate
from kiosk.verify.decision import Reason, Verdict


def dcc_reason(check: DccCheck, *, at: float, rules: RulesConfig, revoked: bool) -> Reason:
    """The first thing wrong with the pass, in the order a verifier must check them, or VALID."""
    if not check.decoded or check.payload is None:
        return Reason.DECODE_FAILED
    if check.signature is SignatureState.UNKNOWN_KEY:
        return Reason.UNKNOWN_SIGNER
    if check.signature is not SignatureState.VALID:
        return Reason.BAD_SIGNATURE
    if check.expired:
        if check.issued_at is not None and at < check.issued_at:
            return Reason.NOT_YET_VALID
        return Reason.EXPIRED
    if check.key_usage is KeyUsageState.MISMATCH:
        return Reason.KEY_USAGE_MISMATCH
    if revoked:
        return Reason.REVOKED
    return rules_reason(check, at=at, rules=rules)


def rules_reason(check: DccCheck, *, at: float, rules: RulesConfig) -> Reason:
    if check.payload is None:
        return Reason.DECODE_FAILED
    return evaluate(check.payload, at, rules)


def verdict_for(reason: Reason) -> Verdict:
    return Verdict.ADMIT if reason is Reason.VALID else Verdict.DENY
