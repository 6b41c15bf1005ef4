"""Every scenario the fleet must pass (issue "do no harm upstream"), run one after another.

`./dev fleet` prints this: the default lunch with a 20-certificate trust list, a
2-hour outage, 10 % partial capacity, an upstream flapping every 2 minutes for an
hour, acknowledgements lost in transit, 3 quiet hours after the lunch, a morning
start, a 3,000-signer list that changes at lunch, and 5,000 kiosks, each beside the
ordinary client (the fair rival), followed by one summary table with the figures per
window (healthy, partial, outage, quiet).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.simulator.fleet import ORDINARY, OURS, WITHOUT_EXTENSIONS, FleetReport, run_fleet
from kiosk.simulator.fleet_report import TARGETS, all_met, fewer_requests, target_met
from kiosk.simulator.fleet_results import WINDOWS
from kiosk.simulator.fleet_scenario import Scenario

LIST_CHANGE_KIOSKS = 200


@dataclass(frozen=True, slots=True)
class SuiteCase:
    name: str
    scenario: Scenario
    # The simulation's own cost, for the large fleet: it must stay runnable on a 2-core machine.
    wall_limit_s: float | None = None
    memory_limit_mb: float | None = None
    # Also run our client with today's protocol (not in the large case: its limits are the
    # simulation's own cost for our client and the rival).
    without_extensions: bool = True


def scale_misses(case: SuiteCase, report: FleetReport) -> list[str]:
    """The simulation's own limits the run exceeded (wall time, memory of its processes)."""
    misses = []
    if case.wall_limit_s is not None and report.wall_s > case.wall_limit_s:
        misses.append(f"wall {report.wall_s:.0f} s > {case.wall_limit_s:.0f} s")
    memory = report.peak_rss_mb
    if case.memory_limit_mb is not None and (memory is None or memory > case.memory_limit_mb):
        shown = "unknown" if memory is None else f"{memory:,.0f} MB"
        misses.append(f"memory {shown} > {case.memory_limit_mb:,.0f} MB")
    return misses


def suite_cases(
    kiosks: int = 1000, large: int = 5000, seed: int = 1, minutes: float = 150.0
) -> tuple[SuiteCase, ...]:
    base = Scenario(kiosks=kiosks, seed=seed, trust_certs=20, minutes=minutes)
    return (
        SuiteCase("default", base),
        SuiteCase("2-hour outage", dataclasses.replace(base, outage_minutes=120)),
        SuiteCase("10% partial capacity", dataclasses.replace(base, partial_capacity=0.1)),
        SuiteCase("flapping every 2 min", dataclasses.replace(base, outage_minutes=60, flap_minutes=2)),
        SuiteCase("5% answers lost", dataclasses.replace(base, lost_ack_share=0.05)),
        SuiteCase("3 quiet hours", dataclasses.replace(base, quiet_hours=3.0)),
        SuiteCase("morning start", dataclasses.replace(base, morning_start=True)),
        # At most 200 kiosks (the figures are per scan and upstream's capacity per kiosk): the
        # clients without the delta download the whole list again, 3,090 certificates parsed
        # and stored per kiosk; 10 kiosks of a 30-minute run took 15 s of one core for that
        # client alone, so 1,000 would add about half an hour to `./dev fleet`.
        SuiteCase(
            "3,000-signer list change",
            dataclasses.replace(
                base, kiosks=min(kiosks, LIST_CHANGE_KIOSKS), trust_certs=3000, list_change=True
            ),
        ),
        SuiteCase(
            f"{large:,} kiosks",
            dataclasses.replace(base, kiosks=large),
            wall_limit_s=600.0,
            memory_limit_mb=4096.0,
            without_extensions=False,
        ),
    )


def run_suite(
    cases: tuple[SuiteCase, ...], *, jobs: int = 2, progress: Callable[[str, FleetReport], None] | None = None
) -> list[tuple[SuiteCase, FleetReport]]:
    done = []
    for case in cases:
        others = (ORDINARY, WITHOUT_EXTENSIONS) if case.without_extensions else (ORDINARY,)
        report = run_fleet(case.scenario, ours=OURS, baselines=others, jobs=jobs)
        done.append((case, report))
        if progress is not None:
            progress(case.name, report)
    return done


def _window_cells(by_window: dict[str, float | None]) -> str:
    return "".join(f" {'-' if by_window[w] is None else f'{by_window[w]:.3f}':>8}" for w in WINDOWS)


def summary_table(done: list[tuple[SuiteCase, FleetReport]]) -> str:
    head = (
        f"{'scenario':26} {'req/scan':>9} {'ordinary':>9}" + "".join(f" {w:>8}" for w in WINDOWS)
        + f" {'in budget':>10} {'lost':>5} {'dup':>4} {'2nd id':>6} {'re-sent':>8} {'drain s':>8} "
        f"{'targets':>8} {'wall s':>7} {'peak MB':>8}"
    )
    lines = [head, "-" * len(head)]
    for case, report in done:
        o = report.ours
        rival = report.baselines[ORDINARY.name]
        drain = "never" if o.backlog_drain_s is None else f"{o.backlog_drain_s:.0f}"
        met = all_met(report) and not scale_misses(case, report)
        memory = "?" if report.peak_rss_mb is None else f"{report.peak_rss_mb:,.0f}"
        lines.append(
            f"{case.name:26} {o.upstream_requests_per_scan:>9.3f} {rival.upstream_requests_per_scan:>9.3f}"
            f"{_window_cells(o.requests_per_scan_by_window)} {o.verdicts_within_budget * 100:>9.2f}% "
            f"{o.lost_records:>5} {o.duplicate_records:>4} {o.second_id_records:>6} "
            f"{o.redelivered_records:>8} {drain:>8} {'met' if met else 'MISSED':>8} "
            f"{report.wall_s:>7.0f} {memory:>8}"
        )
        for name, label in ((WITHOUT_EXTENSIONS.name, "  without extensions"), (ORDINARY.name, "  ordinary")):
            other = report.baselines.get(name)
            if other is not None:
                cells = _window_cells(other.requests_per_scan_by_window)
                lines.append(f"{label:26} {other.upstream_requests_per_scan:>9.3f} {'':>9}{cells}")
    lines.append("")
    lines.append(
        "req/scan: every upstream request of the whole run (verify, upload, health probes, trust status, "
        "certificates and issuer lists, revocations) per scan, ours (with the upstream extensions) and the "
        "ordinary client's; then per window: healthy (full capacity), partial (reduced capacity), outage "
        "(none, or flapping), quiet (the quiet hours); '-' where a scenario has no such window. Below each "
        "scenario: our client with today's protocol only, and the ordinary client."
    )
    missed = [
        f"{case.name}: {t.key}"
        for case, report in done
        for t in TARGETS
        if not target_met(t, report.ours)
    ]
    missed += [
        f"{case.name}: not below the ordinary client in every window"
        for case, report in done
        if not fewer_requests(report, ORDINARY.name)
    ]
    missed += [f"{case.name}: {miss}" for case, report in done for miss in scale_misses(case, report)]
    lines.append(
        "wall s, peak MB: the scenario's run, both policies (with --jobs 2 side by side, their peak "
        "resident memory added)."
    )
    lines.append("Targets: " + ("all met" if not missed else "MISSED " + "; ".join(missed)))
    return "\n".join(lines)
