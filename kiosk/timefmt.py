"""Parsing the instants people and test data write (ISO 8601 in its many real-world shapes),
and the kiosk's local days: where "today" starts in the zone the kiosk is given."""

from __future__ import annotations

import re
import time as _os_time
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from kiosk.errors import InputError

_FRACTION = re.compile(r"(\.\d{1,6})\d*")
# Visit ids and stored times are Unix epoch based: before 1970 cannot be stored, and past
# year 9999 datetime (and with it every date rule) cannot follow.
EARLIEST = 0.0
LATEST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp()


def parse_instant(text: str) -> float:
    """Epoch seconds from an ISO 8601 date or date-time; no zone means UTC.

    Accepts `Z`/`z`, `+hh:mm`, `+hhmm`, `+hh`, a space instead of `T`, more than six
    fractional digits (truncated), date-only, and plain epoch seconds.
    """
    raw = text.strip()
    if not raw:
        raise InputError("empty time value")
    if re.fullmatch(r"-?\d+(\.\d+)?", raw) and len(raw.split(".")[0].lstrip("-")) > 8:
        return _in_range(float(raw), raw)
    cleaned = raw.replace(" ", "T", 1) if re.match(r"\d{4}-\d\d-\d\d \d", raw) else raw
    cleaned = _FRACTION.sub(r"\1", cleaned)
    if cleaned[-1:] in "zZ":
        cleaned = cleaned[:-1] + "+00:00"
    try:
        if re.fullmatch(r"\d{4}-\d\d-\d\d", cleaned):
            d = date.fromisoformat(cleaned)
            parsed = datetime(d.year, d.month, d.day, tzinfo=UTC)
        else:
            parsed = datetime.fromisoformat(cleaned)
    except ValueError:
        raise InputError(f"not an ISO 8601 time: {raw[:40]!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        value = parsed.timestamp()
    except (OverflowError, ValueError):
        raise InputError(f"time out of range: {raw[:40]!r}") from None
    return _in_range(value, raw)


def _in_range(value: float, raw: str) -> float:
    if not EARLIEST <= value <= LATEST:  # also false for nan
        raise InputError(f"time out of range: {raw[:40]!r} (from 1970-01-01 to 9999-12-31, UTC)")
    return value


def local_today(now: float, tz: tzinfo | None) -> date:
    """The kiosk's date at `now`; `tz=None` is the machine's own zone (see `local_midnight`)."""
    return datetime.fromtimestamp(now, tz).date()


def local_midnight(day: date, tz: tzinfo | None) -> float:
    """Epoch seconds when `day` starts in `tz` (days are 23 or 25 hours long on a DST change).

    `tz=None` asks the operating system for the machine's zone at that date, so a kiosk
    running for months follows its DST changes (a fixed offset read at start would not).
    """
    return datetime.combine(day, time(0), tzinfo=tz).timestamp()


def local_day_start(now: float, tz: tzinfo | None) -> float:
    """When the day that holds `now` started in `tz`: what "today" counts from."""
    return local_midnight(local_today(now, tz), tz)


class SystemZone(tzinfo):
    """The machine's zone as the operating system knows it, asked at each instant.

    `datetime.now().astimezone().tzinfo` is the offset of one moment: a kiosk running
    across a DST change would start "today", the daily backup's name and the owner's day
    ranges an hour off. This asks the system's rules for every date instead (the
    `LocalTimezone` of Python's datetime documentation).
    """

    def _local(self, dt: datetime) -> _os_time.struct_time:
        wall = (dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, 0, 0, -1)  # -1: DST unknown
        try:
            return _os_time.localtime(_os_time.mktime(wall))
        except (OverflowError, ValueError, OSError):  # outside what the platform's mktime takes
            return _os_time.localtime(0)

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return timedelta(seconds=self._local(dt or datetime.now()).tm_gmtoff)

    def dst(self, dt: datetime | None) -> timedelta:
        local = self._local(dt or datetime.now())
        return timedelta(seconds=local.tm_gmtoff + _os_time.timezone) if local.tm_isdst > 0 else timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return self._local(dt or datetime.now()).tm_zone

    def fromutc(self, dt: datetime) -> datetime:
        stamp = dt.replace(tzinfo=UTC).timestamp()
        try:
            offset = _os_time.localtime(stamp).tm_gmtoff
        except (OverflowError, ValueError, OSError):
            offset = -_os_time.timezone
        return dt + timedelta(seconds=offset)

    def __repr__(self) -> str:
        return "SystemZone()"
