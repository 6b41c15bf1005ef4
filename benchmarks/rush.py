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
- taps per visitor: every staff tap (answers, the Staff button, PIN keys) over visitors;
- scanner mode notices, second tries: see below.

How a visitor shows the pass (`--source`, `benchmarks/rush_parts/sources.py`):
- camera (default): a clean phone screen or paper slip held up to the webcam;
- hard: a phone screen with glare, a code too small, a cracked screen or moiré (mild to
  medium, seeded, drawn by `benchmarks/hard_frames.py`) through the same webcam; not
  answered within 4 s, the visitor tilts or brings the phone closer (a "second try":
  the clean screen);
- wedge: a keyboard-wedge scanner typing into the window as Qt key events, 4 ms a key,
  some scans in Korean input mode or with Caps Lock, ending with Enter, Tab or nothing;
  a token typed in the wrong mode gets staff's "scanner mode" notice instead of a
  verdict (a "scanner mode notice"): staff set the scanner right and it scans again;
- all: the three, one after the other, each on the same seeded queue.

Run: .venv/bin/python benchmarks/rush.py [--source camera|hard|wedge|all] [--visitors N]
[--seed 1] [--json]. --visitors defaults to 200 for one source and 80 a source for all.
--json prints `{"outage": {...}, "healthy": {...}}` for the first source run (camera by
default), and with any other source also `"by_source": {source: {mode: {...}}}`, whose
figures add "notices" and "second_tries". Prints figures only; nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.rush_parts.sources import CameraSource, HardScreenSource, PassSource
from benchmarks.rush_parts.timeline import Figures, measure
from benchmarks.rush_parts.wedge_scanner import WedgeSource

MODES = {"outage": True, "healthy": False}
SOURCES: dict[str, Callable[[int], PassSource]] = {
    "camera": lambda seed: CameraSource(),
    "hard": HardScreenSource,
    "wedge": WedgeSource,
}
VISITORS = {"one": 200, "all": 80}  # --visitors' default: `all` plays three queues
COLUMNS = (  # (heading, format, figure)
    ("visitors", "{:d}", "visitors"),
    ("per minute", "{:.1f}", "visitors_per_minute"),
    ("p50", "{:.2f} s", "p50_s"),
    ("p99", "{:.2f} s", "p99_s"),
    ("checks lost", "{:d}", "checks_lost"),
    ("taps/visitor", "{:.2f}", "taps_per_visitor"),
    ("mode notices", "{:d}", "notices"),
    ("second tries", "{:d}", "second_tries"),
    ("run took", "{:.0f} s", "real_s"),
)


def rush(visitors: int, seed: int, source: str = "camera") -> dict[str, Figures]:
    """Both runs on the same seeded queue, shown by `source`: upstream hanging, then healthy."""
    return {
        mode: measure(visitors, seed, outage=outage, sources=(SOURCES[source](seed),))
        for mode, outage in MODES.items()
    }


def table(results: dict[str, dict[str, Figures]]) -> str:
    """One row per source and upstream mode; p50 / p99: pass shown -> final verdict."""
    rows = [["source", "upstream", *(heading for heading, _, _ in COLUMNS)]]
    for source, runs in results.items():
        for mode, figures in runs.items():
            cells = [form.format(getattr(figures, key)) for _, form, key in COLUMNS]
            rows.append([source, "hanging" if mode == "outage" else "healthy", *cells])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    def line(row: list[str]) -> str:
        cells = zip(row, widths, strict=True)
        return "  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(cells))

    return "\n".join(line(row) for row in rows)


def as_json(results: dict[str, dict[str, Figures]]) -> dict[str, object]:
    first = next(iter(results.values()))
    printed: dict[str, object] = {mode: figures.as_json() for mode, figures in first.items()}
    if list(results) != ["camera"]:
        printed["by_source"] = {
            source: {mode: figures.as_json(by_source=True) for mode, figures in runs.items()}
            for source, runs in results.items()
        }
    return printed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", choices=[*SOURCES, "all"], default="camera",
                        help="how visitors show their pass (default camera; all: each in turn)")
    parser.add_argument("--visitors", type=int,
                        help="visitors in each run (default 200; 80 a source with --source all)")
    parser.add_argument("--seed", type=int, default=1, help="who comes, in what order, the human delays")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args(argv)
    sources = list(SOURCES) if args.source == "all" else [args.source]
    visitors = args.visitors or VISITORS["all" if args.source == "all" else "one"]
    if visitors < 1:
        parser.error("--visitors must be at least 1")
    logging.disable(logging.WARNING)  # upstream failures are the point of the run
    results = {source: rush(visitors, args.seed, source) for source in sources}
    if args.json:
        print(json.dumps(as_json(results)))
    else:
        print(f"outage rush ({os.cpu_count()} CPUs, {visitors} visitors a run, seed {args.seed}; "
              "human delays on a virtual clock, machine time measured)")
        print(table(results))


if __name__ == "__main__":
    main()
