"""Every health transition, kept so that outages can be reported afterwards."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.decision import Health
from kiosk.store.database import Database


@dataclass(frozen=True, slots=True)
class HealthEvent:
    at: float
    state: Health
    cause: str | None  # timeout/5xx/429/dns/refused/tls/bad-body, or None on recovery


def record_health(db: Database, at: float, state: Health, cause: str | None = None) -> None:
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO health_events (at, state, cause) VALUES (?, ?, ?)", (at, str(state), cause)
        )


def health_events(db: Database, since: float | None = None, until: float | None = None) -> list[HealthEvent]:
    """Transitions with since <= at < until, oldest first."""
    rows = db.query(
        "SELECT at, state, cause FROM health_events "
        "WHERE (:since IS NULL OR at >= :since) AND (:until IS NULL OR at < :until) ORDER BY at, id",
        {"since": since, "until": until},
    )
    return [HealthEvent(r["at"], Health(r["state"]), r["cause"]) for r in rows]


def last_health(db: Database, before: float | None = None) -> HealthEvent | None:
    """The state the kiosk was last in (e.g. to show it again right after a restart), or the one
    in force just before `before` (where a timeline starting there begins)."""
    rows = db.query(
        "SELECT at, state, cause FROM health_events WHERE (:before IS NULL OR at < :before) "
        "ORDER BY at DESC, id DESC LIMIT 1",
        {"before": before},
    )
    return HealthEvent(rows[0]["at"], Health(rows[0]["state"]), rows[0]["cause"]) if rows else None
