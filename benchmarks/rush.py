"""The outage rush at the door: visitors per minute through staff checks, upstream hanging and healthy.

The real window (offscreen) on the demo's virtual webcam, the project's simulator on
127.0.0.1 as upstream, a real SQLite file, real scrypt PINs; staff answer by QTest
clicks on the buttons the window shows. 200 visitors (by default): 40 % hold a `KP1:`
token, 40 % have no scannable pass (staff log them from the entrance screen), 20 % a
signed pass; staff answer each after 1-4 s, a visitor steps up in 1-2 s, at most 3 wait
for staff at once. The people's times are added on a virtual clock, not slept (see
`benchmarks/rush_parts/timeline.py`): every figure is in real-time units, the machine's
part measured as it ran.

- visitors per minute: served visitors over the span from the first pass shown to the
  last final verdict;
- p50 / p99: pass shown (or, with no pass, the visitor at the counter) to the final
  verdict: the staff answer in the data file for a check, the verdict painted otherwise;
- checks lost: staff checks never answered (none is set aside here), visitors with no
  pass never logged, passes never answered by the window; must be 0;
- taps per visitor: every staff tap (answers, the Staff button, PIN keys) over visitors.

Run: .venv/bin/python benchmarks/rush.py [--visitors 200] [--seed 1] [--json]
Prints figures only; nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.rush_parts.timeline import Figures, measure

MODES = {"outage": True, "healthy": False}


def rush(visitors: int, seed: int) -> dict[str, Figures]:
    """Both runs on the same seeded queue: upstream hanging, then healthy."""
    return {mode: measure(visitors, seed, outage=outage) for mode, outage in MODES.items()}


def table(results: dict[str, Figures]) -> str:
    rows = [
        ("visitors", "{:d}", "visitors"),
        ("visitors per minute", "{:.1f}", "visitors_per_minute"),
        ("pass shown -> final verdict, p50", "{:.2f} s", "p50_s"),
        ("pass shown -> final verdict, p99", "{:.2f} s", "p99_s"),
        ("checks lost", "{:d}", "checks_lost"),
        ("staff taps per visitor", "{:.2f}", "taps_per_visitor"),
        ("the run took on this machine", "{:.0f} s", "real_s"),
    ]
    width = max(len(label) for label, _, _ in rows)
    lines = [f"{'':{width}}  {'upstream hanging':>18}  {'upstream healthy':>18}"]
    for label, form, key in rows:
        cells = [form.format(getattr(results[mode], key)) for mode in MODES]
        lines.append(f"{label:{width}}  {cells[0]:>18}  {cells[1]:>18}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=200, help="visitors in each run (default 200)")
    parser.add_argument("--seed", type=int, default=1, help="who comes, in what order, the human delays")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args(argv)
    if args.visitors < 1:
        parser.error("--visitors must be at least 1")
    logging.disable(logging.WARNING)  # upstream failures are the point of the run
    results = rush(args.visitors, args.seed)
    if args.json:
        print(json.dumps({mode: figures.as_json() for mode, figures in results.items()}))
    else:
        print(f"outage rush ({os.cpu_count()} CPUs, {args.visitors} visitors, seed {args.seed}; "
              "human delays on a virtual clock, machine time measured)")
        print(table(results))


if __name__ == "__main__":
    main()
