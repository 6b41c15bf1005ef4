"""The keyboard wedge without a window: keys and their times in, scans, notices and floods out."""

from __future__ import annotations

import logging

import pytest

from kiosk.ui.wedge import ENTER, LINE_FEED, TAB, WedgeAssembler, WedgeTiming
from kiosk.ui.wedge_input import FLOOD_SCANS, FLOOD_WINDOW_S, WedgeInput, WedgeNotice

KEY_S = 0.004  # a scanner's key every 4 ms
TOKEN = "KP1:Ab3_x-Yz0qWeRtYuIoPaSdFgHjKlZxCv"


def type_into(
    wedge: WedgeAssembler | WedgeInput, text: str, at: float, gap: float = KEY_S
) -> tuple[list, float]:
    out = []
    for char in text:
        out.append(wedge.key(char, at))
        at += gap
    return out, at


def scans_of(results: list) -> list[str]:
    return [s for r in results for s in (r if isinstance(r, tuple) else r.scans)]


@pytest.mark.parametrize("suffix", [ENTER, ENTER + LINE_FEED, TAB, LINE_FEED])
def test_enter_crlf_tab_and_line_feed_end_a_scan_at_once(suffix: str) -> None:
    wedge = WedgeAssembler()
    out, _ = type_into(wedge, TOKEN + suffix + TOKEN.lower() + suffix, 0.0)
    assert scans_of(out) == [TOKEN, TOKEN.lower()]  # nothing glued, nothing left over
    assert not wedge.pending


def test_no_suffix_ends_after_the_short_gap_and_not_before() -> None:
    wedge = WedgeAssembler()
    out, at = type_into(wedge, TOKEN, 0.0)
    assert scans_of(out) == [] and wedge.pending
    assert wedge.tick(at + 0.14) == ()
    assert wedge.tick(at + 0.16) == (TOKEN,)
    # A second scan soon after is its own scan, never glued to the first.
    out, at = type_into(wedge, "https://menu.example", at + 0.2)
    assert scans_of(out) == [] and wedge.tick(at + 0.2) == ("https://menu.example",)


def test_a_stall_is_bridged_only_while_the_text_is_the_start_of_a_pass() -> None:
    incomplete = {"HC1:ABCDE"}
    wedge = WedgeAssembler(incomplete=lambda text: text in incomplete)
    _, at = type_into(wedge, "HC1:ABCDE", 0.0)
    assert wedge.tick(at + 0.6) == ()  # a Bluetooth scanner's stall: waited for
    out, at = type_into(wedge, "DEF", at + 0.6)
    assert scans_of(out) == [] and wedge.tick(at + 0.2) == ("HC1:ABCDEDEF",)
    # Past the stall limit the text is given up as it is.
    _, at = type_into(wedge, "HC1:ABCDE", at + 1)
    assert wedge.tick(at + 0.9) == () and wedge.tick(at + 1.1) == ("HC1:ABCDE",)
    # A text that is not the start of a pass ends at the short gap, stall or not.
    out, at = type_into(wedge, "ordinary text", at + 2)
    out2, _ = type_into(wedge, "more", at + 0.6)
    assert scans_of(out + out2) == ["ordinary text"]


def test_a_person_typing_is_not_a_scan() -> None:
    wedge = WedgeAssembler()
    out, at = type_into(wedge, "1234" + ENTER, 0.0, gap=0.25)  # slow keys, and short
    assert scans_of(out) == [] and wedge.tick(at + 1) == ()
    out, at = type_into(wedge, "12345678901234" + ENTER, at + 1, gap=0.12)  # long, but a person's pace
    assert scans_of(out) == []
    out, at = type_into(wedge, "1234" + ENTER, at + 1)  # fast, but too short for any pass
    assert scans_of(out) == []
    timing = WedgeTiming(max_key_gap_s=0.2, end_s=0.5, stall_s=0.5, min_chars=4)
    out, _ = type_into(WedgeAssembler(timing), "1234" + ENTER, 0.0, gap=0.12)  # the settings decide
    assert scans_of(out) == ["1234"]


def test_a_stall_does_not_make_a_scanner_look_like_a_person() -> None:
    wedge = WedgeAssembler(incomplete=lambda text: text.startswith("HC1:"))
    _, at = type_into(wedge, "HC1:" + "A" * 20, 0.0)
    out, _ = type_into(wedge, "B" * 20 + ENTER, at + 0.7)
    assert scans_of(out) == ["HC1:" + "A" * 20 + "B" * 20]


def test_a_wrong_mode_token_is_a_notice_and_a_right_one_a_scan() -> None:
    wedge = WedgeInput()
    out, _ = type_into(wedge, TOKEN.swapcase() + ENTER + TOKEN + ENTER, 0.0)
    assert scans_of(out) == [TOKEN]
    assert [r.notice for r in out if r.notice] == [WedgeNotice.WRONG_MODE]
    assert not wedge.guard.flooding


def test_a_garbage_flood_is_one_notice_one_warning_and_at_most_the_limit_of_scans(
    caplog: pytest.LogCaptureFixture,
) -> None:
    wedge = WedgeInput()
    lines = [f"garbage line {i:05d} !@#" for i in range(2000)]
    with caplog.at_level(logging.INFO, logger="kiosk.ui.wedge_input"):
        out, at = type_into(wedge, "".join(line + ENTER for line in lines), 0.0)
        # A real pass in the flood is still verified.
        middle, at = type_into(wedge, TOKEN + ENTER, at)
        rest, at = type_into(wedge, "still garbage 1234" + ENTER, at)
    results = out + middle + rest
    assert scans_of(results) == [*lines[:FLOOD_SCANS], TOKEN]
    assert sum(r.flood_started for r in results) == 1
    assert {r.notice for r in results if r.notice} == {WedgeNotice.GARBAGE}
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "garbage" not in warnings[0].getMessage()  # counts only
    # Quiet for the window: the flood is over and a non-pass is verified again.
    wedge.tick(at + FLOOD_WINDOW_S + 0.1)
    assert not wedge.guard.flooding
    again, _ = type_into(wedge, "menu https://x.example" + ENTER, at + FLOOD_WINDOW_S + 1)
    assert scans_of(again) == ["menu https://x.example"]
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1


def test_a_few_non_passes_spread_out_are_never_a_flood() -> None:
    wedge = WedgeInput()
    at, scans = 0.0, []
    for i in range(30):
        out, _ = type_into(wedge, f"menu item {i:03d}" + ENTER, at)
        scans += scans_of(out)
        at += FLOOD_WINDOW_S / FLOOD_SCANS + 0.01
    assert len(scans) == 30 and not wedge.guard.flooding
