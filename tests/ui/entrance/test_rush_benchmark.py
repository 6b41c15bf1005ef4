"""`benchmarks/rush.py` on a short queue: the contract's JSON object, every check answered.

The real window, webcam stage, wedge key events, simulator and taps, as the benchmark
runs them; nothing here looks at a time (the figures are the benchmark's to report, not
to assert).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from benchmarks.rush import main

KEYS = {"visitors", "visitors_per_minute", "p50_s", "p99_s", "checks_lost", "taps_per_visitor"}
MODES = {"outage", "healthy"}


@pytest.fixture
def logging_back() -> Iterator[None]:
    yield
    logging.disable(logging.NOTSET)  # the benchmark silences upstream warnings for its run


@pytest.mark.slow
def test_ten_visitors_outage_and_healthy_give_the_contract_and_lose_no_check(
    qapp, capsys: pytest.CaptureFixture[str], logging_back: None
) -> None:
    main(["--visitors", "10", "--seed", "3", "--json"])
    printed = capsys.readouterr().out.strip()
    figures = json.loads(printed)  # one JSON object and nothing else
    assert set(figures) == MODES
    for mode in MODES:
        assert set(figures[mode]) == KEYS
        assert figures[mode]["visitors"] == 10 and figures[mode]["checks_lost"] == 0
        assert all(isinstance(value, int | float) for value in figures[mode].values())
    # 4 tokens and 4 visitors with no pass: in the outage staff tap for each of the 8 at least,
    # upstream healthy for the 4 with no pass only.
    assert figures["outage"]["taps_per_visitor"] >= 0.8
    assert 0.4 <= figures["healthy"]["taps_per_visitor"] < figures["outage"]["taps_per_visitor"]


@pytest.mark.slow
def test_every_source_with_six_visitors_gives_one_object_by_source_and_loses_no_check(
    qapp, capsys: pytest.CaptureFixture[str], logging_back: None
) -> None:
    main(["--source", "all", "--visitors", "6", "--seed", "17", "--json"])
    figures = json.loads(capsys.readouterr().out.strip())
    assert set(figures) == MODES | {"by_source"}
    by_source = figures["by_source"]
    assert set(by_source) == {"camera", "hard", "wedge"}
    for source, runs in by_source.items():
        assert set(runs) == MODES, source
        for mode, run in runs.items():
            assert set(run) == KEYS | {"notices", "second_tries"}, (source, mode)
            assert run["visitors"] == 6 and run["checks_lost"] == 0, (source, mode, run)
    # The contract's keys at the top are the camera's run, as with no --source.
    assert {mode: figures[mode] for mode in MODES} == {
        mode: {key: by_source["camera"][mode][key] for key in KEYS} for mode in MODES
    }
    # Seed 17's two tokens are typed in Korean mode: a notice each, then scanned again and
    # answered (a signed pass typed with Caps Lock is put back by the window: no notice).
    assert [by_source["wedge"][mode]["notices"] for mode in ("outage", "healthy")] == [2, 2]
    assert by_source["camera"]["healthy"]["notices"] == by_source["hard"]["healthy"]["notices"] == 0
