"""The maintenance rounds the fleet simulation skips (fleet_idle.py) are exactly rounds that do nothing.

Every round is run for real here; where the simulation would have skipped it, the real
round must report the same as the round before, ask upstream nothing, draw nothing from
its random generator and store nothing. A change to `Maintenance` that gives such a round
work fails this test instead of silently changing the fleet's figures.
"""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.simulator import fleet_kiosk
from kiosk.simulator.fleet import ORDINARY, OURS, simulate_policy
from kiosk.simulator.fleet_policy import Policy
from kiosk.simulator.fleet_scenario import Scenario
from kiosk.store.revocations import revocation_count
from kiosk.upstream.maintenance import Maintenance
from kiosk.upstream.maintenance_values import MaintenanceReport


def _schedule(report: MaintenanceReport) -> list[tuple[Any, ...]]:
    return [(j.job, j.outcome, j.skip_reason, j.next_due_at, j.failures) for j in report.jobs]


@pytest.mark.parametrize("policy", [OURS, ORDINARY], ids=["ours", "ordinary"])
def test_every_round_the_simulation_skips_would_have_done_nothing(
    policy: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    predicted: dict[str, Any] = {}
    skipped: list[float] = []
    would_idle = fleet_kiosk.round_would_idle

    def run_every_round(last: MaintenanceReport | None, now: float, **seen: bool) -> bool:
        predicted.update(idle=would_idle(last, now, **seen), last=last)
        return False

    real_run_due = Maintenance.run_due

    def run_due(self: Maintenance, now: float | None = None) -> MaintenanceReport:
        idle, last = predicted.pop("idle", False), predicted.pop("last", None)
        draws = self._rng.getstate()
        stored = revocation_count(self._db)
        report = real_run_due(self, now)
        if idle:
            assert last is not None
            skipped.append(report.at)
            assert not report.ran and not report.failed and not report.probed
            assert report.next_run_at == last.next_run_at
            assert _schedule(report) == _schedule(last)
            assert self._rng.getstate() == draws
            assert revocation_count(self._db) == stored
        return report

    monkeypatch.setattr(fleet_kiosk, "round_would_idle", run_every_round)
    monkeypatch.setattr(Maintenance, "run_due", run_due)
    simulate_policy(Scenario(kiosks=10, minutes=40, seed=3), policy)
    assert len(skipped) > 50  # the check above ran on many rounds, not on none
