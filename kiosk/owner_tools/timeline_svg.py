"""One day's timeline as inline SVG: health states as a coloured band, scans per 5 minutes as bars.

Drawn as text (no browser, no plotting library), so the report is a single
self-contained HTML file that prints the same everywhere.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from html import escape

from kiosk.owner_tools.outages import BIN_S, DayTimeline
from kiosk.owner_tools.words import Words

WIDTH, HEIGHT = 1000, 250
LEFT, RIGHT = 60, 10
BAND_TOP, BAND_H = 24, 26
BARS_TOP, BARS_H = 70, 140
STATE_COLOURS = {"online": "#2e7d32", "degraded": "#f9a825", "offline": "#c62828", "unknown": "#bdbdbd"}
SCAN_COLOURS = ("#1565c0", "#ef6c00", "#6a1b9a")  # online, offline, manual/other
SCAN_LABELS = ("scans_online", "scans_offline", "scans_other")  # keys of the report's words


def hour_ticks(day: DayTimeline, tz: tzinfo) -> list[tuple[float, str | None]]:
    """A tick every hour of the day, labelled every even local hour with the clock's hour.

    Labelled by the local clock, not by hours since midnight: a day with a daylight-saving
    change has 23 or 25 hours, and counting would label every hour after the change wrong.
    The last tick (the next midnight) reads 24.
    """
    ticks: list[tuple[float, str | None]] = []
    at = day.since
    while at <= day.until + 1:
        local = datetime.fromtimestamp(at, tz)
        end = at >= day.until - 1
        hour = 24 if end else local.hour
        label = None
        if hour % 2 == 0:
            label = str(hour) if local.minute == 0 or end else f"{local.hour}:{local.minute:02d}"
        ticks.append((min(at, day.until), label))
        at += 3600
    return ticks


def _x(t: float, day: DayTimeline) -> float:
    span = day.until - day.since
    return LEFT + (WIDTH - LEFT - RIGHT) * (t - day.since) / span


def _text_width(label: str) -> int:
    """About how wide a label is at font size 10: Hangul is nearly twice as wide as Latin."""
    return sum(6 if ord(c) < 0x1100 else 11 for c in label)


def day_svg(day: DayTimeline, tz: tzinfo, words: Words | None = None) -> str:
    w = words or Words("en")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" aria-label="{escape(w.report("health"))}, {escape(w.report("scans"))}: '
        f'{day.day.isoformat()}">',
        f'<text x="{LEFT - 6}" y="{BAND_TOP + 17}" text-anchor="end" font-size="11">'
        f'{escape(w.report("health"))}</text>',
        f'<text x="{LEFT - 6}" y="{BARS_TOP + 10}" text-anchor="end" font-size="11">'
        f'{escape(w.report("scans"))}</text>',
        f'<text x="{LEFT - 6}" y="{BARS_TOP + 24}" text-anchor="end" font-size="9">'
        f'{escape(w.report("per_5_min"))}</text>',
    ]
    for seg in day.segments:
        x0, x1 = _x(seg.start, day), _x(seg.end, day)
        colour = STATE_COLOURS.get(seg.state, STATE_COLOURS["unknown"])
        parts.append(
            f'<rect class="state-{escape(seg.state)}" x="{x0:.2f}" y="{BAND_TOP}" '
            f'width="{max(x1 - x0, 0.5):.2f}" height="{BAND_H}" fill="{colour}"/>'
        )
    peak = max((sum(b) for b in day.bins), default=0) or 1
    slot_w = (WIDTH - LEFT - RIGHT) * BIN_S / (day.until - day.since)
    for i, counts in enumerate(day.bins):
        if not any(counts):
            continue
        x = _x(day.since + i * BIN_S, day)
        y = BARS_TOP + BARS_H
        for count, colour in zip(counts, SCAN_COLOURS, strict=True):
            if not count:
                continue
            h = BARS_H * count / peak
            y -= h
            parts.append(
                f'<rect class="scans" x="{x:.2f}" y="{y:.2f}" width="{max(slot_w - 0.4, 0.6):.2f}" '
                f'height="{h:.2f}" fill="{colour}"/>'
            )
    axis_y = BARS_TOP + BARS_H
    parts.append(
        f'<line x1="{LEFT}" y1="{axis_y}" x2="{WIDTH - RIGHT}" y2="{axis_y}" '
        'stroke="#444" stroke-width="0.8"/>'
    )
    for at, label in hour_ticks(day, tz):
        x = _x(at, day)
        parts.append(f'<line x1="{x:.2f}" y1="{axis_y}" x2="{x:.2f}" y2="{axis_y + 4}" stroke="#444"/>')
        if label is not None:
            parts.append(
                f'<text x="{x:.2f}" y="{axis_y + 16}" text-anchor="middle" font-size="10">{label}</text>'
            )
    parts.append(
        f'<text x="{WIDTH - RIGHT}" y="{BARS_TOP - 4}" text-anchor="end" font-size="10">'
        f'{escape(w.report("max", peak=str(peak)))}</text>'
    )
    legend_y = HEIGHT - 8
    x = LEFT
    legend = [*STATE_COLOURS.items(), *zip(SCAN_LABELS, SCAN_COLOURS, strict=True)]
    for key, colour in legend:
        label = w.report(key)
        parts.append(f'<rect x="{x}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{legend_y}" font-size="10">{escape(label)}</text>')
        x += 22 + _text_width(label)
    parts.append("</svg>")
    return "\n".join(parts)
