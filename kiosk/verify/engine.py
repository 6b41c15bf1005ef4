"""The verify engine: one scan in, one durable decision out, within the verification budget.

Order of work for every scan (docs/architecture.md, "The verdict path"):
1. classify and run the offline check first (a few ms), so a fallback answer is ready;
2. ask upstream if the breaker allows, with whatever budget is left after keeping a
   reserve for storing and rendering; any failure feeds the breaker and falls back;
3. record the visit and its outbox row in one transaction;
4. only then return the decision.
The GUI, the CLI and the fleet simulation all drive this same class.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol, runtime_checkable

from kiosk.clock import Clock
from kiosk.decision import Decision, Health, PassKind, Reason, Verdict, VerifiedBy
from kiosk.passes.classify import classify
from kiosk.passes.dcc import check_dcc
from kiosk.passes.holder import holder_name
from kiosk.passes.issuers import NO_ISSUERS, IssuerTrust
from kiosk.passes.masking import mask_holder, mask_text
from kiosk.passes.model import DccCheck, TrustLookup
from kiosk.passes.nzcp import check_nzcp
from kiosk.passes.rules import RulesConfig
from kiosk.passes.shc import check_shc
from kiosk.verify.breaker import BreakerState, CircuitBreaker
from kiosk.verify.budget import Budget
from kiosk.verify.carry import Carry
from kiosk.verify.offline import TRUST_DEPENDENT, dcc_reason, rules_reason, verdict_for
from kiosk.verify.online import FailureCause, OnlineChecker, OnlineResult, OnlineVerdict, UpstreamFailure

log = logging.getLogger(__name__)

# Below this much time left an online call cannot succeed, so it is not started.
_MIN_ONLINE_S = 0.05
# Kept back from the wait for the data file's write lock: what writing the visit to the
# fallback journal (one fsynced append) needs when the lock does not come in time.
_JOURNAL_S = 0.03
# The recorder may always try this long for the lock: a commit from another thread of
# the kiosk holds it for milliseconds, and journalling a visit for that is needless.
_MIN_LOCK_WAIT_S = 0.01
# ...and never longer than this: a lock held past it is an owner command or a backup that
# may last seconds, so waiting out the whole budget would only slow every verdict meanwhile.
_MAX_LOCK_WAIT_S = 0.25
# What upstream's /v1/verify knows. NZ COVID Passes and SMART Health Cards are foreign
# passes the national service cannot judge: they are verified offline only, against
# their issuers' keys, with the same budget, store and screens.
_ONLINE_KINDS = frozenset({PassKind.DCC, PassKind.TOKEN})
CLOSED = BreakerState.CLOSED


@dataclass(frozen=True, slots=True)
class EngineSettings:
    kiosk_id: str = "kiosk-1"
    budget_s: float = 1.0
    reserve_s: float = 0.1  # kept back from the online call for storing and rendering
    # A trust list older than this no longer judges signed passes offline ([trust] hard_limit_days).
    trust_hard_limit_s: float = 30 * 86_400.0


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A decision plus what the offline check saw (for `kiosk verify --json` and diagnostics)."""

    decision: Decision
    dcc: DccCheck | None
    online_attempted: bool
    online_failure: str | None  # FailureCause value when the online call failed
    elapsed_s: float


class VisitRecorder(Protocol):
    def record(
        self, text: str, decision: Decision, dcc: DccCheck | None, scanned_at: float, *, wait_s: float | None
    ) -> str:
        """Commit the visit and its outbox row (waiting at most `wait_s` for another writer, then
        keeping it durably elsewhere); return the visit id. Raise StoreError when it cannot."""
        ...


@runtime_checkable
# isinstance() checks every member of a runtime Protocol: a mutation run must add none (docs/mutation.md).
class DraftingRecorder(Protocol):  # pragma: no mutate block
    """A recorder that can name a visit before it is written (kiosk.store.recorder.StoreRecorder).

    With one, an online check carries the visit record, so upstream stores the visit in
    the same call and a healthy scan costs one request instead of a verify plus an upload.
    """

    def draft(self, text: str, decision: Decision, dcc: DccCheck | None, scanned_at: float) -> Any: ...

    def upload_form(self, draft: Any) -> Mapping[str, Any]: ...

    def commit(
        self,
        draft: Any,
        decision: Decision,
        *,
        confirmed: bool = False,
        wait_s: float | None = None,
        carried: Sequence[str] = (),
    ) -> str: ...


class TrustDates(Protocol):
    def updated_at(self, kind: PassKind) -> float | None:
        """When the list judging this kind of signed pass was last stored or confirmed; None: no list."""
        ...


class RevocationCheck(Protocol):
    def is_revoked(self, uci: str) -> bool: ...


class VerificationEngine:
    def __init__(
        self,
        *,
        trust: TrustLookup,
        rules: RulesConfig,
        clock: Clock,
        settings: EngineSettings | None = None,
        recorder: VisitRecorder | None = None,
        online: OnlineChecker | None = None,
        breaker: CircuitBreaker | None = None,
        revocations: RevocationCheck | None = None,
        issuers: IssuerTrust | None = None,
        trust_dates: TrustDates | None = None,
        dcc_check: Callable[[str, TrustLookup, float], DccCheck] = check_dcc,
    ) -> None:
        """`dcc_check` is `check_dcc` in the app; the fleet simulation passes a memoizing
        wrapper (the same answer, computed once per pass and hour instead of per scan).
        `trust_dates`: with it, a signed pass judged offline with no trust list, or one past
        the hard limit, is a staff check instead of a verdict the list cannot back."""
        if online is not None and breaker is None:
            raise ValueError("an online checker needs a circuit breaker")
        self._trust = trust
        self._rules = rules
        self._clock = clock
        self._settings = settings or EngineSettings()
        self._recorder = recorder
        # Decided once: a runtime Protocol check per scan was 3 % of the fleet simulation's time.
        self._drafting = recorder if isinstance(recorder, DraftingRecorder) else None
        # A store that lists its pending visits lets verifications carry them (kiosk.verify.carry).
        self._carry = Carry(self._drafting if hasattr(self._drafting, "pending_forms") else None)
        self._online = online
        self._breaker = breaker
        self._revocations = revocations
        self._issuers = issuers or NO_ISSUERS
        self._trust_dates = trust_dates
        self._check_dcc = dcc_check
        self._scan_holder: tuple[DccCheck | None, str | None] | None = None
        # One scan at a time: the entrance has one queue, and the breaker's probe logic assumes it.
        self._lock = threading.Lock()

    @property
    def health(self) -> Health:
        if self._online is None or self._breaker is None:
            return Health.OFFLINE
        return self._breaker.health

    def verify(self, text: str, *, at: float | None = None) -> Evaluation:
        with self._lock:
            try:
                return self._verify(text, at)
            finally:
                self._scan_holder = None

    def _verify(self, text: str, at: float | None) -> Evaluation:
        budget = Budget(self._clock, self._settings.budget_s)
        scanned_at = self._clock.now() if at is None else at
        kind = classify(text)
        dcc = self._check(kind, text, scanned_at)
        try:
            decision = self._offline_decision(kind, dcc, scanned_at)
        except Exception as exc:
            # check_dcc, the rules and masking each handle hostile values themselves; this
            # only keeps a bug there from costing the verdict and the visit.
            log.warning("offline decision failed (%s); denied as undecodable", type(exc).__name__)
            decision = Decision(Verdict.DENY, Reason.DECODE_FAILED, VerifiedBy.NONE, kind)

        attempted = False
        failure: str | None = None
        draft: Any = None
        confirmed = False
        acked: tuple[str, ...] = ()
        drafting = self._drafting
        if (
            kind in _ONLINE_KINDS
            and self._online is not None
            and self._breaker is not None
            and not (decision.verified_by is VerifiedBy.OFFLINE and self._breaker.unsettled())
        ):
            # (While upstream is degraded, a signed pass the offline check judged keeps that verdict.)
            timeout = budget.timeout_for(self._settings.reserve_s)
            if timeout >= _MIN_ONLINE_S and self._breaker.allow_request():
                attempted = True
                visit: Mapping[str, Any] | None = None
                proposal: Decision | None = None
                if drafting is not None:
                    # The record this visit gets if upstream answers valid, with the id it keeps
                    # whatever happens: upstream may store it in this very call.
                    try:
                        proposal = self._online_decision(kind, dcc, _VALID, scanned_at)
                        draft = drafting.draft(text, proposal, dcc, scanned_at)
                        visit = drafting.upload_form(draft)
                    except Exception as exc:
                        # A hostile pass the rules choke on: verify it without its visit
                        # (which then uploads in a batch) rather than lose the online answer.
                        log.warning("visit not drafted (%s); it uploads in a batch", type(exc).__name__)
                        proposal = draft = visit = None
                # Not on the breaker's probe: a probe stays as light as a scan of its own.
                carrying = visit is not None and self._breaker.state is CLOSED
                carried = self._carry.forms(self._clock.now()) if carrying else ()
                started = self._clock.monotonic()
                try:
                    if visit is None:
                        verdict = self._online.verify(text, scanned_at=scanned_at, timeout_s=timeout)
                    elif carried:
                        verdict = self._online.verify(
                            text, scanned_at=scanned_at, timeout_s=timeout, visit=visit, pending=carried
                        )
                    else:
                        verdict = self._online.verify(
                            text, scanned_at=scanned_at, timeout_s=timeout, visit=visit
                        )
                except UpstreamFailure as exc:
                    self._breaker.record_failure(
                        exc.cause,
                        retry_after_s=exc.retry_after_s,
                        latency_s=self._clock.monotonic() - started,
                    )
                    failure = str(exc.cause)
                except Exception:
                    # A bug in the online path must cost the online answer, never the verdict
                    # (and must not keep the breaker's half-open probe slot forever).
                    log.exception("online check failed unexpectedly; using the offline verdict")
                    self._breaker.record_failure(
                        FailureCause.BAD_BODY, latency_s=self._clock.monotonic() - started
                    )
                    failure = str(FailureCause.BAD_BODY)
                else:
                    self._breaker.record_success(self._clock.monotonic() - started)
                    decision = self._online_decision(kind, dcc, verdict, scanned_at)
                    # Upstream stored the proposal; it is this visit's record only if the final
                    # decision is the proposed one (it is whenever upstream said valid).
                    confirmed = verdict.visit_recorded and proposal is not None and _same_outcome(
                        decision, proposal
                    )
                    acked = self._carry.acknowledged(carried, verdict)

        decision = replace(decision, health=self.health)
        if self._recorder is not None:
            wait_s = max(_MIN_LOCK_WAIT_S, min(_MAX_LOCK_WAIT_S, budget.remaining() - _JOURNAL_S))
            if drafting is not None and draft is not None:
                # The drafted id even when the call failed: upstream may have stored the record
                # and only the answer was lost, so the upload must name the same visit.
                visit_id = drafting.commit(
                    draft, decision, confirmed=confirmed, wait_s=wait_s, carried=acked
                )
            else:
                visit_id = self._recorder.record(text, decision, dcc, scanned_at, wait_s=wait_s)
            decision = replace(decision, visit_id=visit_id)
        return Evaluation(decision, dcc, attempted, failure, budget.elapsed())

    def _check(self, kind: PassKind, text: str, at: float) -> DccCheck | None:
        if kind is PassKind.DCC:
            return self._check_dcc(text, self._trust, at)
        if kind is PassKind.NZCP:
            return check_nzcp(text, self._issuers, at)
        if kind is PassKind.SHC:
            return check_shc(text, self._issuers, at)
        return None

    def _holder(self, dcc: DccCheck | None) -> str | None:
        # A scan asks up to three times (offline, the online proposal, the online answer);
        # masking walks the name character by character, so once per scan is enough. The
        # entry is dropped when the scan ends: no name outlives its verdict here.
        found = self._scan_holder
        if found is not None and found[0] is dcc:
            return found[1]
        masked = _holder(dcc)
        self._scan_holder = (dcc, masked)
        return masked

    def _offline_decision(self, kind: PassKind, dcc: DccCheck | None, at: float) -> Decision:
        if kind is PassKind.UNKNOWN:
            return Decision(Verdict.DENY, Reason.NOT_A_PASS, VerifiedBy.NONE, kind)
        if dcc is None:
            # An opaque token (the only other kind) can only be redeemed upstream: staff check
            # by eye and the visit is logged.
            return Decision(Verdict.MANUAL, Reason.UPSTREAM_UNAVAILABLE, VerifiedBy.NONE, kind)
        revoked = bool(dcc.uci and self._revocations and self._revocations.is_revoked(dcc.uci))
        reason = dcc_reason(dcc, at=at, rules=self._rules, revoked=revoked, kind=kind)
        by = VerifiedBy.NONE if reason is Reason.DECODE_FAILED else VerifiedBy.OFFLINE
        if reason in TRUST_DEPENDENT:
            unjudged = self._trust_problem(kind)
            if unjudged is not None:
                reason, by = unjudged, VerifiedBy.NONE
        return Decision(
            verdict_for(reason), reason, by, kind, holder_masked=self._holder(dcc), detail=_detail(dcc)
        )

    def _trust_problem(self, kind: PassKind) -> Reason | None:
        if self._trust_dates is None:
            return None
        updated = self._trust_dates.updated_at(kind)
        if updated is None:
            return Reason.TRUST_LIST_MISSING
        if self._clock.now() - updated > self._settings.trust_hard_limit_s:
            return Reason.TRUST_LIST_EXPIRED
        return None

    def _online_decision(
        self, kind: PassKind, dcc: DccCheck | None, verdict: OnlineVerdict, at: float
    ) -> Decision:
        holder = self._holder(dcc) or (mask_text(verdict.holder) if verdict.holder else None)
        if verdict.result is OnlineResult.VALID:
            # Upstream vouches for signature and status; the venue's own rules still apply to the entry.
            reason = Reason.VALID
            if dcc and dcc.decoded:
                reason = rules_reason(dcc, at=at, rules=self._rules, kind=kind)
        else:
            reason = {
                OnlineResult.REVOKED: Reason.REVOKED,
                OnlineResult.EXPIRED: Reason.EXPIRED,
            }.get(verdict.result, Reason.UPSTREAM_INVALID)
        return Decision(
            verdict_for(reason), reason, VerifiedBy.ONLINE, kind, holder_masked=holder, detail=verdict.reason
        )


_VALID = OnlineVerdict(OnlineResult.VALID)


def _same_outcome(a: Decision, b: Decision) -> bool:
    return (a.kind, a.verdict, a.reason, a.verified_by) == (b.kind, b.verdict, b.reason, b.verified_by)


def _holder(dcc: DccCheck | None) -> str | None:
    if dcc is None or dcc.payload is None:
        return None
    return mask_holder(holder_name(dcc.payload))


def _detail(dcc: DccCheck | None) -> str | None:
    if dcc is None:
        return None
    return dcc.error_detail
