"""The fleet simulation's figures: a JSON document and a side-by-side table, with the targets."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from kiosk.simulator.fleet import FleetReport, PolicyResult


@dataclass(frozen=True, slots=True)
class Target:
    key: str
    label: str
    limit: float
    at_most: bool  # True: the figure must not exceed `limit`; False: it must reach it


TARGETS: tuple[Target, ...] = (
    Target("upstream_requests_per_scan", "upstream requests per scan (surge + outage)", 1.1, True),
    Target("upstream_requests_per_scan_outage", "upstream requests per scan (outage)", 1.1, True),
    Target("verdicts_within_budget", "verdicts within the 1 s budget", 0.999, False),
    Target("backlog_drain_s", "backlog drained after recovery (s)", 600.0, True),
    Target("lost_records", "lost records", 0, True),
    Target("duplicate_records", "duplicate records", 0, True),
)


def target_met(target: Target, result: PolicyResult) -> bool:
    value = getattr(result, target.key)
    if value is None:  # e.g. the backlog never drained
        return False
    return bool(value <= target.limit if target.at_most else value >= target.limit)


def _policy_json(result: PolicyResult) -> dict[str, Any]:
    data = dataclasses.asdict(result)
    for key, value in data.items():
        if isinstance(value, float):
            data[key] = round(value, 4)
    return data


def report_json(report: FleetReport) -> dict[str, Any]:
    s = report.scenario
    return {
        "scenario": {
            "kiosks": s.kiosks,
            "minutes": s.minutes,
            "seed": s.seed,
            "surge_s": [s.surge.start_s, s.surge.end_s],
            "partial_capacity_s": [
                [s.partial_before.start_s, s.partial_before.end_s],
                [s.partial_after.start_s, s.partial_after.end_s],
            ],
            "partial_capacity": s.partial_capacity,
            "outage_s": [s.outage.start_s, s.outage.end_s],
            "recovery_s": s.recovery_s,
        },
        "ours": _policy_json(report.ours),
        "naive": _policy_json(report.naive),
        "targets": {
            t.key: {"limit": t.limit, "at_most": t.at_most, "ours_met": target_met(t, report.ours)}
            for t in TARGETS
        },
        "wall_s": round(report.wall_s, 2),
    }


def _fmt(value: object, *, percent: bool = False, key: str = "") -> str:
    if value is None:
        return "not drained" if key.startswith("backlog") else "n/a"
    if isinstance(value, float):
        return f"{value * 100:.2f} %" if percent else f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


_ROWS: tuple[tuple[str, str, bool], ...] = (
    ("scans", "scans", False),
    ("upstream_requests_per_scan", "upstream requests / scan, surge window", False),
    ("upstream_requests_per_scan_outage", "upstream requests / scan, outage", False),
    ("upstream_requests_per_scan_overall", "upstream requests / scan, overall", False),
    ("verdicts_within_budget", "verdicts within 1 s", True),
    ("p50_verdict_ms", "p50 verdict (ms)", False),
    ("p99_verdict_ms", "p99 verdict (ms)", False),
    ("verified_online", "verified online", True),
    ("backlog_records", "backlog at full recovery (records)", False),
    ("backlog_drain_s", "backlog drained after recovery (s)", False),
    ("backlog_drain_after_outage_s", "... counted from the outage end (s)", False),
    ("lost_records", "lost records", False),
    ("duplicate_records", "duplicate records", False),
    ("redelivered_records", "re-sent after a lost ack (absorbed)", False),
    ("breaker_open_in_outage", "kiosks with the breaker open in the outage", False),
    ("breaker_closed_at_end", "kiosks with the breaker closed at the end", False),
    ("wall_s", "wall time (s)", False),
)


def report_table(report: FleetReport) -> str:
    s = report.scenario
    lines = [
        f"Fleet simulation: {s.kiosks:,} kiosks, {s.minutes:g} min lunch scenario, seed {s.seed}; "
        f"outage {s.outage.start_s / 60:g}-{s.outage.end_s / 60:g} min, "
        f"{s.partial_capacity:.0%} capacity for {s.partial_before.length_s / 60:g} min before and after",
        "",
        f"{'':44} {'ours':>14} {'naive':>14}",
    ]
    for key, label, percent in _ROWS:
        ours = _fmt(getattr(report.ours, key), percent=percent, key=key)
        naive = _fmt(getattr(report.naive, key), percent=percent, key=key)
        lines.append(f"{label:44} {ours:>14} {naive:>14}")
    lines.append("")
    lines.append("Targets for our policy:")
    for t in TARGETS:
        mark = "met" if target_met(t, report.ours) else "MISSED"
        sign = "<=" if t.at_most else ">="
        figure = _fmt(getattr(report.ours, t.key), key=t.key)
        lines.append(f"  {t.label} {sign} {t.limit:g}: {mark} ({figure})")
    lines.append(f"\nwall time {report.wall_s:.1f} s")
    return "\n".join(lines)
