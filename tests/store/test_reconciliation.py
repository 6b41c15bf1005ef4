"""What upstream later said about offline admissions: which visits wait for it, and the owner's list."""

from __future__ import annotations

import pytest

from kiosk.decision import Verdict, VerifiedBy
from kiosk.store.database import Database
from kiosk.store.errors import UnknownVisitError
from kiosk.store.reconciliation import (
    ReconciliationIssue,
    latest_reconciliation_issues,
    offline_admissions_to_check,
    pending_offline_admissions,
    reconciliation_issues,
    set_reconciliation,
    uncheckable_offline_admissions,
)
from kiosk.store.visits import UpstreamState, get_visit, record_visit
from tests.store.conftest import VisitFactory


def test_reconciliation(db: Database, make_visit: VisitFactory) -> None:
    ok, bad = make_visit(), make_visit()
    record_visit(db, ok)
    record_visit(db, bad)
    set_reconciliation(db, ok.id, "valid")
    set_reconciliation(db, bad.id, "revoked")
    visit = get_visit(db, bad.id)
    assert visit is not None
    assert visit.reconciliation == "revoked"
    assert visit.upstream_state == UpstreamState.PENDING
    assert [v.id for v in reconciliation_issues(db)] == [bad.id]
    with pytest.raises(UnknownVisitError):
        set_reconciliation(db, "nope", "revoked")


def test_only_unreconciled_offline_admissions_wait_oldest_first(
    db: Database, make_visit: VisitFactory
) -> None:
    t0 = 1_780_000_000.0
    later, earlier = make_visit(scanned_at=t0 + 60), make_visit(scanned_at=t0)
    no_uci = make_visit(scanned_at=t0 + 1, uci_hash=None)
    others = [
        make_visit(verified_by=VerifiedBy.ONLINE),  # upstream already had its say
        make_visit(decision=Verdict.DENY),  # nobody was let in
        make_visit(reconciliation="valid"),  # already done
    ]
    for visit in (later, earlier, no_uci, *others):
        record_visit(db, visit)
    assert offline_admissions_to_check(db, 10) == [(earlier.id, earlier.uci_hash), (later.id, later.uci_hash)]
    assert offline_admissions_to_check(db, 1) == [(earlier.id, earlier.uci_hash)]
    assert (pending_offline_admissions(db), uncheckable_offline_admissions(db)) == (2, 1)
    set_reconciliation(db, earlier.id, "valid")
    assert (pending_offline_admissions(db), uncheckable_offline_admissions(db)) == (1, 1)


def test_the_owner_list_keeps_the_newest_and_shows_damaged_text(
    db: Database, make_visit: VisitFactory
) -> None:
    t0 = 1_780_000_000.0
    visits = [make_visit(scanned_at=t0 + i, holder_masked=f"K** {i}") for i in range(4)]
    for visit in visits:
        record_visit(db, visit)
        set_reconciliation(db, visit.id, "revoked")
    set_reconciliation(db, visits[0].id, "valid")  # not an issue
    with db.transaction() as conn:  # text that is not UTF-8 (a damaged file) must not hide the row
        conn.execute("UPDATE visits SET holder_masked = CAST(X'ff4b' AS TEXT) WHERE id = ?", (visits[3].id,))
    assert latest_reconciliation_issues(db, 2) == (
        ReconciliationIssue(t0 + 2, "K** 2", "revoked"),
        ReconciliationIssue(t0 + 3, "\ufffdK", "revoked"),
    )
    assert len(latest_reconciliation_issues(db, 10)) == 3
