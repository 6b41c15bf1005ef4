"""The framing guide: the square in the middle of the frame where the visitor holds the pass.

The preview draws it, and the decoder's retry variants and hint evidence look only inside
it, so both must agree on where it is.
"""

from __future__ import annotations

import numpy as np

# 400 px of a 720-line frame: comfortably above the 300 px a dense DCC needs.
GUIDE_FRACTION = 400 / 720


def guide_square(height: int, width: int) -> tuple[int, int, int]:
    """(x, y, side) of the guide in a frame of that size: centred, `GUIDE_FRACTION` of the height."""
    side = min(round(height * GUIDE_FRACTION), width)
    return (width - side) // 2, (height - side) // 2, side


def guide_region(gray: np.ndarray) -> np.ndarray:
    """The guide's pixels of a grayscale frame, contiguous (decoders need that)."""
    x, y, side = guide_square(*gray.shape[:2])
    return np.ascontiguousarray(gray[y : y + side, x : x + side])
