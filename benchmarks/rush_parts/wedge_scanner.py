"""A keyboard-wedge scanner at the door: the pass typed into the window as Qt key events.

Each key is a press and a release sent to the window (its real `keyPressEvent` path),
`KEY_S` apart on the real clock, as a USB scanner types. The scanner's set-up varies
from scan to scan, seeded: most end with Enter, some with Tab or with nothing (the
window ends those after its short quiet gap), and some arrive with the Korean input
method on (Dubeolsik jamo instead of letters) or with Caps Lock on. The window puts a
signed pass typed in the wrong mode back; a `KP1:` token cannot be put back, so the
window shows staff a notice instead of a verdict: staff switch the scanner back and
the visitor scans again (`second_try`).
"""

from __future__ import annotations

import random
import time

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.passes.keyboard_layout import KEY_OF_JAMO

from .sources import Door
from .visitors import Visitor

KEY_S = 0.004  # a USB scanner's time per key
# How the scanner is set up for a scan, and how often: the suffix it sends, or the mode it types in.
MODES = (("enter", 0.55), ("tab", 0.15), ("no suffix", 0.1), ("korean", 0.1), ("caps lock", 0.1))
ENTER = (Qt.Key.Key_Return, "\r")
SUFFIX = {"tab": (Qt.Key.Key_Tab, "\t"), "no suffix": None}  # every other mode ends with Enter
_JAMO_OF_KEY = {key: jamo for jamo, key in KEY_OF_JAMO.items()}


def in_korean(text: str) -> str:
    """What each key of `text` types with the Korean input method on (Shift as the scanner sends it)."""
    return "".join(_JAMO_OF_KEY.get(c) or _JAMO_OF_KEY.get(c.lower(), c) for c in text)


class WedgeSource:
    def __init__(self, seed: int) -> None:
        self._seed = seed

    def present(self, visitor: Visitor, door: Door) -> float:
        rng = random.Random(self._seed * 1_000_003 + visitor.index)  # the same in both upstream modes
        mode = rng.choices([m for m, _ in MODES], weights=[w for _, w in MODES])[0]
        text = {"korean": in_korean, "caps lock": str.swapcase}.get(mode, str)(visitor.text)
        started = time.perf_counter()
        _type(door.window, text, SUFFIX.get(mode, ENTER))
        return started

    def second_try(self, visitor: Visitor, door: Door) -> bool:
        _type(door.window, visitor.text, ENTER)
        return True

    def withdraw(self, door: Door) -> None:
        pass  # the scanner's text is gone once typed


def _type(window: QWidget, text: str, suffix: tuple[int, str] | None) -> None:
    keys = [(ord(c.upper()) if c.isascii() else Qt.Key.Key_unknown, c) for c in text]
    due = time.perf_counter()
    for code, char in [*keys, *([suffix] if suffix else [])]:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(window, QKeyEvent(kind, code, Qt.KeyboardModifier.NoModifier, char))
        due += KEY_S
        while (left := due - time.perf_counter()) > 0:
            time.sleep(left)
