"""The owner-visible audit trail: who purged, exported or changed what, and when."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kiosk.store.database import Database


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: float
    actor: str  # "system", "owner", "staff", a CLI command name
    action: str  # stable code, e.g. "purge", "export", "trust.replace"
    detail: dict[str, Any]


def record_audit(
    db: Database, at: float, actor: str, action: str, detail: dict[str, Any] | None = None
) -> None:
    """Append one entry. `detail` holds counts and parameters only, never personal data."""
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?)",
            (at, actor, action, json.dumps(detail or {}, sort_keys=True)),
        )


def audit_entries(db: Database, since: float | None = None) -> list[AuditEntry]:
    rows = db.query(
        "SELECT at, actor, action, detail FROM audit_log "
        "WHERE (:since IS NULL OR at >= :since) ORDER BY at, id",
        {"since": since},
    )
    return [AuditEntry(r["at"], r["actor"], r["action"], json.loads(r["detail"] or "{}")) for r in rows]
