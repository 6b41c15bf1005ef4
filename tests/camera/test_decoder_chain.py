"""The retry chain on hard door frames: each variant reads a frame the first pass misses, and the
chain reads what the pipeline before it (sharpened, whole frame 2x) did not."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from benchmarks.hard_frames import Look, empty_frames, pass_texts, render_frame
from kiosk.camera.decoder import (
    SECOND_DECODER,
    SECOND_NORMALIZED,
    DecoderSettings,
    PyzbarBackend,
    QrDecoder,
)
from kiosk.camera.evidence import SATURATED
from kiosk.camera.guide import guide_region
from kiosk.camera.hints import HintRules
from kiosk.camera.variants import guide_normalized

BEFORE = DecoderSettings(retries=("sharpened", "upscaled"), still_retries=("sharpened", "upscaled"))


@pytest.fixture(scope="module")
def text() -> str:
    return pass_texts()[0]


@pytest.fixture(scope="module")
def decoder() -> QrDecoder:
    return QrDecoder()


# (variant, a frame only it reads among the single variants tried here, seed)
CASES = [
    ("guide_upscaled", Look(px=1.4), 0),  # too few pixels per module
    ("guide_upscaled_3x", Look(px=1.39), 3),  # fewer still: 2.5x leaves this one short
    ("guide_clahe", Look(px=3.4, light=60, dark=46), 1),  # a dim screen with little contrast
    ("guide_normalized", Look(px=3.4, glare=0.2), 0),  # a reflection washing out the modules
]


@pytest.mark.parametrize(("variant", "look", "seed"), CASES, ids=[case[0] for case in CASES])
def test_each_variant_reads_a_frame_the_first_pass_misses(
    decoder: QrDecoder, text: str, variant: str, look: Look, seed: int
) -> None:
    frame = render_frame(text, look, np.random.default_rng(seed))
    assert decoder.scan(frame, retry_variants=()).texts == ()
    result = decoder.scan(frame, retry_variants=(variant,))
    assert result.texts == (text,)
    assert result.variant == variant


def test_the_second_decoder_reads_a_cracked_screen_zxing_misses(text: str) -> None:
    _needs_pyzbar()
    frame = render_frame(text, Look(px=3.4, cracks=16), np.random.default_rng(3))
    decoder = QrDecoder()
    without = [v for v in decoder.settings.still_retries if v not in (SECOND_DECODER, SECOND_NORMALIZED)]
    assert decoder.scan(frame, retry_variants=without).texts == ()
    assert decoder.scan(frame, retry_variants=(SECOND_DECODER,)).texts == (text,)


def _needs_pyzbar() -> None:
    try:
        PyzbarBackend()
    except ImportError:
        pytest.skip("pyzbar (and libzbar0) not installed")


def test_the_second_decoder_reads_a_reflection_on_the_normalised_guide_that_nothing_else_reads(
    text: str,
) -> None:
    _needs_pyzbar()
    frame = render_frame(text, Look(px=3.4, glare=0.21), np.random.default_rng(0))
    decoder = QrDecoder()
    others = {*decoder.settings.retries, *decoder.settings.still_retries} - {SECOND_NORMALIZED}
    assert decoder.scan(frame, retry_variants=sorted(others)).texts == ()
    result = decoder.scan(frame, retry_variants=(SECOND_NORMALIZED,))
    assert result.texts == (text,)
    assert result.variant == SECOND_NORMALIZED


def test_the_normalised_guide_keeps_the_clipped_middle_of_a_reflection_white(text: str) -> None:
    frame = render_frame(text, Look(px=3.4, glare=0.3), np.random.default_rng(0))
    region = guide_region(frame)
    # The clipped patch's inside, away from its rim (the window is 11 px, the output 2x).
    clipped = cv2.erode((region >= SATURATED).astype(np.uint8), np.ones((15, 15), np.uint8))
    assert clipped.sum() > 1000
    normalized = guide_normalized(frame)
    inside = cv2.resize(clipped, normalized.shape[::-1], interpolation=cv2.INTER_NEAREST).astype(bool)
    assert normalized[inside].mean() > 240


def test_the_chain_reads_a_small_code_the_pipeline_before_it_missed(decoder: QrDecoder, text: str) -> None:
    frame = render_frame(text, Look(px=1.39), np.random.default_rng(3))
    assert QrDecoder(BEFORE).scan(frame, retry_variants=BEFORE.retries).texts == ()
    assert decoder.scan(frame, retry_variants=decoder.settings.retries).texts == (text,)


def test_the_chain_reads_glare_the_pipeline_before_it_missed(decoder: QrDecoder, text: str) -> None:
    frame = render_frame(text, Look(px=3.4, glare=0.2), np.random.default_rng(0))
    assert QrDecoder(BEFORE).decode(frame) == []
    assert decoder.decode(frame) == [text]


def test_a_stream_tries_every_variant_within_a_second_of_holding_still(text: str) -> None:
    frame = render_frame(text, Look(px=3.4, glare=0.2), np.random.default_rng(0))
    decoder = QrDecoder()
    retries = len(decoder.settings.retries)
    held = [decoder.scan_frame(frame) for _ in range(decoder.settings.retry_every_n_frames * retries + 1)]
    assert held[0].texts == ()
    assert any(result.texts == (text,) for result in held)


def test_a_frame_without_a_code_reads_nothing_and_reports_what_it_saw(decoder: QrDecoder) -> None:
    result = decoder.scan(empty_frames(1)[0])
    assert result.texts == ()
    evidence = result.evidence
    assert evidence is not None
    assert evidence.checksum_failures == 0
    assert evidence.code_side_px is None
    assert evidence.code_like < HintRules().code_like_share  # nothing patterned like a code


def test_a_reflection_is_reported_as_a_failed_checksum_on_a_clipped_guide(text: str) -> None:
    frame = render_frame(text, Look(px=3.4, glare=0.3), np.random.default_rng(0))
    result = QrDecoder().scan(frame, retry_variants=())
    assert result.texts == ()
    evidence = result.evidence
    assert evidence is not None
    assert evidence.checksum_failures >= 1
    # 85 modules at 3.4 px: the located symbol is ~290 px wide.
    assert evidence.code_side_px is not None and 250 < evidence.code_side_px < 330
    assert evidence.saturated > 0.15


def test_a_read_frame_carries_no_evidence(decoder: QrDecoder, text: str) -> None:
    frame = render_frame(text, Look(px=3.4), np.random.default_rng(0))
    result = decoder.scan(frame)
    assert result.texts == (text,)
    assert result.evidence is None
