"""Fleet simulation figures: our policy vs. the ordinary, commercial and naive clients, every request counted.

Usage: .venv/bin/python benchmarks/fleet.py [--kiosks N] [--minutes M] [--seed S] [--per-visit-upload]

Prints the JSON document, the side-by-side table and the wall time for the app's
default settings (1,000 kiosks, 20-certificate trust list). `--per-visit-upload` also
runs the policies with the uploader woken after every visit (and our breaker's
earlier 60 s probe ceiling): the settings the app shipped with before the simulation
showed they cost ~1.5 requests per scan. Every target scenario: `./dev fleet`.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace

from kiosk.simulator.fleet import COMMERCIAL, NAIVE, ORDINARY, OURS, run_fleet
from kiosk.simulator.fleet_report import report_json, report_table
from kiosk.simulator.fleet_scenario import Scenario


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=1000)
    parser.add_argument("--minutes", type=float, default=150.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-visit-upload", action="store_true")
    args = parser.parse_args()
    scenario = Scenario(kiosks=args.kiosks, minutes=args.minutes, seed=args.seed)
    variants = [("app defaults", OURS, (ORDINARY, COMMERCIAL, NAIVE))]
    if args.per_visit_upload:
        eager = replace(
            OURS,
            name="ours-per-visit-upload",
            wake_on_visit=True,
            upload_interval_s=5.0,
            breaker=replace(OURS.breaker, probe_max_s=60.0),
        )
        eager_naive = replace(NAIVE, wake_on_visit=True, upload_interval_s=5.0)
        variants.append(("per-visit upload", eager, (eager_naive,)))
    for title, ours, baselines in variants:
        started = time.perf_counter()
        report = run_fleet(scenario, ours=ours, baselines=baselines, jobs=2)
        print(f"== {title} ==")
        print(json.dumps(report_json(report), indent=2))
        print(report_table(report))
        print(f"total wall time {time.perf_counter() - started:.1f} s\n", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
