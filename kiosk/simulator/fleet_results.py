"""The figures of one policy's run in the fleet simulation, and the checks behind them:
requests per scan overall and per window, verdict times, the backlog's drain, and the
ledger compared with what the screens showed (lost, duplicate, second-id and mismatched
records).
"""

from __future__ import annotations

import math
import sys
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from kiosk.simulator.fleet_kiosk import SimKiosk
from kiosk.simulator.fleet_policy import Policy
from kiosk.simulator.fleet_scenario import Scenario
from kiosk.simulator.fleet_upstream import Content, Ledger, RequestCounts, UpstreamModel, content_code
from kiosk.verify.breaker import BreakerState

# The windows every figure is also given for (Scenario.window_at).
WINDOWS = ("healthy", "partial", "outage", "quiet")
# The arrival rate compared with upstream's capacity is averaged over this long: its queue
# absorbs the bursts of single seconds (it sheds only past 1.5 s of queued work).
PEAK_WINDOW_S = 60


@dataclass(frozen=True, slots=True)
class PolicyResult:
    policy: str
    scans: int
    scans_surge: int
    scans_outage: int
    requests: dict[str, dict[str, int]]  # window -> counts (total, timeouts, ..., and by kind)
    requests_by_kind: dict[str, int]  # the whole run
    upstream_requests_per_scan: float  # every request of the whole run, per scan
    upstream_requests_per_scan_surge: float
    upstream_requests_per_scan_outage: float
    requests_per_scan_outside_outage: float  # upstream healthy: outside the outage and partial capacity
    verdicts_within_budget: float
    p50_verdict_ms: float
    p99_verdict_ms: float
    max_verdict_ms: float
    verified_online: float  # share of scans with an online verdict
    requests_per_scan_by_window: dict[str, float | None]  # WINDOWS; None where a window had no scan
    scans_by_window: dict[str, int]
    backlog_records: int  # visits recorded before recovery and not acknowledged by then
    backlog_drain_s: float | None  # after full recovery; None: not drained when the simulation ended
    backlog_drain_after_outage_s: float | None  # the same, counted from the end of the outage
    lost_records: int  # verdicts shown whose visit upstream never stored (or that had no visit)
    duplicate_records: int
    redelivered_records: int
    second_id_records: int  # stored records that belong to no verdict shown (a visit under a new id)
    mismatched_records: int  # stored records whose contents differ from the verdict shown
    revoked_scans: int  # scans of the revoked pass after its revocation was published
    revoked_admitted: int  # ... that were admitted all the same (a revocation list not yet synced)
    # The freshness bound: seconds from the revocation's publication (or, published while
    # upstream was not healthy, from full recovery) until the last kiosk stored it; None:
    # some kiosk had not stored it when the simulation ended.
    revocation_lag_s: float | None
    breaker_open_in_outage: int | None  # kiosks seen with an open breaker; None without a breaker
    breaker_closed_at_end: int | None
    end_s: float  # virtual time when the simulation stopped
    wall_s: float
    peak_rss_mb: float | None  # the simulating process's peak resident memory (None: not measurable here)
    capacity_per_s: float  # upstream's full capacity (work units per second; a verification is one)
    peak_arrivals_per_s: float  # the highest arrival rate upstream met (requests/s over PEAK_WINDOW_S)


@dataclass(slots=True)
class Tally:
    """What the screens showed. Per visit only what the checks need, compactly: the 5,000-kiosk
    run shows millions of verdicts (floats in arrays, ids interned and shared with the ledger,
    contents as content_code)."""

    elapsed: array[float] = field(default_factory=lambda: array("d"))
    shown_ids: list[str | None] = field(default_factory=list)  # the visit behind each verdict
    shown_at: array[float] = field(default_factory=lambda: array("d"))  # its scan time
    contents: dict[str, int] = field(default_factory=dict)  # visit id -> content_code of what was shown

    def show(self, visit_id: str | None, at: float, elapsed_s: float, content: Content) -> None:
        if visit_id is not None:
            visit_id = sys.intern(visit_id)
            self.contents[visit_id] = content_code(content)
        self.shown_ids.append(visit_id)
        self.shown_at.append(at)
        self.elapsed.append(elapsed_s)

    def shown(self) -> Iterator[tuple[str | None, float]]:
        return zip(self.shown_ids, self.shown_at, strict=True)
    online: int = 0
    scans_surge: int = 0
    scans_outage: int = 0
    scans_healthy: int = 0
    by_window: dict[str, int] = field(default_factory=lambda: dict.fromkeys(WINDOWS, 0))
    revoked_scans: int = 0
    revoked_admitted: int = 0


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


def policy_result(
    scenario: Scenario,
    policy: Policy,
    model: UpstreamModel,
    kiosks: list[SimKiosk],
    tally: Tally,
    end_s: float,
    wall_s: float,
) -> PolicyResult:
    ledger = model.ledger
    lost = count_lost(tally.shown(), ledger.stored_at)
    backlog, drain_s = _backlog(tally.shown(), ledger.acked_at, scenario.recovery_s)
    _, drain_after_outage_s = _backlog(tally.shown(), ledger.acked_at, scenario.outage.end_s)
    scans = len(tally.elapsed)
    elapsed = sorted(tally.elapsed)
    within = sum(1 for e in elapsed if e <= policy.budget_s + 1e-9)
    counts = model.counts

    def per_scan(window: str, n: int) -> float:
        return counts[window].total / n if n else 0.0

    by_window = {w: (per_scan(w, n) if n else None) for w, n in tally.by_window.items()}
    second_ids, mismatched = check_ledger(tally.contents, ledger)
    has_breaker = not policy.baseline
    return PolicyResult(
        policy=policy.name,
        scans=scans,
        scans_surge=tally.scans_surge,
        scans_outage=tally.scans_outage,
        requests={name: _counts_dict(c) for name, c in counts.items()},
        requests_by_kind=dict(counts["overall"].by_kind),
        upstream_requests_per_scan=per_scan("overall", scans),
        upstream_requests_per_scan_surge=per_scan("surge", tally.scans_surge),
        upstream_requests_per_scan_outage=per_scan("outage", tally.scans_outage),
        requests_per_scan_outside_outage=per_scan("outside_outage", tally.scans_healthy),
        verdicts_within_budget=within / scans if scans else 1.0,
        p50_verdict_ms=_percentile(elapsed, 0.50) * 1000,
        p99_verdict_ms=_percentile(elapsed, 0.99) * 1000,
        max_verdict_ms=(elapsed[-1] if elapsed else 0.0) * 1000,
        verified_online=tally.online / scans if scans else 0.0,
        requests_per_scan_by_window=by_window,
        scans_by_window=dict(tally.by_window),
        backlog_records=backlog,
        backlog_drain_s=drain_s,
        backlog_drain_after_outage_s=drain_after_outage_s,
        lost_records=lost,
        duplicate_records=len(ledger.duplicates),
        redelivered_records=len(ledger.redelivered),
        second_id_records=second_ids,
        mismatched_records=mismatched,
        revoked_scans=tally.revoked_scans,
        revoked_admitted=tally.revoked_admitted,
        revocation_lag_s=_revocation_lag(scenario, kiosks),
        breaker_open_in_outage=sum(k.open_in_outage for k in kiosks) if has_breaker else None,
        breaker_closed_at_end=(
            sum(k.breaker.state is BreakerState.CLOSED for k in kiosks) if has_breaker else None
        ),
        end_s=end_s,
        wall_s=wall_s,
        peak_rss_mb=peak_rss_mb(),
        capacity_per_s=model.capacity_per_s,
        peak_arrivals_per_s=peak_rate(model.arrivals_per_s, PEAK_WINDOW_S),
    )


def peak_rss_mb() -> float | None:
    """This process's peak resident memory in MB, where the platform tells (not on Windows)."""
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB elsewhere


def count_lost(shown: Iterable[tuple[str | None, float]], stored: Mapping[str, float]) -> int:
    """Verdicts shown whose visit upstream never stored.

    Counted against what the screen showed, not against the local database: a verdict
    whose visit never reached the database (no id) is lost just the same.
    """
    return sum(1 for visit_id, _ in shown if visit_id is None or visit_id not in stored)


def peak_rate(per_second: Mapping[int, int], window_s: int) -> float:
    """The highest average arrival rate over any `window_s` consecutive seconds."""
    if not per_second:
        return 0.0
    first, last = min(per_second), max(per_second)
    counts = [per_second.get(t, 0) for t in range(first, last + 1)]
    running = best = sum(counts[:window_s])
    for i in range(window_s, len(counts)):
        running += counts[i] - counts[i - window_s]
        best = max(best, running)
    return best / window_s


def check_ledger(shown: Mapping[str, int | Content], ledger: Ledger) -> tuple[int, int]:
    """(records stored under an id no verdict was shown with, records unlike the verdict shown).

    The first catches a visit sent again under a new id (two records for one visitor),
    which counting lost and duplicate ids cannot see. `shown`: what each visit's verdict
    showed, as its content or its content_code.
    """
    second_ids = sum(1 for visit_id in ledger.stored_at if visit_id not in shown)
    mismatched = 0
    for visit_id, stored in ledger.contents.items():
        seen = shown.get(visit_id)
        if seen is not None:
            mismatched += (seen if isinstance(seen, int) else content_code(seen)) != stored
    return second_ids, mismatched


def _revocation_lag(scenario: Scenario, kiosks: list[SimKiosk]) -> float | None:
    known = [k.revocation_known_at for k in kiosks]
    if any(at is None for at in known):
        return None
    return max(0.0, max(at for at in known if at is not None) - scenario.revocation_due_s)


def _backlog(
    shown: Iterable[tuple[str | None, float]], acked_at: dict[str, float], since: float
) -> tuple[int, float | None]:
    """Visits scanned before `since` but not acknowledged by then, and how long until the last one was."""
    backlog = 0
    last = since
    for visit_id, scanned in shown:
        if visit_id is None or scanned >= since:
            continue
        acked = acked_at.get(visit_id)
        if acked is None:
            return backlog + 1, None
        if acked > since:
            backlog += 1
            last = max(last, acked)
    return backlog, last - since


def _counts_dict(c: RequestCounts) -> dict[str, int]:
    return {
        "total": c.total,
        **c.by_kind,
        "timeouts": c.timeouts,
        "shed_503": c.shed_503,
        "throttled_429": c.throttled_429,
        "not_modified_304": c.not_modified_304,
    }
