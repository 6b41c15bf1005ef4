"""Legible at a glance: every text colour on the status bar and the verdict screens meets WCAG AA.

The pairs are read from the theme's own style sheet (the rules that colour the status
bar, its buttons, the verdict screens and their Manual-log button), so a colour changed
in `theme.py` is checked without touching this test. Contrast is WCAG 2's: relative
luminance of sRGB, (L1 + 0.05) / (L2 + 0.05).
"""

from __future__ import annotations

import re

import pytest

from kiosk.ui.resources.theme import Theme

AA_TEXT = 4.5
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_PROP = re.compile(r"([\w-]+)\s*:\s*([^;]+);")


def luminance(colour: str) -> float:
    hex_ = colour.lstrip("#")
    channels = [int(hex_[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rules(sheet: str) -> dict[str, dict[str, str]]:
    """Selector (each of a comma list) -> its properties, from a Qt style sheet."""
    out: dict[str, dict[str, str]] = {}
    for selectors, body in _RULE.findall(sheet):
        props = {k: v.strip() for k, v in _PROP.findall(body)}
        for selector in selectors.split(","):
            out.setdefault(" ".join(selector.split()), {}).update(props)
    return out


def text_pairs(theme: Theme) -> list[tuple[str, str, str]]:
    """(selector, text colour, background) for each text the status bar and verdict screens draw."""
    sheet = rules(theme.stylesheet())
    pairs = []
    bar = sheet["StatusBar"]["background"]
    for selector, props in sheet.items():
        on_bar = selector.startswith("StatusBar ") or selector == 'QPushButton[kind="bar"]'
        if on_bar and "color" in props:
            pairs.append((selector, props["color"], bar))
    for verdict in ("admit", "deny", "manual"):
        view = f'VerdictView[verdict="{verdict}"]'
        pairs.append((view, sheet[f"{view} QLabel"]["color"], sheet[view]["background"]))
    button = sheet['QPushButton[kind="primary"]']  # the verdict's Manual-log button
    pairs.append(("#verdictManual", button["color"], button["background"]))
    return pairs


def test_contrast_is_computed_as_wcag_says() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near miss


@pytest.mark.parametrize("name", ["standard", "high_contrast"])
@pytest.mark.parametrize("large_text", [False, True])
def test_status_bar_and_verdict_text_meet_wcag_aa(name: str, large_text: bool) -> None:
    pairs = text_pairs(Theme(name, large_text))
    # Every health and trust-list level is among them, not only the plain text.
    assert len([p for p in pairs if p[0].startswith("StatusBar QLabel[")]) >= 7
    failing = [
        (sel, fg, bg, round(contrast(fg, bg), 2)) for sel, fg, bg in pairs if contrast(fg, bg) < AA_TEXT
    ]
    assert failing == []
