"""Date ranges the owner types (`--from 2026-12-01 --to 2026-12-07`), in the kiosk's local time.

Both days are inclusive and whole: the range covers local midnight of `start` up to
local midnight after `end`. A reversed range or one that starts in the future is an
input error (nothing could be in it, so it is almost certainly a typo); a range that
merely holds no visits is fine and gives an empty file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

from kiosk.errors import InputError
from kiosk.timefmt import SystemZone, local_midnight


@dataclass(frozen=True, slots=True)
class DayRange:
    first: date
    last: date  # inclusive
    since: float  # epoch seconds, local midnight starting `first`
    until: float  # epoch seconds, local midnight after `last` (exclusive)

    def as_dict(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}


# The export's quick choices: (days before today of the first day, of the last day).
PRESETS: dict[str, tuple[int, int]] = {
    "today": (0, 0),
    "yesterday": (1, 1),
    "last_7": (6, 0),
    "last_28": (27, 0),
}


def preset_days(name: str, today: date) -> tuple[date, date]:
    """The first and last day of a preset; "last 7 days" is today and the six before it."""
    back_first, back_last = PRESETS[name]
    return today - timedelta(days=back_first), today - timedelta(days=back_last)


def parse_day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{option} must be a date like 2026-12-01, got {text.strip()[:20]!r}") from None


def day_range(first: date, last: date, *, today: date, tz: tzinfo) -> DayRange:
    """Check and resolve an inclusive day range; `today` is the kiosk's local date (injected)."""
    if last < first:
        raise InputError(
            f"the date range is reversed: --from {first.isoformat()} is after --to {last.isoformat()}",
            key="owner.range_reversed",
        )
    if first > today:
        raise InputError(
            f"the date range starts in the future ({first.isoformat()}; today is {today.isoformat()})",
            key="owner.range_future",
        )
    return DayRange(first, last, local_midnight(first, tz), local_midnight(last + timedelta(days=1), tz))


def open_bounds(
    first: date | None, last: date | None, *, today: date, tz: tzinfo
) -> tuple[float | None, float | None]:
    """[since, until) epoch bounds of an optional day range; a missing end is open."""
    if first is not None and last is not None:
        days = day_range(first, last, today=today, tz=tz)
        return days.since, days.until
    if first is not None:
        day_range(first, first, today=today, tz=tz)  # the future check
        return local_midnight(first, tz), None
    if last is not None:
        return None, local_midnight(last + timedelta(days=1), tz)
    return None, None


def system_timezone() -> tzinfo:
    """The machine's local zone (the kiosk's wall clock, DST changes included); injected elsewhere."""
    return SystemZone()
