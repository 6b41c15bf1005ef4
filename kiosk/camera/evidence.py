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
    brightness: float  # mean grey level of the guide, 0-255
    contrast: float  # standard deviation of the guide's grey levels
    saturated: float  # share of the guide's pixels clipped white


def measure_guide(gray: np.ndarray, *, checksum_failures: int, code_side_px: float | None) -> FrameEvidence:
    region = guide_region(gray)
    mean, std = cv2.meanStdDev(region)
    laplacian = cv2.Laplacian(region, cv2.CV_32F)
    _, lap_std = cv2.meanStdDev(laplacian)
    variance = float(std[0, 0]) ** 2
    return FrameEvidence(
        checksum_failures=checksum_failures,
        code_side_px=code_side_px,
        sharpness=float(lap_std[0, 0]) ** 2 / max(variance, 1.0),
        brightness=float(mean[0, 0]),
        contrast=float(std[0, 0]),
        saturated=float(np.count_nonzero(region >= SATURATED)) / region.size,
    )
