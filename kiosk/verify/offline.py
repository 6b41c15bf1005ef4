"""Turning an offline check of a signed pass into a verdict: issuer, signature, validity window,
key usage, revocation, rules. One order of checks and one set of reasons for every format."""

from __future__ import annotations

from kiosk.decision import PassKind, Reason, Verdict
from kiosk.passes.model import DccCheck, KeyUsageState, SignatureState
from kiosk.passes.rules import RulesConfig, evaluate
from kiosk.passes.shc_rules import evaluate_fhir


def dcc_reason(
    check: DccCheck, *, at: float, rules: RulesConfig, revoked: bool, kind: PassKind = PassKind.DCC
) -> Reason:
    """The first thing wrong with the pass, in the order a verifier must check them, or VALID."""
    if not check.decoded or check.payload is None:
        return Reason.DECODE_FAILED
    if check.issuer_trusted is False:
        return Reason.UNKNOWN_ISSUER
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
    if revoked or check.revoked:
        return Reason.REVOKED
    return rules_reason(check, at=at, rules=rules, kind=kind)


def rules_reason(check: DccCheck, *, at: float, rules: RulesConfig, kind: PassKind = PassKind.DCC) -> Reason:
    if check.payload is None:
        return Reason.DECODE_FAILED
    if kind is PassKind.NZCP:
        # An NZ COVID Pass carries no medical detail: the signed, active pass is the proof itself.
        return Reason.VALID
    if kind is PassKind.SHC:
        return evaluate_fhir(check.payload, at, rules)
    return evaluate(check.payload, at, rules)


# Reasons that depend on the trust list rather than the pass: with no list, or one past the
# hard limit, these are what the kiosk cannot judge (a bad signature or an expired pass it can).
TRUST_DEPENDENT = frozenset({Reason.VALID, Reason.UNKNOWN_SIGNER, Reason.UNKNOWN_ISSUER})


def verdict_for(reason: Reason) -> Verdict:
    if reason in (Reason.TRUST_LIST_MISSING, Reason.TRUST_LIST_EXPIRED):
        return Verdict.MANUAL
    return Verdict.ADMIT if reason is Reason.VALID else Verdict.DENY
