"""Outage evidence for an inspector: the periods the upstream service was unusable.

Built from `health_events` (every transition of the breaker's health) and the visits
of those periods: how many were verified offline, how many staff answered by eye
(`logged_manually`) and how many staff checks were never answered (`unanswered`: the
visit is still `manual`, e.g. set aside in the rush or left when the kiosk closed).
No personal data is read. The per-day timelines (health states and scans per 5 minutes)
feed the HTML form's pictures.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from kiosk.timefmt import local_midnight

# How far before the breaker opened its fallback verdicts are still counted (see outage_periods).
LEAD_IN_MAX_S = 600.0
BIN_S = 300  # scans are counted per 5 minutes
BINS_PER_DAY = 86_400 // BIN_S
UNKNOWN = "unknown"  # no health event yet: the state before the kiosk's first transition


@dataclass(frozen=True, slots=True)
class Transition:
    at: float
    state: str  # online/degraded/offline
    cause: str | None


@dataclass(frozen=True, slots=True)
class OutagePeriod:
    start: float
    end: float | None  # None while the outage is still open
    cause: str
    verified_offline: int
    logged_manually: int  # staff answers (admit or deny by eye)
    unanswered: int = 0  # staff checks nobody answered


@dataclass(frozen=True, slots=True)
class Segment:
    start: float
    end: float
    state: str


@dataclass(frozen=True, slots=True)
class DayTimeline:
    day: date
    since: float
    until: float
    segments: tuple[Segment, ...]
    # Per 5-minute bin: (online, offline, manual-or-other) scan counts.
    bins: tuple[tuple[int, int, int], ...]


def read_transitions(conn: sqlite3.Connection, until: float | None = None) -> list[Transition]:
    rows = conn.execute(
        "SELECT at, state, cause FROM health_events WHERE (? IS NULL OR at < ?) ORDER BY at, id",
        (until, until),
    )
    return [Transition(float(at), str(state), cause) for at, state, cause in rows]


def outage_spans(transitions: Sequence[Transition]) -> list[tuple[float, float | None, str]]:
    """(start, end or None, cause) for each stretch away from `online`.

    degraded -> offline (or back) inside one outage stays one period: for the venue it
    is one time upstream could not be used. The cause is the one that opened it.
    """
    spans: list[tuple[float, float | None, str]] = []
    start: float | None = None
    cause: str | None = None
    for t in transitions:
        if t.state != "online":
            if start is None:
                start, cause = t.at, t.cause
            elif cause is None:
                cause = t.cause
        elif start is not None:
            spans.append((start, t.at, cause or UNKNOWN))
            start, cause = None, None
    if start is not None:
        spans.append((start, None, cause or UNKNOWN))
    return spans


def outages_within(
    transitions: Sequence[Transition], since: float, until: float
) -> list[tuple[float, float]]:
    """The report's outages (`outage_spans`) that overlap [since, until), clipped to it.

    The admin screen's health tab counts with this, so it never disagrees with the report.
    """
    clipped = []
    for start, end, _cause in outage_spans(transitions):
        first, last = max(start, since), min(end if end is not None else until, until)
        if last > first:
            clipped.append((first, last))
    return clipped


def outage_periods(
    conn: sqlite3.Connection, *, since: float | None, until: float | None, now: float
) -> list[OutagePeriod]:
    """Outages overlapping [since, until), with their visit counts (an open one counts up to `now`).

    The breaker opens only after a few failed calls, and each of those visits already
    got a fallback verdict. So the counts start after the last online verdict before the
    breaker opened (at most LEAD_IN_MAX_S earlier, and not before the previous outage
    ended): while the breaker is closed, a visit is verified offline or sent to the
    manual log only because its upstream call failed.
    """
    periods = []
    previous_end = float("-inf")
    for start, end, cause in outage_spans(read_transitions(conn, until)):
        last_online = conn.execute(
            "SELECT max(scanned_at) FROM visits WHERE scanned_at < ? AND verified_by = 'online'", (start,)
        ).fetchone()[0]
        lead_in = max(start - LEAD_IN_MAX_S, previous_end, last_online if last_online is not None else -1.0)
        previous_end = end if end is not None else now
        if since is not None and end is not None and end <= since:
            continue
        offline, answered, unanswered = conn.execute(
            "SELECT coalesce(sum(verified_by = 'offline'), 0), coalesce(sum(verified_by = 'staff'), 0), "
            "coalesce(sum(decision = 'manual'), 0) FROM visits WHERE scanned_at > ? AND scanned_at < ?",
            (lead_in, end if end is not None else max(now, start)),
        ).fetchone()
        periods.append(OutagePeriod(start, end, cause, int(offline), int(answered), int(unanswered)))
    return periods


def report_days(
    periods: Sequence[OutagePeriod], *, first: date | None, last: date | None, now: float, tz: tzinfo
) -> list[date]:
    """The days the HTML pictures: every day of an explicit range, else each day an outage touched."""
    today = datetime.fromtimestamp(now, tz).date()
    if first is not None and last is not None:
        end = min(last, today)
        return [first + timedelta(days=i) for i in range((end - first).days + 1)]
    days: set[date] = set()
    for p in periods:
        d = datetime.fromtimestamp(p.start, tz).date()
        stop = datetime.fromtimestamp(p.end if p.end is not None else now, tz).date()
        while d <= stop:
            days.add(d)
            d += timedelta(days=1)
    return sorted(d for d in days if (first is None or d >= first) and (last is None or d <= last))


def day_timeline(
    conn: sqlite3.Connection, transitions: Sequence[Transition], day: date, *, now: float, tz: tzinfo
) -> DayTimeline:
    since = local_midnight(day, tz)
    until = local_midnight(day + timedelta(days=1), tz)  # 23 or 25 hours on a DST day
    # Before the first recorded transition: the breaker starts online and records only
    # changes, so a first event leaving `online` means it was online until then.
    state = "online" if transitions and transitions[0].state != "online" else UNKNOWN
    for t in transitions:
        if t.at >= since:
            break
        state = t.state
    segments: list[Segment] = []
    cursor = since
    stop = min(until, max(now, since))
    for t in transitions:
        if t.at < since or t.at >= stop:
            continue
        if t.at > cursor:
            segments.append(Segment(cursor, t.at, state))
        cursor, state = t.at, t.state
    if stop > cursor:
        segments.append(Segment(cursor, stop, state))
    bins = [[0, 0, 0] for _ in range(int((until - since) // BIN_S) + 1)]
    for scanned_at, verified_by in conn.execute(
        "SELECT scanned_at, verified_by FROM visits WHERE scanned_at >= ? AND scanned_at < ?", (since, until)
    ):
        slot = bins[int((scanned_at - since) // BIN_S)]
        slot[0 if verified_by == "online" else 1 if verified_by == "offline" else 2] += 1
    return DayTimeline(day, since, until, tuple(segments), tuple((a, b, c) for a, b, c in bins))


def default_kiosk_id(conn: sqlite3.Connection, configured: str) -> str:
    """The configured id, else the one the visits carry (the demo's data has no config)."""
    if configured:
        return configured
    row = conn.execute(
        "SELECT kiosk_id FROM visits GROUP BY kiosk_id ORDER BY count(*) DESC, kiosk_id LIMIT 1"
    ).fetchone()
    return str(row[0]) if row else UNKNOWN
