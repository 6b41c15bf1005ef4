from __future__ import annotations

import pytest

from kiosk.clock import ManualClock
from kiosk.store import outbox
from kiosk.store.audit import audit_entries
from kiosk.store.database import Database
from kiosk.store.retention import DAY_S, purge
from kiosk.store.sealing import get_manual_entry, record_manual_entry
from kiosk.store.visits import get_visit, list_visits, record_visit
from tests.store.conftest import VisitFactory


def test_purge_old_sent_visits_and_keeps_unsent(
    db: Database, make_visit: VisitFactory, clock: ManualClock
) -> None:
    now = clock.now()
    old_sent = make_visit(scanned_at=now - 30 * DAY_S)
    old_pending = make_visit(scanned_at=now - 29 * DAY_S)
    old_quarantined = make_visit(scanned_at=now - 40 * DAY_S)
    recent_sent = make_visit(scanned_at=now - 27 * DAY_S)
    for visit in (old_sent, old_pending, old_quarantined, recent_sent):
        record_visit(db, visit)
        record_manual_entry(db, visit.id, b"sealed-" + visit.id.encode())
    outbox.mark_sent(db, [old_sent.id, recent_sent.id])
    outbox.quarantine(db, old_quarantined.id, "rejected")

    counts = purge(db, now, retention_days=28)

    assert (counts.visits_deleted, counts.outbox_deleted, counts.kept_unsent) == (1, 1, 2)
    assert counts.manual_entries_deleted == 3
    assert counts.cutoff == now - 28 * DAY_S
    assert get_visit(db, old_sent.id) is None
    assert {v.id for v in list_visits(db)} == {old_pending.id, old_quarantined.id, recent_sent.id}
    assert outbox.pending_count(db) == 1
    assert outbox.quarantined_count(db) == 1
    # Personal data of old visits goes regardless; only the recent entry remains.
    assert get_manual_entry(db, old_pending.id) is None
    assert get_manual_entry(db, recent_sent.id) is not None

    [entry] = audit_entries(db)
    assert (entry.action, entry.actor, entry.at) == ("purge", "system", now)
    assert entry.detail["visits_deleted"] == 1
    assert entry.detail["kept_unsent"] == 2


def test_purge_again_is_harmless_and_sent_later_gets_purged(
    db: Database, make_visit: VisitFactory, clock: ManualClock
) -> None:
    now = clock.now()
    old = make_visit(scanned_at=now - 60 * DAY_S)
    record_visit(db, old)
    assert purge(db, now).kept_unsent == 1
    outbox.mark_sent(db, [old.id])
    counts = purge(db, now + 1)
    assert (counts.visits_deleted, counts.kept_unsent) == (1, 0)
    assert db.scalar("SELECT count(*) FROM outbox") == 0
    assert len(audit_entries(db)) == 2


def test_retention_days_must_be_positive(db: Database, clock: ManualClock) -> None:
    with pytest.raises(ValueError):
        purge(db, clock.now(), retention_days=0)


def test_a_purge_in_small_chunks_deletes_the_same_and_audits_once(
    db: Database, make_visit: VisitFactory, clock: ManualClock
) -> None:
    now = clock.now()
    old_sent = [make_visit(scanned_at=now - (30 + i) * DAY_S) for i in range(7)]
    old_pending = [make_visit(scanned_at=now - (29 + i) * DAY_S) for i in range(3)]
    recent = [make_visit(scanned_at=now - i * DAY_S) for i in range(2)]
    for visit in (*old_sent, *old_pending, *recent):
        record_visit(db, visit)
        record_manual_entry(db, visit.id, b"sealed")
    outbox.mark_sent(db, [v.id for v in (*old_sent, *recent)])

    counts = purge(db, now, retention_days=28, chunk_rows=2)

    assert (counts.visits_deleted, counts.outbox_deleted, counts.kept_unsent) == (7, 7, 3)
    assert counts.manual_entries_deleted == 10  # the 3 still owed upstream lose theirs too
    assert {v.id for v in list_visits(db)} == {v.id for v in (*old_pending, *recent)}
    assert all(get_manual_entry(db, v.id) is None for v in old_pending)
    assert all(get_manual_entry(db, v.id) is not None for v in recent)
    assert [e.action for e in audit_entries(db)] == ["purge"]
    with pytest.raises(ValueError):
        purge(db, now, chunk_rows=0)
