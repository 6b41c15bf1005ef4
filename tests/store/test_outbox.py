from __future__ import annotations

import pytest

from kiosk.clock import ManualClock
from kiosk.store import outbox
from kiosk.store.database import Database
from kiosk.store.errors import UnknownVisitError
from kiosk.store.outbox import OutboxState, Quarantined
from kiosk.store.visits import UpstreamState, get_visit, record_visit
from tests.store.conftest import VisitFactory


def _states(db: Database) -> dict[str, str]:
    return {r["visit_id"]: r["state"] for r in db.query("SELECT visit_id, state FROM outbox")}


def test_due_returns_pending_items_with_their_visit(
    db: Database, make_visit: VisitFactory, clock: ManualClock
) -> None:
    t0 = clock.now()
    visits = [make_visit(scanned_at=t0 + i) for i in range(5)]
    for visit in visits:
        record_visit(db, visit)
    items = outbox.due(db, now=t0 + 2, limit=10)
    assert [i.visit_id for i in items] == [v.id for v in visits[:3]]
    assert items[0].visit == visits[0]
    assert items[0].state == OutboxState.PENDING
    assert items[0].attempts == 0
    assert [i.visit_id for i in outbox.due(db, now=t0 + 100, limit=2)] == [v.id for v in visits[:2]]
    assert outbox.due(db, now=t0 + 100, limit=0) == []
    assert outbox.next_due_at(db) == t0


def test_lifecycle_failed_then_sent(db: Database, make_visit: VisitFactory, clock: ManualClock) -> None:
    t0 = clock.now()
    a, b = make_visit(), make_visit()
    record_visit(db, a)
    record_visit(db, b)
    assert outbox.pending_count(db) == 2

    assert outbox.mark_failed(db, [a.id, b.id], "http 503", next_attempt_at=t0 + 30) == 2
    assert outbox.due(db, now=t0 + 29, limit=10) == []
    items = outbox.due(db, now=t0 + 30, limit=10)
    assert {i.attempts for i in items} == {1}
    assert {i.last_error for i in items} == {"http 503"}

    outbox.mark_failed(db, [a.id], "timeout", next_attempt_at=t0 + 90)
    assert outbox.mark_sent(db, [b.id]) == 1
    assert outbox.mark_sent(db, [b.id]) == 0  # a duplicate acknowledgement changes nothing
    assert _states(db) == {a.id: "pending", b.id: "sent"}
    visit_b = get_visit(db, b.id)
    assert visit_b is not None
    assert visit_b.upstream_state == UpstreamState.CONFIRMED
    assert outbox.pending_count(db) == 1
    # A sent item is never retried, whatever the uploader later reports.
    assert outbox.mark_failed(db, [b.id], "timeout", next_attempt_at=t0) == 0
    [item] = outbox.due(db, now=t0 + 90, limit=10)
    assert (item.visit_id, item.attempts, item.last_error) == (a.id, 2, "timeout")


def test_quarantine_is_kept_visible_and_can_be_requeued(
    db: Database, make_visit: VisitFactory, clock: ManualClock
) -> None:
    bad, good = make_visit(), make_visit()
    record_visit(db, bad)
    record_visit(db, good)
    outbox.quarantine(db, bad.id, "rejected: schema")
    assert outbox.pending_count(db) == 1
    assert outbox.quarantined_count(db) == 1
    [item] = outbox.quarantined(db)
    assert (item.visit_id, item.last_error) == (bad.id, "rejected: schema")
    assert item.state == OutboxState.QUARANTINED
    assert item.visit.upstream_state == UpstreamState.REJECTED
    assert [i.visit_id for i in outbox.due(db, now=clock.now() + 1e6, limit=10)] == [good.id]

    outbox.requeue(db, bad.id, now=clock.now() + 5)
    assert outbox.quarantined_count(db) == 0
    assert outbox.pending_count(db) == 2
    with pytest.raises(UnknownVisitError):
        outbox.requeue(db, bad.id, now=clock.now())
    with pytest.raises(UnknownVisitError):
        outbox.quarantine(db, "no-such-visit", "x")


def test_the_owner_lists_a_quarantined_row_with_damaged_text_and_retries_it(
    db: Database, make_visit: VisitFactory, clock: ManualClock
) -> None:
    t0 = clock.now()
    damaged, held, _due = visits = [make_visit(scanned_at=t0 + i) for i in range(3)]
    for visit in visits:
        record_visit(db, visit)
    outbox.quarantine(db, damaged.id, "http 422")
    # The kind of row the uploader quarantines: its text is not UTF-8 (a damaged file, an old bug).
    with db.transaction() as conn:
        conn.execute("UPDATE visits SET holder_masked = CAST(X'ffd8ff' AS TEXT) WHERE id = ?", (damaged.id,))
    outbox.mark_failed(db, [held.id], "http 503", t0 + 3600)  # held by a backoff for an hour
    assert outbox.quarantined_list(db, 10) == (Quarantined(damaged.id, t0, "\ufffd" * 3, "http 422"),)
    assert outbox.quarantined_list(db, 0) == ()

    assert outbox.retry_uploads(db, t0 + 5) == 2  # the quarantined row and the held one
    assert outbox.quarantined_count(db) == 0
    assert outbox.due_count(db, t0 + 5, 10) == 3
    assert db.scalar("SELECT upstream_state FROM visits WHERE id = ?", (damaged.id,)) == "pending"
    before = db.query_dicts("SELECT * FROM outbox ORDER BY visit_id")
    assert outbox.retry_uploads(db, t0 + 10) == 0  # nothing left to retry: nothing changes
    assert db.query_dicts("SELECT * FROM outbox ORDER BY visit_id") == before


def test_local_give_up_keeps_upstream_state_pending(db: Database, make_visit: VisitFactory) -> None:
    visit = make_visit()
    record_visit(db, visit)
    outbox.quarantine(db, visit.id, "too many attempts", rejected_by_upstream=False)
    stored = get_visit(db, visit.id)
    assert stored is not None
    assert stored.upstream_state == UpstreamState.PENDING


@pytest.mark.parametrize("rejected_by_upstream", [True, False])
def test_quarantine_never_touches_a_sent_row(
    db: Database, make_visit: VisitFactory, clock: ManualClock, rejected_by_upstream: bool
) -> None:
    sent, pending = make_visit(), make_visit()
    record_visit(db, sent)
    record_visit(db, pending)
    outbox.mark_sent(db, [sent.id])
    # A late rejection (or a local give-up) for a visit upstream already acknowledged.
    outbox.quarantine(db, sent.id, "rejected: schema", rejected_by_upstream=rejected_by_upstream)
    [row] = db.query("SELECT state, last_error FROM outbox WHERE visit_id = ?", (sent.id,))
    assert (row["state"], row["last_error"]) == ("sent", None)
    stored = get_visit(db, sent.id)
    assert stored is not None and stored.upstream_state == UpstreamState.CONFIRMED
    assert outbox.quarantined_count(db) == 0
    # The unreadable-row path (by rowid) leaves a sent row alone too.
    [(rowid,)] = db.query("SELECT rowid FROM outbox WHERE visit_id = ?", (sent.id,))
    outbox.quarantine_unreadable(db, outbox.UnreadableItem(rowid, sent.id, "unreadable row: value"))
    assert _states(db) == {sent.id: "sent", pending.id: "pending"}


def test_batches_beyond_sqlites_parameter_limit_are_marked(
    db: Database, make_visit: VisitFactory, clock: ManualClock
) -> None:
    visits = [make_visit() for _ in range(1200)]
    with db.transaction():
        for visit in visits:
            record_visit(db, visit)
    ids = [v.id for v in visits]
    assert outbox.mark_failed(db, ids, "timeout", clock.now() + 1) == 1200
    assert outbox.mark_sent(db, ids) == 1200
    assert outbox.pending_count(db) == 0
