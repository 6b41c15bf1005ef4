"""What the decoder saw in a frame it read nothing from: the raw material of the visitor's hints.

Figures only (counts, sizes, grey levels), never content: a symbol that failed its checksum
is counted, not kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from kiosk.camera.guide import guide_region

# A pixel this bright is clipped by the sensor: whatever the screen showed there is gone.
SATURATED = 250
# The middle of the guide (half its side), cut into TILES x TILES squares: a code held in the
# guide fills it once it has the ~2 px per module a 720p read needs (a DCC is then ~200 px).
TILES = 5
# A band of 1.2-4 px (Gaussian sigmas) holds a 720p code's modules (2-4 px each) but little of
# the sensor's pixel noise or of the scene's smooth shading.
MODULE_BAND = (1.2, 4.0)
# A tile whose grey levels vary at least this much at the module band, against how much they
# vary at all, is patterned like a code; sensor noise and shading stay near 0.3.
CODE_LIKE_BAND_SHARE = 0.38
# A tile flatter than this (grey-level standard deviation) holds nothing at all: a clipped
# reflection, a black bezel.
BLANK_TILE = 1.5


@dataclass(frozen=True, slots=True)
class FrameEvidence:
    # Symbols located whose error correction failed ("symbol seen, checksum failed"):
    # a reflection or a crack over part of the code.
    checksum_failures: int
    # The apparent side, in frame pixels, of the largest symbol located (read or not); None
    # when no symbol was located at all.
    code_side_px: float | None
    # Variance of the Laplacian over the variance of the grey levels, in the guide: edges
    # per unit of contrast, so a dim screen is not mistaken for a blurred one.
    sharpness: float
    saturated: float  # share of the guide's pixels clipped white
    # Share of the middle of the guide patterned like a code's modules: a code there, even
    # one too faint for the decoder to locate, fills most of it; an empty door little of it.
    code_like: float
    # Grey-level standard deviation of the code-like tiles (of the screen, not of the scene
    # around the phone); 0 when there is none.
    contrast: float


def measure_guide(gray: np.ndarray, *, checksum_failures: int, code_side_px: float | None) -> FrameEvidence:
    region = guide_region(gray)
    _, std = cv2.meanStdDev(region)
    laplacian = cv2.Laplacian(region, cv2.CV_32F)
    _, lap_std = cv2.meanStdDev(laplacian)
    variance = float(std[0, 0]) ** 2
    code_like, contrast = _code_like_tiles(region)
    return FrameEvidence(
        checksum_failures=checksum_failures,
        code_side_px=code_side_px,
        sharpness=float(lap_std[0, 0]) ** 2 / max(variance, 1.0),
        saturated=float(np.count_nonzero(region >= SATURATED)) / region.size,
        code_like=code_like,
        contrast=contrast,
    )


def _code_like_tiles(region: np.ndarray) -> tuple[float, float]:
    """(share of code-like tiles, their median deviation) in the middle of the guide."""
    side = region.shape[0]
    tile = side // (2 * TILES)
    start = (side - tile * TILES) // 2
    middle = region[start : start + tile * TILES, start : start + tile * TILES].astype(np.float32)
    fine, coarse = MODULE_BAND
    band = cv2.GaussianBlur(middle, (0, 0), fine) - cv2.GaussianBlur(middle, (0, 0), coarse)
    deviation, band_deviation = _tile_deviation(middle), _tile_deviation(band)
    code_like = (deviation >= BLANK_TILE) & (band_deviation >= CODE_LIKE_BAND_SHARE * deviation)
    if not code_like.any():
        return 0.0, 0.0
    return float(np.count_nonzero(code_like)) / code_like.size, float(np.median(deviation[code_like]))


def _tile_deviation(image: np.ndarray) -> np.ndarray:
    """The standard deviation of each of the TILES x TILES tiles of a float image."""
    mean = cv2.resize(image, (TILES, TILES), interpolation=cv2.INTER_AREA)
    square = cv2.resize(image * image, (TILES, TILES), interpolation=cv2.INTER_AREA)
    return np.sqrt(np.maximum(square - mean * mean, 0.0))
