"""The wizard's camera step: choose a camera (or none), see it live, and check the framing.

The preview is the kiosk's own camera worker on the chosen camera, drawn by the entrance
screen's canvas with its framing guide. The framing check is the worker's evidence:
a code located in the guide but too few pixels wide is `Hint.CLOSER` ("too small, bring
the pass closer"), a pass read is good. The worker runs only while this step is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from kiosk.camera.hints import Hint
from kiosk.ui.entrance.preview import FrameCanvas
from kiosk.ui.owner.keypad import make_button, owner_text
from kiosk.ui.setup.pages import StepPage
from kiosk.ui.setup.steps import NO_CAMERA
from kiosk.ui.workers import CameraWorker

PreviewFactory = Callable[[str], CameraWorker]


class Framing(StrEnum):
    WAITING = "waiting"  # nothing read yet: hold a pass in the square
    TOO_SMALL = "too_small"
    GOOD = "good"
    NO_PICTURE = "no_picture"  # the camera did not open or stopped


class CameraPage(StepPage):
    chosen = Signal(str)  # a `[ui] camera` value, or NO_CAMERA

    def __init__(self, preview: PreviewFactory, parent: QWidget | None = None) -> None:
        super().__init__("setupCamera", parent)
        self._preview = preview
        self._worker: CameraWorker | None = None
        self.choice = ""
        self.framing = Framing.WAITING
        self.buttons: dict[str, QPushButton] = {}
        self._grid = QGridLayout()
        self.canvas = FrameCanvas(self)
        self.canvas.setObjectName("setupPreview")
        self.framing_label = owner_text(self)
        self.framing_label.setObjectName("framing")
        self.note = self.add_note()
        self.body.addLayout(self._grid)
        self.body.addWidget(self.note)
        self.body.addWidget(self.canvas, 1)
        self.body.addWidget(self.framing_label)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("The camera"))
        self.explain.setText(
            self.tr("Choose the camera that faces visitors, then hold a pass in the square to check it.")
        )
        for spec, button in self.buttons.items():
            button.setText(self._name(spec))
        self._render()

    def show_cameras(self, specs: Sequence[str], current: str, *, locked: bool) -> None:
        """One button per camera (`[ui] camera` values), then "No camera"; `current` chosen."""
        for button in self.buttons.values():
            button.deleteLater()
        self.buttons = {}
        for n, spec in enumerate([*specs, NO_CAMERA]):
            button = make_button("", "neutral", self)
            button.setCheckable(True)
            button.setMinimumHeight(64)
            button.clicked.connect(lambda _=False, spec=spec: self.choose(spec))
            button.setEnabled(not locked)
            self.buttons[spec] = button
            self._grid.addWidget(button, n // 3, n % 3)
        self.note.setVisible(locked)
        self.retranslate()
        self.choice = current
        self._mark()

    def choose(self, spec: str) -> None:
        self.choice = spec
        self._mark()
        self.chosen.emit(spec)
        if self.isVisible() or self._worker is not None:
            self.start_preview()

    def start_preview(self) -> None:
        """The chosen camera live (none for "No camera"); the previous one is released first."""
        self.stop_preview()
        self.framing = Framing.WAITING
        self.canvas.set_image(None)
        self.canvas.setVisible(self.choice != NO_CAMERA)
        if self.choice != NO_CAMERA:
            worker = self._worker = self._preview(self.choice)
            worker.frame_ready.connect(self._on_frame)
            worker.hint_changed.connect(self._on_hint)
            worker.scanned.connect(self._on_scanned)
            worker.camera_lost.connect(self._on_lost)
            worker.start()
        self._render()

    def stop_preview(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.frame_ready.disconnect(self._on_frame)
            worker.stop()

    # --- the worker's signals (queued to this GUI-thread object) ---

    @Slot(QImage)
    def _on_frame(self, image: QImage) -> None:
        if self.framing is Framing.NO_PICTURE:
            self.framing = Framing.WAITING
            self._render()
        self.canvas.set_image(image)

    @Slot(str)
    def _on_hint(self, hint: str) -> None:
        if hint == Hint.CLOSER:
            self.framing = Framing.TOO_SMALL
            self._render()

    @Slot(str, float)
    def _on_scanned(self, _text: str, _at: float) -> None:  # the text is never shown or kept
        self.framing = Framing.GOOD
        self._render()

    @Slot(str)
    def _on_lost(self, _key: str) -> None:
        self.framing = Framing.NO_PICTURE
        self._render()

    # --- internals ---

    def _name(self, spec: str) -> str:
        if spec == NO_CAMERA:
            return self.tr("No camera (handheld scanner only)")
        if spec == "" or spec.isdigit():
            return self.tr("Camera %1").replace("%1", str(int(spec or 0) + 1))
        return self.tr("As in the settings")

    def _mark(self) -> None:
        for spec, button in self.buttons.items():
            button.setChecked(spec == self.choice)

    def _render(self) -> None:
        if self.choice == NO_CAMERA:
            text = self.tr("No camera: visitors' passes are read with a handheld scanner.")
        else:
            text = {
                Framing.WAITING: self.tr("Hold a pass in the square…"),
                Framing.TOO_SMALL: self.tr("Too small — bring the pass closer."),
                Framing.GOOD: self.tr("Good: the pass was read."),
                Framing.NO_PICTURE: self.tr(
                    "This camera shows nothing. Choose another, or No camera for a handheld scanner."
                ),
            }[self.framing]
        self.framing_label.setText(text)
