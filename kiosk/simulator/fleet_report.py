"""The fleet simulation's figures: a JSON document and a side-by-side table, with the targets."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from kiosk.simulator.fleet import BASELINES, FleetReport
from kiosk.simulator.fleet_results import WINDOWS, PolicyResult


@dataclass(frozen=True, slots=True)
class Target:
    key: str
    label: str
    limit: float
    at_most: bool  # True: the figure must not exceed `limit`; False: it must reach it


TARGETS: tuple[Target, ...] = (
    Target("upstream_requests_per_scan", "upstream requests per scan (whole run, every request)", 1.1, True),
    Target("verdicts_within_budget", "verdicts within the 1 s budget", 0.999, False),
    Target("backlog_drain_s", "backlog drained after full recovery (s)", 600.0, True),
    Target("lost_records", "lost records (against verdicts shown)", 0, True),
    Target("duplicate_records", "duplicate records", 0, True),
    Target("second_id_records", "records under a second id (no verdict shown for them)", 0, True),
    Target("mismatched_records", "stored records that differ from the verdict shown", 0, True),
    Target("revocation_lag_s", "a revocation reached every kiosk within (s)", 900.0, True),
)


def target_met(target: Target, result: PolicyResult) -> bool:
    value = getattr(result, target.key)
    if value is None:  # e.g. the backlog never drained
        return False
    return bool(value <= target.limit if target.at_most else value >= target.limit)


def fewer_requests(report: FleetReport, baseline: str) -> bool:
    """Fewer requests per scan than the baseline over the whole run and in every window."""
    ours, theirs = report.ours, report.baselines[baseline]
    if ours.upstream_requests_per_scan >= theirs.upstream_requests_per_scan:
        return False
    for window in WINDOWS:
        mine, other = ours.requests_per_scan_by_window[window], theirs.requests_per_scan_by_window[window]
        if mine is not None and other is not None and mine >= other:
            return False
    return True


def rivals(report: FleetReport) -> list[str]:
    """The other clients in the report (not our own client run without the extensions)."""
    return [name for name in report.baselines if name in BASELINES]


def all_met(report: FleetReport) -> bool:
    targets = all(target_met(t, report.ours) for t in TARGETS)
    return targets and all(fewer_requests(report, name) for name in rivals(report))


def _policy_json(result: PolicyResult, *, morning_start: bool) -> dict[str, Any]:
    data = dataclasses.asdict(result)
    if not morning_start:
        del data["peak_arrivals_per_s"]  # the start-of-day figure
    for key, value in data.items():
        if isinstance(value, float):
            data[key] = round(value, 4)
    data["requests_per_scan_by_window"] = {
        w: None if v is None else round(v, 4) for w, v in result.requests_per_scan_by_window.items()
    }
    return data


def scenario_json(report: FleetReport) -> dict[str, Any]:
    s = report.scenario
    return {
        "kiosks": s.kiosks,
        "minutes": s.minutes,
        "length_s": s.length_s,
        "seed": s.seed,
        "trust_certs": s.trust_certs,
        "surge_s": [s.surge.start_s, s.surge.end_s],
        "partial_capacity_s": [
            [s.partial_before.start_s, s.partial_before.end_s],
            [s.partial_after.start_s, s.partial_after.end_s],
        ],
        "partial_capacity": s.partial_capacity,
        "outage_s": [s.outage.start_s, s.outage.end_s],
        "flap_minutes": s.flap_minutes,
        "lost_ack_share": s.lost_ack_share,
        "recovery_s": s.recovery_s,
        "quiet_hours": s.quiet_hours,
        "quiet_s": [s.quiet.start_s, s.quiet.end_s],
        "morning_start": s.morning_start,
        "list_change": s.list_change,
        "list_change_s": s.list_change_s if s.list_change else None,
    }


def report_json(report: FleetReport) -> dict[str, Any]:
    morning = report.scenario.morning_start
    out: dict[str, Any] = {
        "scenario": scenario_json(report),
        "extensions": sorted(report.extensions),
        "ours": _policy_json(report.ours, morning_start=morning),
    }
    for name, result in report.baselines.items():
        out[name] = _policy_json(result, morning_start=morning)
    targets: dict[str, Any] = {}
    for t in TARGETS:
        targets[t.key] = {"limit": t.limit, "at_most": t.at_most, "ours_met": target_met(t, report.ours)}
    for name in rivals(report):
        targets[f"fewer_requests_than_{name}"] = {"ours_met": fewer_requests(report, name)}
    out["targets"] = targets
    out["all_targets_met"] = all_met(report)
    out["wall_s"] = round(report.wall_s, 2)
    out["peak_rss_mb"] = None if report.peak_rss_mb is None else round(report.peak_rss_mb, 1)
    return out


def _fmt(value: object, *, percent: bool = False, key: str = "") -> str:
    if value is None:
        return {"backlog": "not drained", "revocati": "never"}.get(key[:8], "n/a")
    if isinstance(value, float):
        return f"{value * 100:.2f} %" if percent else f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


_ROWS: tuple[tuple[str, str, bool], ...] = (
    ("scans", "scans", False),
    ("upstream_requests_per_scan", "upstream requests / scan, whole run", False),
    ("requests_per_scan_outside_outage", "... while upstream is healthy", False),
    ("upstream_requests_per_scan_surge", "... in the surge window", False),
    ("upstream_requests_per_scan_outage", "... in the outage", False),
    ("verdicts_within_budget", "verdicts within 1 s", True),
    ("p50_verdict_ms", "p50 verdict (ms)", False),
    ("p99_verdict_ms", "p99 verdict (ms)", False),
    ("verified_online", "verified online", True),
    ("backlog_records", "backlog at full recovery (records)", False),
    ("backlog_drain_s", "backlog drained after recovery (s)", False),
    ("backlog_drain_after_outage_s", "... counted from the outage end (s)", False),
    ("lost_records", "lost records", False),
    ("duplicate_records", "duplicate records", False),
    ("second_id_records", "records under a second id", False),
    ("mismatched_records", "stored records unlike the verdict shown", False),
    ("redelivered_records", "re-sent after a lost ack (absorbed)", False),
    ("revoked_scans", "scans of a pass after its revocation", False),
    ("revoked_admitted", "... admitted all the same", False),
    ("revocation_lag_s", "revocation reached every kiosk after (s)", False),
    ("breaker_open_in_outage", "kiosks with the breaker open in the outage", False),
    ("breaker_closed_at_end", "kiosks with the breaker closed at the end", False),
    ("wall_s", "wall time (s)", False),
    ("peak_rss_mb", "peak memory of its process (MB)", False),
)


def describe(report: FleetReport) -> str:
    s = report.scenario
    outage = f"outage {s.outage.start_s / 60:g}-{s.outage.end_s / 60:g} min"
    if s.flap_minutes:
        outage = (
            f"flapping down/up every {s.flap_minutes:g} min from {s.outage.start_s / 60:g} "
            f"to {s.outage.end_s / 60:g} min"
        )
    extra = f"; {s.lost_ack_share:.0%} of answers lost in transit" if s.lost_ack_share else ""
    if s.quiet_hours:
        extra += f"; then {s.quiet_hours:g} quiet hours"
    if s.morning_start:
        extra += "; every kiosk switched on within the first 10 min"
    if s.list_change:
        extra += f"; the trust list changes at {s.list_change_s / 60:g} min"
    used = ", ".join(sorted(report.extensions)) or "none (today's protocol)"
    extra += f"; our upstream extensions: {used}"
    return (
        f"{s.kiosks:,} kiosks, {s.length_s / 60:g} min, seed {s.seed}, {s.trust_certs} trust certificates; "
        f"{outage}, {s.partial_capacity:.0%} capacity for {s.partial_before.length_s / 60:g} min before and "
        f"after{extra}"
    )


def report_table(report: FleetReport) -> str:
    results = [report.ours, *report.baselines.values()]
    lines = [f"Fleet simulation: {describe(report)}", ""]
    lines.append(f"{'':44}" + "".join(f" {r.policy:>14}" for r in results))
    for key, label, percent in _ROWS:
        cells = "".join(f" {_fmt(getattr(r, key), percent=percent, key=key):>14}" for r in results)
        lines.append(f"{label:44}{cells}")
    lines.append(f"{'requests / scan by window':44}")
    for window in WINDOWS:
        cells = "".join(f" {_fmt(r.requests_per_scan_by_window[window]):>14}" for r in results)
        lines.append(f"{'  ' + window:44}{cells}")
    if report.scenario.morning_start:
        capacity = "".join(f" {r.capacity_per_s:>14,.1f}" for r in results)
        peaks = "".join(f" {r.peak_arrivals_per_s:>14,.1f}" for r in results)
        lines.append(f"{'capacity (work units / s)':44}{capacity}")
        lines.append(f"{'peak arrivals (requests / s over 60 s)':44}{peaks}")
    lines.append(f"{'requests by kind':44}")
    for kind in report.ours.requests_by_kind:
        cells = "".join(f" {r.requests_by_kind.get(kind, 0):>14,}" for r in results)
        lines.append(f"{'  ' + kind:44}{cells}")
    lines.append("")
    lines.append("Targets for our policy:")
    for t in TARGETS:
        mark = "met" if target_met(t, report.ours) else "MISSED"
        sign = "<=" if t.at_most else ">="
        figure = _fmt(getattr(report.ours, t.key), key=t.key)
        lines.append(f"  {t.label} {sign} {t.limit:g}: {mark} ({figure})")
    for name in rivals(report):
        result = report.baselines[name]
        mark = "met" if fewer_requests(report, name) else "MISSED"
        lines.append(
            f"  fewer requests per scan than the {name} client, whole run and every window: {mark} "
            f"({report.ours.upstream_requests_per_scan:.2f} vs {result.upstream_requests_per_scan:.2f})"
        )
    memory = "" if report.peak_rss_mb is None else f", peak memory {report.peak_rss_mb:,.0f} MB"
    lines.append(f"\nwall time {report.wall_s:.1f} s{memory}")
    return "\n".join(lines)
