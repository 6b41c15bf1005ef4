"""Child process of the crash-durability test: records visits until it is killed.

After each commit it prints the visit id and flushes: that line stands for
"the verdict was shown". Every few visits it also acknowledges a batch, so kills
land inside the uploader's transactions too. Usage: crash_writer.py DB SEED
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from kiosk.clock import SystemClock
from kiosk.decision import PassKind, Reason, Verdict, VerifiedBy
from kiosk.pass_hash import pass_hash
from kiosk.store import outbox
from kiosk.store.opening import open_database
from kiosk.store.visits import UpstreamState, VisitRecord, new_visit_id, record_visit

# An orphaned writer (parent gone) must not run forever.
_MAX_SECONDS = 30.0


def main(argv: list[str]) -> int:
    db_path, seed = Path(argv[1]), int(argv[2])
    clock = SystemClock()
    rng = random.Random(seed)
    started = clock.monotonic()
    db = open_database(db_path)
    n = 0
    while clock.monotonic() - started < _MAX_SECONDS:
        now = clock.now()
        visit = VisitRecord(
            id=new_visit_id(now, rng),
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
