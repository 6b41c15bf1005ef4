"""The hint chooser: one hint from ~1.5 s of evidence, and no hint when the evidence is weak or mixed."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from benchmarks.hard_frames import Look, empty_frames, pass_texts, render_frame
from kiosk.camera.decoder import QrDecoder
from kiosk.camera.evidence import FrameEvidence
from kiosk.camera.hints import EvidenceWindow, Hint, HintRules, choose_hint

# A code located in the guide, sharp, well lit, failing nothing: the neutral frame of each case.
PLAIN = FrameEvidence(
    checksum_failures=0, code_side_px=300.0, sharpness=0.3, saturated=0.0,
    code_like=1.0, contrast=70.0,
)
# A screen too dim to read: a faint code-like pattern, seldom located, its guide looks blurred.
FAINT = replace(PLAIN, code_side_px=None, sharpness=0.04, contrast=4.0)


RULES = HintRules()


def held(evidence: FrameEvidence, frames: int = 45) -> list[FrameEvidence]:
    return [evidence] * frames


@pytest.mark.parametrize(
    ("evidence", "hint"),
    [
        (replace(PLAIN, checksum_failures=1, saturated=0.3), Hint.GLARE),
        (replace(PLAIN, code_side_px=130.0, sharpness=0.2), Hint.CLOSER),
        (replace(PLAIN, sharpness=0.03), Hint.STILL),
        (FAINT, Hint.BRIGHTER),
        (replace(FAINT, code_side_px=300.0), Hint.BRIGHTER),  # located, all the same
        # Faint patches that do not fill the guide's middle: a dark door, not a screen.
        (replace(FAINT, code_like=0.4), None),
        # A code-like middle spread wide enough to read: the decoder's business, not the visitor's.
        (replace(FAINT, contrast=RULES.faint_contrast), None),
        (PLAIN, None),  # located, nothing wrong that a visitor could fix
        # A failed checksum without a clipped guide: a cracked screen; tilting does not help.
        (replace(PLAIN, checksum_failures=1), None),
        # A small symbol in a very sharp guide: a tilted phone, not a distant one.
        (replace(PLAIN, code_side_px=130.0, sharpness=0.45), None),
        (replace(PLAIN, code_side_px=40.0), None),  # a speck in a crack or in moiré
        (replace(PLAIN, code_side_px=None, sharpness=0.03), None),  # nothing located: an empty door
    ],
)
def test_each_rule(evidence: FrameEvidence, hint: Hint | None) -> None:
    assert choose_hint(held(evidence)) is hint


def test_too_short_a_window_gives_no_hint() -> None:
    blurred = replace(PLAIN, sharpness=0.03)
    assert choose_hint(held(blurred, HintRules().min_frames - 1)) is None
    assert choose_hint(held(blurred, HintRules().min_frames)) is Hint.STILL


def test_a_code_located_once_in_a_window_gives_no_hint() -> None:
    window = [*held(replace(PLAIN, code_side_px=None), 44), replace(PLAIN, sharpness=0.03)]
    assert choose_hint(window) is None


def test_glare_needs_the_failed_checksum_in_most_of_the_window() -> None:
    glare = replace(PLAIN, checksum_failures=1, saturated=0.3)
    clipped_only = replace(PLAIN, saturated=0.3)
    assert choose_hint([glare] * 20 + [clipped_only] * 25) is None
    assert choose_hint([glare] * 25 + [clipped_only] * 20) is Hint.GLARE


def test_brighter_needs_a_faint_code_in_most_of_the_window() -> None:
    assert choose_hint([FAINT] * 20 + [PLAIN] * 25) is None
    assert choose_hint([FAINT] * 25 + [PLAIN] * 20) is Hint.BRIGHTER


def test_the_window_keeps_the_last_one_and_a_half_seconds_and_a_read_empties_it() -> None:
    window = EvidenceWindow()
    blurred = replace(PLAIN, sharpness=0.03)
    for i in range(45):
        window.add(i / 30, PLAIN)
    for i in range(45, 90):
        window.add(i / 30, blurred)
    assert window.hint() is Hint.STILL  # the sharp frames are more than 1.5 s old
    window.add(3.0, None)
    assert window.hint() is None
    for i in range(5):
        window.add(3.1 + i / 30, blurred)
    assert window.hint() is None  # five frames are too few to say anything


def _held_frame(frame: np.ndarray) -> Hint | None:
    decoder, window = QrDecoder(), EvidenceWindow()
    for i in range(45):
        result = decoder.scan_frame(frame)
        assert result.texts == ()
        window.add(i / 30, result.evidence)
    return window.hint()


def test_a_reflected_screen_held_for_a_second_and_a_half_gets_the_glare_hint() -> None:
    frame = render_frame(pass_texts()[0], Look(px=3.4, glare=0.3), np.random.default_rng(0))
    assert _held_frame(frame) is Hint.GLARE


@pytest.mark.parametrize(("light", "dark", "seed"), [(30.0, 25.0, 0), (45.0, 37.0, 1), (55.0, 47.0, 2)])
def test_a_screen_too_dim_to_read_held_for_a_second_and_a_half_gets_the_brighter_hint(
    light: float, dark: float, seed: int
) -> None:
    frame = render_frame(pass_texts()[0], Look(px=3.4, light=light, dark=dark), np.random.default_rng(seed))
    assert _held_frame(frame) is Hint.BRIGHTER


def test_a_motion_blurred_screen_is_not_told_to_turn_up_its_brightness() -> None:
    frame = render_frame(pass_texts()[0], Look(px=3.4, motion=14.0), np.random.default_rng(0))
    assert _held_frame(frame) is not Hint.BRIGHTER


def test_an_empty_door_gets_no_hint() -> None:
    assert _held_frame(empty_frames(1)[0]) is None
