"""`benchmarks/rush.py` on a short queue: the contract's JSON object, every check answered.

The real window, webcam stage, simulator and taps, as the benchmark runs them; nothing
here looks at a time (the figures are the benchmark's to report, not to assert).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from benchmarks.rush import main

KEYS = {"visitors", "visitors_per_minute", "p50_s", "p99_s", "checks_lost", "taps_per_visitor"}


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
    assert set(figures) == {"outage", "healthy"}
    for mode in ("outage", "healthy"):
        assert set(figures[mode]) == KEYS
        assert figures[mode]["visitors"] == 10 and figures[mode]["checks_lost"] == 0
        assert all(isinstance(value, int | float) for value in figures[mode].values())
    # 4 tokens and 4 visitors with no pass: in the outage staff tap for each of the 8 at least,
    # upstream healthy for the 4 with no pass only.
    assert figures["outage"]["taps_per_visitor"] >= 0.8
    assert 0.4 <= figures["healthy"]["taps_per_visitor"] < figures["outage"]["taps_per_visitor"]
