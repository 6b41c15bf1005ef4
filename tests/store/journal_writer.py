"""Child process of the journal crash test: records visits through the real StoreRecorder
while a second connection takes and drops the data file's write lock, until it is killed.

With the lock held, visits go to the visit journal; once it is dropped, the next record
merges the journal. After each `record` returns it prints the visit id ("the verdict
was shown"), so kills land in journal appends, claims, merges and commits alike.
Usage: python -m tests.store.journal_writer DB SEED
"""

from __future__ import annotations

import sqlite3
import sys

from kiosk.decision import Decision, PassKind, Reason, Verdict, VerifiedBy
from kiosk.store.opening import open_database
from kiosk.store.recorder import StoreRecorder
from tests.store.killed_writer import ChildRun


def main(argv: list[str]) -> int:
    run = ChildRun.from_argv(argv)
    db = open_database(run.db_path)
    recorder = StoreRecorder(db, kiosk_id=f"crash-{run.seed}", rng=run.rng)
    locker = sqlite3.connect(run.db_path, isolation_level=None, timeout=5)
    decision = Decision(Verdict.MANUAL, Reason.UPSTREAM_UNAVAILABLE, VerifiedBy.NONE, PassKind.TOKEN)
    n = 0
    while run.running():
        if n % 5 == 0:
            if locker.in_transaction:
                locker.execute("COMMIT")
            elif run.rng.random() < 0.6:
                locker.execute("BEGIN EXCLUSIVE")
        visit_id = recorder.record(f"KP1:crash-{run.seed}-{n}", decision, None, run.clock.now(), wait_s=0.0)
        sys.stdout.write(visit_id + "\n")
        sys.stdout.flush()
        n += 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
