"""Image variants the decoder retries with when the plain frame reads nothing.

Each one answers one way a phone screen defeats the first pass (figures: `benchmarks/decode.py`
on the hard frames of `benchmarks/hard_frames.py`, table in the README). The guide variants
work on the framing guide's square only: a third of the pixels of a 720p frame, where the
visitor holds the pass.
"""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.camera.guide import guide_region


def sharpen(gray: np.ndarray, *, sigma: float = 1.5, amount: float = 1.5) -> np.ndarray:
    """Unsharp mask: restores module edges softened by focus blur or motion."""
    blurred = cv2.GaussianBlur(gray, (0, 0), sigmaX=sigma)
    return cv2.addWeighted(gray, 1.0 + amount, blurred, -amount, 0)


def upscale(gray: np.ndarray, *, factor: float = 2.0) -> np.ndarray:
    """Cubic, then sharpened: gives codes below ~3 px per module enough pixels per module.

    Sharpening after the upscale recovered more synthetic webcam frames than either step alone.
    """
    larger = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    return sharpen(larger, sigma=2.0, amount=1.0)


def guide_upscaled(gray: np.ndarray) -> np.ndarray:
    """The guide's square, 2.5x: small codes for less than doubling the whole frame costs.

    2.5x read more small, reflected and inverted codes than 2x on the hard frames.
    """
    return upscale(guide_region(gray), factor=2.5)


def guide_upscaled_3x(gray: np.ndarray) -> np.ndarray:
    """The guide's square, 3x: codes of ~1.4 px per module, which 2.5x leaves short of pixels.

    Kept beside 2.5x, not instead of it: 3x read fewer moiré screens than 2.5x on the hard frames.
    """
    return upscale(guide_region(gray), factor=3.0)


_FLAT_SPREAD = 12.0  # grey levels: less than this between a patch's darkest and brightest is flat

_CLAHE = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))


def guide_clahe(gray: np.ndarray) -> np.ndarray:
    """The guide's square with its contrast evened out tile by tile: a dim screen comes up."""
    return _CLAHE.apply(guide_region(gray))


def guide_normalized(gray: np.ndarray, *, window: int = 11) -> np.ndarray:
    """Each pixel placed between the darkest and brightest pixels around it, then 2x.

    A window of ~3 modules: the washed-out rim of a reflection and the shards of a
    cracked screen get the full black-to-white range again, where one threshold for the
    whole code cuts them wrong. A flat patch keeps its own grey level instead of amplified
    noise: the clipped middle of a reflection stays white, so it costs the modules that were
    dark there and no others (stretched, it came out black and cost the light ones too).
    """
    region = guide_region(gray).astype(np.float32)
    kernel = np.ones((window, window), np.uint8)
    high = cv2.blur(cv2.dilate(region, kernel), (window, window))
    low = cv2.blur(cv2.erode(region, kernel), (window, window))
    spread = high - low
    flat = spread < _FLAT_SPREAD
    stretched = np.where(flat, region, (region - low) * (255.0 / np.maximum(spread, _FLAT_SPREAD)))
    return upscale(np.clip(stretched, 0, 255).astype(np.uint8))


# name -> (variant, the scale of its pixels against the frame's, whether it is the guide only)
VARIANTS = {
    "sharpened": (sharpen, 1.0, False),
    "upscaled": (upscale, 2.0, False),
    "guide_upscaled": (guide_upscaled, 2.5, True),
    "guide_upscaled_3x": (guide_upscaled_3x, 3.0, True),
    "guide_clahe": (guide_clahe, 1.0, True),
    "guide_normalized": (guide_normalized, 2.0, True),
}
