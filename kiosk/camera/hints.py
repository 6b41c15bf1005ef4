"""Which hint would help a visitor whose code is in view but not read: a pure choice over evidence.

The decoder leaves a `FrameEvidence` for every frame it read nothing from; over ~1.5 s of
them this picks at most one hint. A wrong hint is worse than none (a visitor told to come
closer to fix a reflection gives up), so every rule needs its signal in most of the window,
and the chooser abstains otherwise. Thresholds and their measured precision:
`benchmarks/decode.py` (README, "Reading hard screens").
"""

from __future__ import annotations

import statistics
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from kiosk.camera.evidence import FrameEvidence


class Hint(StrEnum):
    GLARE = "glare"  # symbol seen, checksum failed: a reflection or a cracked screen ("tilt away")
    CLOSER = "closer"  # the code is located but too few pixels wide
    STILL = "still"  # the code is located but its edges are smeared
    BRIGHTER = "brighter"  # a code-like pattern fills the guide's middle, too faint to read


@dataclass(frozen=True, slots=True)
class HintRules:
    window_s: float = 1.5
    min_frames: int = 10  # fewer frames than this in the window: too little to say anything
    # Located on fewer frames than this: a speck that looked like a finder pattern once.
    min_located: int = 3
    # Symbols smaller than this are specks (cracks, moiré, noise); larger than the second,
    # not a code held in the guide.
    tiny_side_px: float = 100.0
    huge_side_px: float = 560.0
    # A DCC is 65-113 modules wide and needs ~2.2 px per module: below this side it is too small.
    small_side_px: float = 170.0
    blurred_sharpness: float = 0.08
    # A small code keeps sharp module edges only up to here; sharper guides with a small
    # "symbol" in them were tilted phones.
    small_sharpness: tuple[float, float] = (0.12, 0.25)
    # A faint code need not be located: zxing-cpp seldom finds one, even contrast-stretched.
    # Code-like tiles in this share of the guide's middle, with grey levels spread less than
    # the second figure there, are a screen too dim to read (no other defect comes near:
    # their screens spread 16 and more, README "Reading hard screens").
    code_like_share: float = 0.6
    faint_contrast: float = 10.0
    # The share of the guide clipped white that makes a failed checksum a reflection (a
    # cracked screen fails its checksum too, but tilting does not help it: no hint).
    glare_saturated: float = 0.15


def choose_hint(window: Sequence[FrameEvidence], rules: HintRules | None = None) -> Hint | None:
    """The hint for evidence gathered over ~1.5 s of unread frames, or None (abstain)."""
    rules = rules or HintRules()
    if len(window) < rules.min_frames:
        return None
    if statistics.median(e.code_like for e in window) >= rules.code_like_share and (
        statistics.median(e.contrast for e in window) < rules.faint_contrast
    ):
        return Hint.BRIGHTER
    sides = [e.code_side_px for e in window if e.code_side_px is not None]
    if len(sides) < rules.min_located:
        # No symbol located: an empty door, a code smeared past locating, a far poster.
        return None
    side = statistics.median(sides)
    if not rules.tiny_side_px <= side <= rules.huge_side_px:
        return None
    sharpness = statistics.median(e.sharpness for e in window)
    if sharpness < rules.blurred_sharpness:
        return Hint.STILL
    if side < rules.small_side_px:
        low, high = rules.small_sharpness
        return Hint.CLOSER if low <= sharpness <= high else None
    failing = sum(1 for e in window if e.checksum_failures)
    saturated = statistics.median(e.saturated for e in window)
    if 2 * failing >= len(window) and saturated >= rules.glare_saturated:
        return Hint.GLARE
    return None


class EvidenceWindow:
    """The evidence of the last `rules.window_s` seconds of unread frames; a read empties it."""

    def __init__(self, rules: HintRules | None = None) -> None:
        self.rules = rules or HintRules()
        self._items: deque[tuple[float, FrameEvidence]] = deque()

    def add(self, at: float, evidence: FrameEvidence | None) -> None:
        """`evidence` of the frame at monotonic time `at`; None (the frame was read) starts over."""
        if evidence is None:
            self._items.clear()
            return
        self._items.append((at, evidence))
        while self._items and self._items[0][0] < at - self.rules.window_s:
            self._items.popleft()

    def hint(self) -> Hint | None:
        return choose_hint([evidence for _, evidence in self._items], self.rules)
