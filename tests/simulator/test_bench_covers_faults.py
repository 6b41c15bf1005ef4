"""The latency benchmark exercises every fault the simulator can inject.

A fault added to the simulator but not to `benchmarks/latency_under_faults.py` would
have no measured verdict time; this keeps the two in step.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import fields
from pathlib import Path

from kiosk.simulator.faults import Faults

# Fields that tune a fault rather than being one.
PARAMETERS = {"retry_after_s", "max_hang_s", "trickle_interval_ms", "paths", "overload_mode", "fault_rate"}
BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "latency_under_faults.py"


def benchmark_faults() -> dict[str, Faults]:
    spec = importlib.util.spec_from_file_location("latency_under_faults", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    # Other cases (say, a locked database) are not simulator faults and are left out here.
    return {name: case for name, case in module.FAULTS.items() if isinstance(case, Faults)}


def test_every_fault_field_is_benchmarked() -> None:
    default = Faults()
    cases = benchmark_faults().values()
    kinds = {f.name for f in fields(Faults)} - PARAMETERS
    missing = sorted(
        kind for kind in kinds if all(getattr(case, kind) == getattr(default, kind) for case in cases)
    )
    assert not missing, f"faults with no case in {BENCHMARK.name}: {missing}"


def test_every_garbage_kind_and_overload_mode_is_benchmarked() -> None:
    cases = list(benchmark_faults().values())
    assert {c.garbage for c in cases} >= {"html", "json-wrong", "truncated"}
    assert {c.overload_mode for c in cases if c.has_overload_limit} >= {"reject", "slow"}
