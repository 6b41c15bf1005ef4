"""The evidence of an unread frame: how much of the guide's middle is patterned like a code, and
how contrasted that pattern is (the screen's figure, not the scene's)."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.hard_frames import Look, empty_frames, pass_texts, render_frame
from kiosk.camera.evidence import FrameEvidence, measure_guide
from kiosk.camera.guide import guide_region
from kiosk.camera.hints import HintRules

RULES = HintRules()


def evidence_of(frame: np.ndarray) -> FrameEvidence:
    return measure_guide(frame, checksum_failures=0, code_side_px=None)


@pytest.mark.parametrize(("light", "dark"), [(30.0, 25.0), (40.0, 32.0), (55.0, 44.0)])
def test_a_screen_too_dim_to_read_is_a_faint_code_like_pattern(light: float, dark: float) -> None:
    frame = render_frame(pass_texts()[0], Look(px=3.4, light=light, dark=dark), np.random.default_rng(0))
    evidence = evidence_of(frame)
    assert evidence.code_like >= RULES.code_like_share
    assert evidence.contrast < RULES.faint_contrast
    # The screen's own spread, not the guide's: the door scene around the phone spreads wider.
    assert guide_region(frame).std() > 2 * RULES.faint_contrast


def test_a_well_lit_code_is_code_like_and_far_from_faint() -> None:
    evidence = evidence_of(render_frame(pass_texts()[0], Look(px=3.4), np.random.default_rng(0)))
    assert evidence.code_like >= RULES.code_like_share
    assert evidence.contrast > 3 * RULES.faint_contrast


@pytest.mark.parametrize("index", range(5))
def test_an_empty_door_has_no_code_like_middle(index: int) -> None:
    assert evidence_of(empty_frames(5)[index]).code_like < RULES.code_like_share


def test_a_blank_guide_has_no_code_like_tile() -> None:
    # A clipped reflection or a black phone: flat, whatever the ratio of its tiny variations.
    for level in (0, 255):
        evidence = evidence_of(np.full((720, 1280), level, np.uint8))
        assert (evidence.code_like, evidence.contrast) == (0.0, 0.0)
