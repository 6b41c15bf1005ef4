"""The kiosk's local day: where "today" starts in the zone it is given, not the machine's."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from kiosk.timefmt import local_day_start, local_midnight, local_today

AUCKLAND = ZoneInfo("Pacific/Auckland")
BERLIN = ZoneInfo("Europe/Berlin")


def test_today_starts_at_midnight_in_the_given_zone() -> None:
    # 2026-05-28 11:30 UTC is already 23:30 the same day in Auckland (NZST, +12).
    now = datetime(2026, 5, 28, 11, 30, tzinfo=UTC).timestamp()
    assert local_today(now, AUCKLAND) == date(2026, 5, 28)
    assert local_day_start(now, AUCKLAND) == datetime(2026, 5, 27, 12, 0, tzinfo=UTC).timestamp()
    # Thirty-one minutes later Auckland has a new day; UTC has not.
    later = now + 31 * 60
    assert local_today(later, AUCKLAND) == date(2026, 5, 29)
    assert local_day_start(later, AUCKLAND) == datetime(2026, 5, 28, 12, 0, tzinfo=UTC).timestamp()
    assert local_day_start(later, UTC) == datetime(2026, 5, 28, tzinfo=UTC).timestamp()


def test_a_daylight_saving_day_is_23_hours_long() -> None:
    spring = date(2026, 3, 29)  # Berlin moves its clocks forward at 02:00
    assert local_midnight(spring, BERLIN) == datetime(2026, 3, 28, 23, 0, tzinfo=UTC).timestamp()
    next_day = local_midnight(date(2026, 3, 30), BERLIN)
    assert next_day - local_midnight(spring, BERLIN) == 23 * 3600
    assert local_day_start(next_day - 1, BERLIN) == local_midnight(spring, BERLIN)
