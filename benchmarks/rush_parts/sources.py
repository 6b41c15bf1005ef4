"""How a visitor shows a pass to the kiosk: one `PassSource` per way (today the webcam).

The door has one virtual webcam (the demo's `Stage`: the scene, or a pass picture held
up, delivered at 30 fps through the window's real capture and decode threads) and the
window itself (where a keyboard-wedge scanner types). A source puts a visitor's pass in
front of one of them and takes it away again; the run measures from `present` to the
verdict painted. Another way of showing a pass (a hard phone screen, a wedge scanner)
is one more class with these two methods, added to the run's `sources`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from kiosk.demo.pictures import Medium, pass_frame
from kiosk.demo.stage import Stage
from kiosk.ui.entrance.main_window import MainWindow

from .visitors import Kind, Visitor


@dataclass(frozen=True, slots=True)
class Door:
    stage: Stage  # what the webcam sees
    window: MainWindow  # where a wedge scanner types


class PassSource(Protocol):
    def present(self, visitor: Visitor, door: Door) -> None: ...

    def withdraw(self, door: Door) -> None: ...


class CameraSource:
    """The pass held up to the webcam: a token app on a phone, a signed pass printed or on a phone."""

    def present(self, visitor: Visitor, door: Door) -> None:
        medium = Medium.PAPER if visitor.kind is Kind.SIGNED and visitor.index % 2 else Medium.PHONE
        door.stage.show(pass_frame(visitor.text, medium))

    def withdraw(self, door: Door) -> None:
        door.stage.clear()
