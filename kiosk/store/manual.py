"""Manual-log mode: staff look at the visitor's pass by eye and confirm or refuse entry."""

from __future__ import annotations

from kiosk.decision import Reason, Verdict, VerifiedBy
from kiosk.store.audit import record_audit
from kiosk.store.database import Database
from kiosk.store.errors import UnknownVisitError


def resolve_manual(db: Database, visit_id: str, *, admitted: bool, at: float, actor: str = "staff") -> None:
    """Turn a MANUAL visit into the staff's admit/deny.

    Manual visits arise while upstream is unreachable, so the upload normally still
    waits in the outbox and carries the staff's answer. When the visit was already
    uploaded (as `manual`, before staff answered), its outbox row goes back to pending:
    the amended record is sent again under the same id, and upstream keeps the latest.

    Only a visit still in manual state changes, so a double tap on the screen cannot
    flip an earlier answer. The audit log keeps who decided and when.
    """
    verdict, reason = (
        (Verdict.ADMIT, Reason.STAFF_CONFIRMED) if admitted else (Verdict.DENY, Reason.STAFF_REJECTED)
    )
    with db.transaction() as conn:
        updated = conn.execute(
            "UPDATE visits SET decision = ?, reason = ?, verified_by = ? WHERE id = ? AND decision = ?",
            (str(verdict), str(reason), str(VerifiedBy.STAFF), visit_id, str(Verdict.MANUAL)),
        ).rowcount
        if not updated:
            raise UnknownVisitError(f"visit {visit_id} is not waiting for a staff decision")
        resent = conn.execute(
            "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL "
            "WHERE visit_id = ? AND state = 'sent'",
            (at, visit_id),
        ).rowcount
        if resent:
            conn.execute("UPDATE visits SET upstream_state = 'pending' WHERE id = ?", (visit_id,))
        record_audit(db, at, actor, "manual_decision", {"visit_id": visit_id, "decision": str(verdict)})
