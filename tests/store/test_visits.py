from __future__ import annotations

import hashlib
import random
import uuid
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.clock import ManualClock
from kiosk.decision import PassKind, Reason, Verdict, VerifiedBy
from kiosk.pass_hash import pass_hash, uci_hash
from kiosk.store import outbox
from kiosk.store.database import Database
from kiosk.store.errors import ConstraintError
from kiosk.store.opening import open_database
from kiosk.store.visits import (
    VisitCounts,
    get_visit,
    list_visits,
    new_visit_id,
    record_visit,
    visits_per_hour,
    visits_since,
)
from tests.store.conftest import VisitFactory


def test_visit_id_is_uuid7_with_time_prefix() -> None:
    now = 1_780_000_123.456
    value = uuid.UUID(new_visit_id(now, random.Random(1)))
    assert value.version == 7
    assert value.variant == uuid.RFC_4122
    assert value.int >> 80 == int(now * 1000)


@given(st.lists(st.floats(min_value=0, max_value=4_000_000_000, allow_nan=False), min_size=2, max_size=30))
def test_visit_ids_sort_in_time_order(times: list[float]) -> None:
    rng = random.Random(7)
    ids = [(t, new_visit_id(t, rng)) for t in times]
    for t_a, id_a in ids:
        for t_b, id_b in ids:
            # The id resolves 1/4096 ms; a 1 µs gap is always ordered correctly.
            if t_a < t_b - 1e-6:
                assert id_a < id_b


def test_visit_ids_are_unique_for_the_same_instant() -> None:
    rng = random.Random(3)
    assert len({new_visit_id(1_780_000_000.0, rng) for _ in range(1000)}) == 1000


def test_pass_hash_normalizes_line_ends_and_unicode() -> None:
    assert pass_hash("HC1:ABC\r\n") == pass_hash("  HC1:ABC")
    assert pass_hash("KP1:caf\u00e9") == pass_hash("KP1:cafe\u0301")
    assert pass_hash("HC1:ABC") != pass_hash("HC1:ABD")
    assert len(pass_hash("x")) == 64
    assert uci_hash("URN:UVCI:01:AT:1") != pass_hash("URN:UVCI:01:AT:2")


def test_pass_hash_accepts_any_text() -> None:
    # A byte that is not UTF-8 arrives as U+DCFF (surrogateescape): hash the byte itself.
    assert pass_hash("\udcff") == hashlib.sha256(b"\xff").hexdigest()
    assert pass_hash("KP1:\udcc3\udca9") == hashlib.sha256(b"KP1:\xc3\xa9").hexdigest()
    # Other lone surrogates only come from programs; they still hash, and distinctly.
    assert pass_hash("KP1:\ud800") != pass_hash("KP1:\udbff") != pass_hash("KP1:")
    assert pass_hash("\ud800\udcff") == hashlib.sha256(b"\xed\xa0\x80\xed\xb3\xbf").hexdigest()
    assert uci_hash("URN:\udcff") == hashlib.sha256(b"URN:\xff").hexdigest()
    # Valid text hashes exactly as before.
    assert pass_hash("KP1:caf\u00e9") == hashlib.sha256("KP1:café".encode()).hexdigest()


def test_record_and_read_back(db: Database, make_visit: VisitFactory) -> None:
    visit = make_visit(
        kind=PassKind.TOKEN, decision=Verdict.MANUAL, reason=Reason.UPSTREAM_UNAVAILABLE,
        verified_by=VerifiedBy.STAFF, uci_hash=None, holder_masked=None,
    )
    record_visit(db, visit)
    assert get_visit(db, visit.id) == visit
    assert get_visit(db, "no-such-id") is None
    rows = db.query("SELECT attempts, next_attempt_at, state FROM outbox WHERE visit_id = ?", (visit.id,))
    assert [tuple(r) for r in rows] == [(0, visit.scanned_at, "pending")]
    assert outbox.pending_count(db) == 1


def test_recording_the_same_visit_twice_is_refused(db: Database, make_visit: VisitFactory) -> None:
    visit = make_visit()
    record_visit(db, visit)
    with pytest.raises(ConstraintError):
        record_visit(db, visit)
    assert db.scalar("SELECT count(*) FROM outbox") == 1


def test_failure_mid_transaction_leaves_neither_row(db: Database, make_visit: VisitFactory) -> None:
    with db.transaction() as conn:
        # The visit insert succeeds, then the outbox insert fails inside the same transaction.
        conn.execute(
            "CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'injected'); END"
        )
    visit = make_visit()
    with pytest.raises(ConstraintError):
        record_visit(db, visit)
    assert db.scalar("SELECT count(*) FROM visits") == 0
    assert db.scalar("SELECT count(*) FROM outbox") == 0
    with db.transaction() as conn:
        conn.execute("DROP TRIGGER fail_outbox")
    record_visit(db, visit)
    assert get_visit(db, visit.id) == visit


def test_record_is_durable_without_close(db_path: Path, make_visit: VisitFactory) -> None:
    db = open_database(db_path)
    visit = make_visit()
    record_visit(db, visit)
    # A second connection sees it at once: it was committed before record_visit returned.
    with open_database(db_path) as other:
        assert get_visit(other, visit.id) == visit
    db.close()


def test_raw_pass_text_never_reaches_the_file(db_path: Path, make_visit: VisitFactory) -> None:
    raw = "HC1:6BFOXN%TSMAHN-HISCQ4T1:8A1FXT1Q6T3G.9TZ8SJD3*8SD9R-Q75"
    uci = "URN:UVCI:01:DE:SECRETUCI1234567#X"
    with open_database(db_path) as db:
        record_visit(db, make_visit(pass_hash=pass_hash(raw), uci_hash=uci_hash(uci)))
        contents = b"".join(
            p.read_bytes() for p in db_path.parent.iterdir() if p.name.startswith(db_path.name)
        )
        assert pass_hash(raw).encode() in contents  # the file was really read
    contents += db_path.read_bytes()
    for secret in (raw, raw[4:30], uci, "SECRETUCI"):
        assert secret.encode() not in contents


def test_list_visits_by_half_open_range(db: Database, make_visit: VisitFactory, clock: ManualClock) -> None:
    t0 = clock.now()
    visits = [make_visit(scanned_at=t0 + i * 60) for i in range(5)]
    for visit in reversed(visits):
        record_visit(db, visit)
    assert list_visits(db) == visits
    assert list_visits(db, since=t0 + 60, until=t0 + 180) == visits[1:3]
    assert list_visits(db, since=t0 + 240) == visits[4:]
    assert list_visits(db, until=t0) == []


def test_visits_since_count_by_verdict_and_path(db: Database, make_visit: VisitFactory) -> None:
    t0 = 1_780_000_000.0
    for at, decision, path in [
        (t0 - 1, Verdict.ADMIT, VerifiedBy.ONLINE),  # before: not counted
        (t0, Verdict.ADMIT, VerifiedBy.ONLINE),
        (t0 + 10, Verdict.ADMIT, VerifiedBy.OFFLINE),
        (t0 + 20, Verdict.DENY, VerifiedBy.OFFLINE),
        (t0 + 30, Verdict.MANUAL, VerifiedBy.STAFF),
    ]:
        record_visit(db, make_visit(scanned_at=at, decision=decision, verified_by=path))
    counts = visits_since(db, t0)
    assert counts.by_decision == {"admit": 2, "deny": 1, "manual": 1}
    assert counts.by_path == {"online": 1, "offline": 2, "staff": 1}
    assert counts.total == 4
    assert visits_since(db, t0, until=t0 + 20).total == 2
    assert visits_since(db, t0 + 31) == VisitCounts({}, {})


def test_a_damaged_row_still_counts(db: Database, make_visit: VisitFactory) -> None:
    visit = make_visit(scanned_at=1_780_000_000.0)
    record_visit(db, visit)
    with db.transaction() as conn:
        conn.execute("UPDATE visits SET decision = CAST(X'ff' AS TEXT) WHERE id = ?", (visit.id,))
    assert visits_since(db, 0.0).by_decision == {"\ufffd": 1}


def test_visits_per_hour(db: Database, make_visit: VisitFactory) -> None:
    t0 = 1_780_000_000.0
    for at in (t0 - 1, t0, t0 + 3599, t0 + 3600, t0 + 5 * 3600 + 1, t0 + 6 * 3600):
        record_visit(db, make_visit(scanned_at=at))
    assert visits_per_hour(db, t0, t0 + 6 * 3600) == (2, 1, 0, 0, 0, 1)
    assert len(visits_per_hour(db, t0, t0 + 24 * 3600)) == 24
