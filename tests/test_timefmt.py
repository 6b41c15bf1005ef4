"""The kiosk's local day: where "today" starts in the zone it is given, not the machine's."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiosk.owner_tools.dates import system_timezone
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


@pytest.fixture
def machine_in_berlin(monkeypatch):  # type: ignore[no-untyped-def]
    """The operating system's zone set to Berlin for this test (TZ, POSIX only)."""
    if not hasattr(time, "tzset"):
        pytest.skip("the machine's zone can be switched only on POSIX")
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_system_zone_follows_dst_changes_after_start(machine_in_berlin) -> None:  # type: ignore[no-untyped-def]
    zone = system_timezone()  # taken once, in winter, as the app takes it at start
    winter = datetime(2026, 1, 15, 12, tzinfo=UTC).timestamp()
    summer = datetime(2026, 7, 15, 12, tzinfo=UTC).timestamp()

    assert datetime.fromtimestamp(winter, zone).hour == 13
    assert datetime.fromtimestamp(summer, zone).hour == 14  # a fixed +01:00 would say 13
    # The day of the spring change has 23 hours, the autumn one 25, as in the zone database.
    for day, hours in ((date(2026, 3, 29), 23), (date(2026, 10, 25), 25), (date(2026, 7, 1), 24)):
        length = local_midnight(day + timedelta(days=1), zone) - local_midnight(day, zone)
        assert length == hours * 3600
        assert local_midnight(day, zone) == local_midnight(day, BERLIN)
    assert local_today(summer, zone) == local_today(summer, BERLIN)
