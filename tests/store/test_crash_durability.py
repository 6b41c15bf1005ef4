"""Durability before display, tested by killing a writer (SIGKILL) at random moments.

Each cycle starts a fresh writer on the same file and kills it after a random
delay: most cycles count it from the first shown verdict (kills land in visit
commits and upload acknowledgements), every fifth from spawn (kills land in
start-up and schema creation). Every id the writer printed
(= a verdict that was shown) must be in the file exactly once with its outbox row.
SIGKILL does not simulate power loss; synchronous=FULL is what covers that.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kiosk.store.opening import open_database
from tests.store.killed_writer import printed_until_killed, start_writer

WRITER = "tests.store.crash_writer"
CYCLES = 30


@pytest.mark.slow
@pytest.mark.timeout(90)
def test_no_shown_verdict_is_lost_or_duplicated(tmp_path: Path) -> None:
    rng = random.Random(20261105)
    db_path = tmp_path / "kiosk.db"
    shown: list[str] = []
    cycles_with_writes = 0
    for cycle in range(CYCLES):
        err_path = tmp_path / f"writer-{cycle}.err"
        with err_path.open("w") as err_file:
            proc = start_writer(WRITER, db_path, cycle, err_file)
        # Every fifth writer is killed without waiting: maybe before its first visit.
        if cycle % 5 == 0:
            printed = printed_until_killed(proc, rng.uniform(0.0, 0.4), read_first=False)
        else:
            printed = printed_until_killed(proc, rng.uniform(0.0, 0.2))
        assert proc.returncode == -9, err_path.read_text()[-2000:]
        cycles_with_writes += bool(printed)
        shown.extend(printed)

        with open_database(db_path) as db:
            assert db.integrity_check(full=True) == []
            counts = {r[0]: r[1] for r in db.query("SELECT id, count(*) FROM visits GROUP BY id")}
            in_outbox = {r[0] for r in db.query("SELECT visit_id FROM outbox")}
            missing = [i for i in shown if counts.get(i) != 1]
            assert missing == [], f"cycle {cycle}: shown verdicts lost"
            assert len(shown) == len(set(shown))
            assert set(counts) == in_outbox, f"cycle {cycle}: visit and outbox rows out of step"
            # At most one commit per kill can land before its id was printed.
            assert len(counts) - len(shown) <= cycle + 1
            sent = db.scalar("SELECT count(*) FROM outbox WHERE state = 'sent'")
            confirmed = db.scalar("SELECT count(*) FROM visits WHERE upstream_state = 'confirmed'")
            assert sent == confirmed
    assert cycles_with_writes >= 20, "too few cycles got as far as writing; raise the delays"
