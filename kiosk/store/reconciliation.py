"""What upstream later said about visits admitted offline (the `reconciliation` column of visits).

Reconciliation (kiosk/upstream/reconcile.py) picks the unreconciled offline admissions
here, records each result, and the owner's screens list the ones reported against.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.decision import Verdict, VerifiedBy
from kiosk.store.database import Database, lenient_text
from kiosk.store.errors import UnknownVisitError
from kiosk.store.visits import VISIT_COLUMNS, VisitRecord, visit_from_row

# Written out, not bound: SQLite uses the partial index idx_visits_unreconciled (the same
# condition) only for a condition it can see in the statement.
_UNRECONCILED = (
    f"verified_by = '{VerifiedBy.OFFLINE}' AND decision = '{Verdict.ADMIT}' AND reconciliation IS NULL"
)


def offline_admissions_to_check(
    db: Database, limit: int, until: float | None = None
) -> list[tuple[str, str]]:
    """Unreconciled offline admissions that carry a certificate identifier, oldest first:
    (visit id, uci_hash); with `until`, only those scanned by then."""
    rows = db.query(
        f"SELECT id, uci_hash FROM visits WHERE {_UNRECONCILED} AND uci_hash IS NOT NULL "
        "AND (? IS NULL OR scanned_at <= ?) ORDER BY scanned_at, id LIMIT ?",
        (until, until, limit),
    )
    return [(r["id"], r["uci_hash"]) for r in rows]


def pending_offline_admissions(db: Database) -> int:
    """Offline admissions reconciliation can still check (those with a certificate identifier)."""
    return _count(db, with_uci=True)


def oldest_offline_admission_at(db: Database) -> float | None:
    """When the oldest offline admission reconciliation can still check was scanned (None: none)."""
    value = db.scalar(
        f"SELECT min(scanned_at) FROM visits WHERE {_UNRECONCILED} AND uci_hash IS NOT NULL"
    )
    return None if value is None else float(value)


def uncheckable_offline_admissions(db: Database) -> int:
    """Unreconciled offline admissions without a certificate identifier: nothing to compare."""
    return _count(db, with_uci=False)


def _count(db: Database, *, with_uci: bool) -> int:
    condition = "IS NOT NULL" if with_uci else "IS NULL"
    return int(
        db.scalar(
            f"SELECT count(*) FROM visits WHERE {_UNRECONCILED} AND uci_hash {condition}"
        )
    )


def set_reconciliation(db: Database, visit_id: str, result: str) -> None:
    """Record what upstream said when an offline-admitted visit was re-checked."""
    if not result:
        raise ValueError("empty reconciliation result")
    with db.transaction() as conn:
        updated = conn.execute(
            "UPDATE visits SET reconciliation = ? WHERE id = ?", (result, visit_id)
        ).rowcount
    if updated == 0:
        raise UnknownVisitError(f"no visit {visit_id} in the kiosk data file")


def reconciliation_issues(db: Database, since: float | None = None) -> list[VisitRecord]:
    """Offline admissions that upstream later reported as something other than valid."""
    rows = db.query(
        f"SELECT {VISIT_COLUMNS} FROM visits WHERE reconciliation IS NOT NULL "
        "AND reconciliation != 'valid' AND (:since IS NULL OR scanned_at >= :since) "
        "ORDER BY scanned_at, id",
        {"since": since},
    )
    return [visit_from_row(r) for r in rows]


@dataclass(frozen=True, slots=True)
class ReconciliationIssue:
    scanned_at: float
    holder_masked: str
    result: str  # what upstream said later: "revoked", "invalid", ...


def latest_reconciliation_issues(db: Database, limit: int) -> tuple[ReconciliationIssue, ...]:
    """The newest `limit` issues, oldest first, for the owner's list; a damaged row still shows."""
    rows = db.query(
        "SELECT scanned_at AS at, CAST(holder_masked AS BLOB) AS holder, "
        "CAST(reconciliation AS BLOB) AS result FROM visits "
        "WHERE reconciliation IS NOT NULL AND reconciliation != 'valid' "
        "ORDER BY scanned_at DESC, id DESC LIMIT ?",
        (limit,),
    )
    return tuple(
        ReconciliationIssue(float(r["at"]), lenient_text(r["holder"]), lenient_text(r["result"]))
        for r in reversed(rows)
    )
