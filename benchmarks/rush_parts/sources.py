"""How a visitor shows a pass to the kiosk: one `PassSource` per way.

The door has one virtual webcam (the demo's `Stage`: the scene, or a pass picture held
up, delivered at 30 fps through the window's real capture and decode threads) and the
window itself (where a keyboard-wedge scanner types). A source puts a visitor's pass in
front of one of them and takes it away again; the run measures from the time `present`
gives back (the pass in view, or the scanner's first key) to the verdict painted. When
the kiosk has not answered within the run's patience, or asked staff to set the scanner
right, `second_try` is the visitor's (or staff's) next move.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from benchmarks.hard_frames import defect_look, render_frame
from kiosk.demo.pictures import Medium, pass_frame
from kiosk.demo.stage import Stage
from kiosk.ui.entrance.main_window import MainWindow

from .visitors import Kind, Visitor

HARD_DEFECTS = ("glare", "size", "cracked", "moire")  # what a phone screen at the door suffers
HARD_SEVERITY = (0.0, 0.5)  # mild to medium on `benchmarks/hard_frames.py`'s scale


@dataclass(frozen=True, slots=True)
class Door:
    stage: Stage  # what the webcam sees
    window: MainWindow  # where a wedge scanner types


class PassSource(Protocol):
    def present(self, visitor: Visitor, door: Door) -> float:
        """Show the pass; the real time (`time.perf_counter`) it was in front of the kiosk."""
        ...

    def second_try(self, visitor: Visitor, door: Door) -> bool:
        """Show the pass again, better; False when this source has nothing better to try."""
        ...

    def withdraw(self, door: Door) -> None: ...


class CameraSource:
    """The pass held up to the webcam: a token app on a phone, a signed pass printed or on a phone."""

    def present(self, visitor: Visitor, door: Door) -> float:
        medium = Medium.PAPER if visitor.kind is Kind.SIGNED and visitor.index % 2 else Medium.PHONE
        door.stage.show(pass_frame(visitor.text, medium))
        return time.perf_counter()

    def second_try(self, visitor: Visitor, door: Door) -> bool:
        return False  # the clean picture is already in view: the visitor just waits

    def withdraw(self, door: Door) -> None:
        door.stage.clear()


class HardScreenSource(CameraSource):
    """The pass on a phone screen with a defect (glare, a code too small, a cracked screen, moiré),
    a seeded mix at mild to medium severity, as `benchmarks/hard_frames.py` draws it.

    When the kiosk has not answered within the run's patience, the visitor tilts the phone,
    brings it closer or turns it round: the second try is the clean phone screen.
    """

    def __init__(self, seed: int) -> None:
        self._seed = seed

    def present(self, visitor: Visitor, door: Door) -> float:
        rng = np.random.default_rng([self._seed, visitor.index])
        defect = HARD_DEFECTS[int(rng.integers(len(HARD_DEFECTS)))]
        look = defect_look(defect, float(rng.uniform(*HARD_SEVERITY)), rng)
        door.stage.show(render_frame(visitor.text, look, rng))  # drawn before it counts as shown
        return time.perf_counter()

    def second_try(self, visitor: Visitor, door: Door) -> bool:
        door.stage.show(pass_frame(visitor.text, Medium.PHONE))
        return True
