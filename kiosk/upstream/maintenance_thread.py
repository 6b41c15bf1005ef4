"""The maintenance service's own thread (the app's; a virtual-time fleet calls `run_due` itself)."""

from __future__ import annotations

from kiosk.clock import Clock
from kiosk.upstream.maintenance import Maintenance
from kiosk.upstream.maintenance_values import MaintenanceReport
from kiosk.upstream.periodic import PeriodicThread


class MaintenanceThread(PeriodicThread):
    """Runs `Maintenance.run_due` in a daemon thread until `stop()`; `wake()` to run at once.

    Back online (`wake_on_recovery`) it runs at once, so reconciliation starts without delay.
    """

    def __init__(self, maintenance: Maintenance, clock: Clock, *, name: str = "maintenance") -> None:
        super().__init__(name=name, failure_wait_s=maintenance.settings.max_sleep_s)
        self._maintenance = maintenance
        self._clock = clock
        self.last_report: MaintenanceReport | None = None

    def _round(self) -> float:
        settings = self._maintenance.settings
        report = self._maintenance.run_due(self._clock.now())
        self.last_report = report
        wait = report.next_run_at - self._clock.now()
        return min(max(wait, settings.min_sleep_s), settings.max_sleep_s)
