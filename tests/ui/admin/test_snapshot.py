"""The admin snapshot and "retry now" without a window: edge cases of the data they read."""

from __future__ import annotations

from pathlib import Path

from kiosk.decision import Health
from kiosk.store.health_log import HealthEvent
from kiosk.ui.admin.snapshot import HealthSpan, health_spans, retry_uploads
from tests.ui.admin.seed import NOW, Seeded, services_for


def test_spans_cover_the_window_from_the_state_in_force_at_its_start() -> None:
    before = HealthEvent(50.0, Health.OFFLINE, "dns")
    events = [HealthEvent(120.0, Health.ONLINE, None), HealthEvent(150.0, Health.DEGRADED, "timeout")]
    assert health_spans(before, events, 100.0, 200.0) == (
        HealthSpan(100.0, 120.0, "offline", "dns"),
        HealthSpan(120.0, 150.0, "online", None),
        HealthSpan(150.0, 200.0, "degraded", "timeout"),
    )
    assert health_spans(None, [], 100.0, 200.0) == (HealthSpan(100.0, 200.0, "unknown", None),)


def test_a_quarantined_row_with_unreadable_text_is_listed_and_retried(seeded: Seeded, tmp_path: Path) -> None:
    # The kind of row the uploader quarantines: its text is not UTF-8 (a damaged file, an old bug).
    with seeded.db.transaction() as conn:
        conn.execute(
            "UPDATE visits SET holder_masked = CAST(X'ffd8ff' AS TEXT) WHERE id = ?", (seeded.quarantined_id,)
        )
    snap = services_for(seeded, tmp_path / "config.toml").snapshot()
    assert snap.quarantined == 1
    assert snap.quarantined_items[0].holder_masked == "\ufffd" * 3  # shown as replacement marks
    assert retry_uploads(seeded.db, NOW) == 2  # the quarantined row and the held one
    assert seeded.db.scalar("SELECT count(*) FROM outbox WHERE state = 'quarantined'") == 0


def test_retry_with_nothing_to_retry_changes_nothing(seeded: Seeded) -> None:
    retry_uploads(seeded.db, NOW)
    before = seeded.db.query_dicts("SELECT * FROM outbox ORDER BY visit_id")
    assert retry_uploads(seeded.db, NOW + 10) == 0
    assert seeded.db.query_dicts("SELECT * FROM outbox ORDER BY visit_id") == before
