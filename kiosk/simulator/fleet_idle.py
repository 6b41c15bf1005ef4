"""Which of a fleet kiosk's maintenance rounds would do nothing, so the simulation skips them.

Most rounds find nothing to do: the thread's 30 s polls while an offline admission waits
for its reconciliation interval, and the rounds of a kiosk whose next sync is minutes away.
Each still costs `Maintenance.run_due` its queries (the trust list's age, the offline
admissions to reconcile), a third of all maintenance rounds for our policy and more than
half for the ordinary client.

A round at `now` does nothing when the last round ran nothing, failed nothing, spent no
probe and was not held back by the breaker (then every job's next run is the one that round
reported, as nothing but a round or list news moves it), no list news came since (a round
stores it and re-plans on it), no new offline admission could give reconciliation work, and
every job's next run is still ahead. Such a round asks neither upstream nor the breaker and
changes nothing but the thread's timing, which the simulation keeps as the round would.
"""

from __future__ import annotations

from kiosk.upstream.maintenance_values import MaintenanceReport, Outcome, SkipReason

_WAITING = frozenset({SkipReason.NOT_DUE, SkipReason.BACKING_OFF})


def round_would_idle(
    last: MaintenanceReport | None, now: float, *, news: bool, new_admissions: bool
) -> bool:
    """Would `run_due(now)` do nothing, after `last` (the previous round's report)?

    `news`: list news was noted since that round; `new_admissions`: a visit was admitted
    offline since then (a new unreconciled offline admission).
    """
    if last is None or news or last.probed:
        return False
    for job in last.jobs:
        if job.outcome is not Outcome.SKIPPED:
            return False
        if job.skip_reason is SkipReason.NOTHING_PENDING:
            if new_admissions:
                return False
        elif job.skip_reason not in _WAITING or job.next_due_at is None or now >= job.next_due_at:
            return False
    return True
