"""Child process of the crash-durability test: records visits until it is killed.

After each commit it prints the visit id and flushes: that line stands for
"the verdict was shown". Every few visits it also acknowledges a batch, so kills
land inside the uploader's transactions too. Usage: python -m tests.store.crash_writer DB SEED
"""

from __future__ import annotations

import sys

from kiosk.decision import PassKind, Reason, Verdict, VerifiedBy
from kiosk.pass_hash import pass_hash
from kiosk.store import outbox
from kiosk.store.opening import open_database
from kiosk.store.visits import UpstreamState, VisitRecord, new_visit_id, record_visit
from tests.store.killed_writer import ChildRun


def main(argv: list[str]) -> int:
    run = ChildRun.from_argv(argv)
    seed = run.seed
    db = open_database(run.db_path)
    n = 0
    while run.running():
        now = run.clock.now()
        visit = VisitRecord(
            id=new_visit_id(now, run.rng),
            scanned_at=now,
            kind=PassKind.DCC,
            pass_hash=pass_hash(f"HC1:CRASH{seed}-{n}"),
            uci_hash=None,
            holder_masked="K** M*****",
            decision=Verdict.ADMIT,
            reason=Reason.VALID,
            verified_by=VerifiedBy.OFFLINE,
            upstream_state=UpstreamState.PENDING,
            kiosk_id=f"crash-{seed}",
        )
        record_visit(db, visit)
        sys.stdout.write(visit.id + "\n")
        sys.stdout.flush()
        n += 1
        if n % 7 == 0:
            outbox.mark_sent(db, [item.visit_id for item in outbox.due(db, now=now, limit=3)])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
