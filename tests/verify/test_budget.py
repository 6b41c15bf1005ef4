from __future__ import annotations

import pytest

from kiosk.clock import ManualClock
from kiosk.verify.budget import Budget


def test_counts_down_from_construction() -> None:
    clock = ManualClock()
    clock.advance(5)  # time before the budget starts does not count
    budget = Budget(clock, 1.0)
    assert budget.elapsed() == 0.0
    assert budget.remaining() == 1.0
    assert not budget.expired()
    clock.advance(0.3)
    assert budget.elapsed() == pytest.approx(0.3)
    assert budget.remaining() == pytest.approx(0.7)


def test_expires_and_never_goes_negative() -> None:
    clock = ManualClock()
    budget = Budget(clock, 1.0)
    clock.advance(1.0)
    assert budget.expired()
    clock.advance(2.0)
    assert budget.remaining() == 0.0
    assert budget.timeout_for(0.1) == 0.0


def test_timeout_keeps_the_reserve() -> None:
    clock = ManualClock()
    budget = Budget(clock, 1.0)
    clock.advance(0.2)
    assert budget.timeout_for(0.15) == pytest.approx(0.65)
    clock.advance(0.7)
    assert budget.timeout_for(0.15) == 0.0  # not enough left: skip the online call


def test_wall_clock_jump_does_not_affect_it() -> None:
    clock = ManualClock()
    budget = Budget(clock, 1.0)
    clock.set_wall(clock.now() - 3600)
    assert budget.remaining() == 1.0


@pytest.mark.parametrize("total", [0.0, -1.0])
def test_rejects_empty_budget(total: float) -> None:
    with pytest.raises(ValueError):
        Budget(ManualClock(), total)


def test_rejects_negative_reserve() -> None:
    with pytest.raises(ValueError):
        Budget(ManualClock(), 1.0).timeout_for(-0.1)
