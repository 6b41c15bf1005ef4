"""`kiosk report outages` and the admin screen's outage report: build it, render it, write it.

The JSON form is the contract: a list of objects with exactly the keys `start`,
`end` (ISO 8601 in the kiosk's local time with its offset; null while open),
`cause`, `verified_offline`, `logged_manually` (staff answers) and `unanswered`
(staff checks nobody answered). Its bytes are the *report body*;
their SHA-256 is the report's digest. The CSV (same rows plus the kiosk id) and the
HTML (timelines, one A4 page per day) show the kiosk id and that digest, so a
printed report can be checked against `--format json`. Those two are for people: they
speak the kiosk's language, give local times as a clock reads them and say each cause
in plain words (`owner_tools/words.py`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from html import escape
from pathlib import Path

from kiosk.owner_tools.atomic import atomic_path
from kiosk.owner_tools.dates import open_bounds
from kiosk.owner_tools.outages import (
    DayTimeline,
    OutagePeriod,
    day_timeline,
    default_kiosk_id,
    outage_periods,
    read_transitions,
    report_days,
)
from kiosk.owner_tools.reader import read_snapshot
from kiosk.owner_tools.sinks import defuse
from kiosk.owner_tools.timeline_svg import day_svg
from kiosk.owner_tools.words import Words
from kiosk.timefmt import local_today

REPORT_FORMATS = ("json", "csv", "html")
CONTRACT_KEYS = ("start", "end", "cause", "verified_offline", "logged_manually", "unanswered")


@dataclass(frozen=True, slots=True)
class OutageReport:
    kiosk_id: str
    periods: tuple[OutagePeriod, ...]
    days: tuple[DayTimeline, ...]
    tz: tzinfo
    first: date | None
    last: date | None

    def iso(self, ts: float | None) -> str | None:
        if ts is None:
            return None
        return datetime.fromtimestamp(ts, self.tz).isoformat(timespec="milliseconds")

    def contract_rows(self) -> list[dict[str, object]]:
        return [
            {
                "start": self.iso(p.start),
                "end": self.iso(p.end),
                "cause": p.cause,
                "verified_offline": p.verified_offline,
                "logged_manually": p.logged_manually,
                "unanswered": p.unanswered,
            }
            for p in self.periods
        ]

    def local(self, ts: float | None) -> str:
        """A time as the kiosk's wall clock showed it ("" while an outage is still open)."""
        if ts is None:
            return ""
        return datetime.fromtimestamp(ts, self.tz).strftime("%Y-%m-%d %H:%M:%S")

    def body(self) -> bytes:
        return (json.dumps(self.contract_rows(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    def sha256(self) -> str:
        return hashlib.sha256(self.body()).hexdigest()


def build_outage_report(
    db_path: Path,
    first: date | None = None,
    last: date | None = None,
    *,
    now: float,
    tz: tzinfo,
    kiosk_id: str = "",
    with_days: bool = True,
) -> OutageReport:
    """Outages from local day `first` through `last` (either open-ended), from one snapshot.

    Raises InputError for a reversed range or one that starts in the future.
    """
    since, until = open_bounds(first, last, today=local_today(now, tz), tz=tz)
    with read_snapshot(db_path) as conn:
        periods = outage_periods(conn, since=since, until=until, now=now)
        timelines: list[DayTimeline] = []
        if with_days:
            transitions = read_transitions(conn)
            for day in report_days(periods, first=first, last=last, now=now, tz=tz):
                timelines.append(day_timeline(conn, transitions, day, now=now, tz=tz))
        ident = default_kiosk_id(conn, kiosk_id)
    return OutageReport(ident, tuple(periods), tuple(timelines), tz, first, last)


def render(report: OutageReport, fmt: str, language: str = "en") -> bytes:
    """The report in `fmt`; CSV and HTML in `language` ("ko" or "en"), JSON always the contract."""
    if fmt == "json":
        return report.body()
    if fmt == "csv":
        return _csv(report, Words(language))
    if fmt == "html":
        return _html(report, Words(language)).encode("utf-8")
    raise ValueError(f"unknown report format {fmt!r}")


def write_report(report: OutageReport, fmt: str, target: Path, language: str = "en") -> None:
    data = render(report, fmt, language)
    with atomic_path(target) as temp:
        temp.write_bytes(data)


def _csv(report: OutageReport, words: Words) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([*(words.report(k) for k in CONTRACT_KEYS), words.report("kiosk")])
    for p in report.periods:
        row = [
            report.local(p.start),
            report.local(p.end) if p.end is not None else words.report("still_open"),
            words.cause(p.cause),
            p.verified_offline,
            p.logged_manually,
            p.unanswered,
            report.kiosk_id,
        ]
        # A cause the words do not know is written as stored, the kiosk id as configured:
        # every text cell is defused like an export's.
        writer.writerow([defuse(cell) if isinstance(cell, str) else cell for cell in row])
    return out.getvalue().encode("utf-8-sig")


_CSS = """
@page { size: A4 landscape; margin: 12mm; }
body { font-family: "NanumGothic", "Noto Sans CJK KR", sans-serif; font-size: 10pt; color: #111; margin: 0; }
section.page { break-after: page; page-break-after: always; }
section.page:last-of-type { break-after: auto; page-break-after: auto; }
h1 { font-size: 15pt; margin: 0 0 4pt; } h2 { font-size: 13pt; margin: 0 0 6pt; }
table { border-collapse: collapse; margin: 6pt 0; } td, th { border: 1px solid #999; padding: 2pt 6pt; }
th { background: #eee; } td.n { text-align: right; }
svg { display: block; max-height: 110mm; }
footer { margin-top: 8pt; font-size: 8pt; color: #444; word-break: break-all; }
"""


def _table(report: OutageReport, periods: list[OutagePeriod], words: Words) -> str:
    if not periods:
        return f"<p>{escape(words.report('none'))}</p>"
    rows = "".join(
        f"<tr><td>{escape(report.local(p.start))}</td>"
        f"<td>{escape(report.local(p.end) if p.end is not None else words.report('still_open'))}</td>"
        f"<td>{escape(words.cause(p.cause))}</td><td class='n'>{p.verified_offline}</td>"
        f"<td class='n'>{p.logged_manually}</td><td class='n'>{p.unanswered}</td></tr>"
        for p in periods
    )
    heads = "".join(f"<th>{escape(words.report(k))}</th>" for k in CONTRACT_KEYS)
    return f"<table><tr>{heads}</tr>{rows}</table>"


def _html(report: OutageReport, words: Words) -> str:
    span = (
        words.report("span", first=report.first.isoformat(), last=report.last.isoformat())
        if report.first and report.last else words.report("all_history")
    )
    footer = (
        f"<footer>{escape(words.report('footer', kiosk=report.kiosk_id, digest=report.sha256()))}</footer>"
    )
    title = f"{words.report('title')} — {words.report('kiosk')} {report.kiosk_id}"
    pages = [
        f"<section class='page'><h1>{escape(title)}</h1>"
        f"<p>{escape(words.report('intro', span=span))}</p>"
        f"{_table(report, list(report.periods), words)}{footer}</section>"
    ]
    for day in report.days:
        touching = [
            p for p in report.periods
            if p.start < day.until and (p.end is None or p.end > day.since)
        ]
        pages.append(
            f"<section class='page'><h2>{day.day.isoformat()}</h2>{day_svg(day, report.tz, words)}"
            f"{_table(report, touching, words)}{footer}</section>"
        )
    return (
        f"<!DOCTYPE html>\n<html lang='{words.language}'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>\n"
        + "\n".join(pages)
        + "\n</body></html>\n"
    )
