"""Fleet simulation figures: 1,000 kiosks, the 150-minute lunch scenario, our policy vs. a naive one.

Usage: .venv/bin/python benchmarks/fleet.py [--kiosks N] [--minutes M] [--seed S] [--recommended]

`--recommended` also runs our policy with the uploader woken only by its 60 s poll
and a 300 s probe ceiling, the settings the figures argue for. Prints the JSON
document, the side-by-side table and the wall time.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace

from kiosk.simulator.fleet import NAIVE, OURS, run_fleet
from kiosk.simulator.fleet_report import report_json, report_table
from kiosk.simulator.fleet_scenario import Scenario


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=1000)
    parser.add_argument("--minutes", type=float, default=150.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--recommended", action="store_true")
    args = parser.parse_args()
    scenario = Scenario(kiosks=args.kiosks, minutes=args.minutes, seed=args.seed)
    variants = [("app defaults", OURS, NAIVE)]
    if args.recommended:
        tuned = replace(
            OURS,
            name="ours-recommended",
            wake_on_visit=False,
            upload_interval_s=60.0,
            breaker=replace(OURS.breaker, probe_max_s=300.0),
        )
        variants.append(("recommended", tuned, replace(NAIVE, wake_on_visit=False, upload_interval_s=60.0)))
    for title, ours, naive in variants:
        started = time.perf_counter()
        report = run_fleet(scenario, ours=ours, naive=naive, jobs=2)
        print(f"== {title} ==")
        print(json.dumps(report_json(report), indent=2))
        print(report_table(report))
        print(f"total wall time {time.perf_counter() - started:.1f} s\n", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
