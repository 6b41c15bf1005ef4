"""The idle screen: the live preview with a framing guide and the bilingual prompt.

The guide is drawn in frame coordinates (a square of `GUIDE_FRACTION` of the frame
height) and scaled with the preview, so it always marks the same part of the
camera's view: a DCC QR needs >= 300 px of a 720p frame to decode (3 px per module).

While a chunked SMART Health Card is incomplete the prompt asks for the next part
("Show QR code 2 of 3"), and a card dropped for taking too long or for a part of
another card says so in a notice line for a few seconds. The same line tells staff, in
both languages, when the handheld scanner types in the wrong keyboard mode or keeps
sending unreadable input.

A code in the guide that the camera cannot read for ~1.5 s gets a hint over the guide, in
large letters and both languages ("Move closer", "Tilt away from the light"…): the
visitor fixes the cause instead of waving the phone about.

While upstream is degraded or offline a banner says that staff check tokens, so the
queue knows before scanning. With no camera there is nothing to frame: the guide and
the "show your QR code" prompt give way to the no-camera notice.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk.camera.guide import GUIDE_FRACTION
from kiosk.camera.hints import Hint
from kiosk.ui.card_parts import CardNotice
from kiosk.ui.resources import texts
from kiosk.ui.resources.i18n import Retranslating
from kiosk.ui.wedge_input import WedgeNotice

log = logging.getLogger(__name__)

PROMPT = QT_TRANSLATE_NOOP("Preview", "Show your QR code")
PROMPT_SECONDARY = QT_TRANSLATE_NOOP("Secondary", "Show your QR code")
CHECKING = QT_TRANSLATE_NOOP("Preview", "Checking…")
# %1 = the part to show next, %2 = how many QR codes the card has.
CARD_PART = QT_TRANSLATE_NOOP("Preview", "Show QR code %1 of %2")
CARD_PART_SECONDARY = QT_TRANSLATE_NOOP("Secondary", "Show QR code %1 of %2")
CARD_NOTICES: dict[CardNotice, str] = {
    CardNotice.TIMED_OUT: QT_TRANSLATE_NOOP(
        "Preview", "Not all QR codes of the card were shown in time. Please show them again, one by one."
    ),
    CardNotice.RESTARTED: QT_TRANSLATE_NOOP(
        "Preview", "That QR code belongs to another card. Starting again with this card."
    ),
}
# For staff, in both languages: the scanner is set up wrong, no visitor did anything wrong.
WEDGE_NOTICES: dict[WedgeNotice, str] = {
    WedgeNotice.WRONG_MODE: QT_TRANSLATE_NOOP("Preview", "Scanner is in Korean or Caps mode"),
    WedgeNotice.GARBAGE: QT_TRANSLATE_NOOP("Preview", "The scanner keeps sending unreadable input"),
}
# What the visitor can do so the camera reads the code (kiosk.camera.hints chooses one).
HINTS: dict[Hint, str] = {
    Hint.GLARE: QT_TRANSLATE_NOOP("Preview", "Tilt away from the light"),
    Hint.CLOSER: QT_TRANSLATE_NOOP("Preview", "Move closer"),
    Hint.STILL: QT_TRANSLATE_NOOP("Preview", "Hold still"),
    Hint.BRIGHTER: QT_TRANSLATE_NOOP("Preview", "Turn up your screen brightness"),
}
OUTAGE = QT_TRANSLATE_NOOP("Preview", "Service down: staff check tokens")
OUTAGE_SECONDARY = QT_TRANSLATE_NOOP("Secondary", "Service down: staff check tokens")
NO_CAMERA = QT_TRANSLATE_NOOP("Preview", "No camera")
NO_CAMERA_SECONDARY = QT_TRANSLATE_NOOP("Secondary", "No camera")
NO_CAMERA_HINT = QT_TRANSLATE_NOOP(
    "Preview",
    "Check that the camera is plugged in and not used by another program. Trying again every few "
    "seconds. A handheld scanner still works.",
)


class FrameCanvas(QWidget):
    """Paints the newest preview frame, letterboxed, and the framing guide over it.

    `mirrored` flips only the painting (a visitor moves the phone left and sees it go
    left); the frame object is never changed, so the decoder's copy is as the camera sent it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self.mirrored = True
        self.frames_shown = 0
        self._first_painted = False
        self.show_guide = True
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 180)
        # A child, so it floats over the frame instead of taking the guide's room in the layout:
        # the hint large, under it the same in the other language, smaller (like a reason).
        self.hint = QFrame(self)
        self.hint.setObjectName("visitorHint")
        self.hint_text = QLabel(self.hint)
        self.hint_text.setObjectName("visitorHintText")
        self.hint_secondary = QLabel(self.hint)
        self.hint_secondary.setObjectName("visitorHintSecondary")
        box = QVBoxLayout(self.hint)
        for label in (self.hint_text, self.hint_secondary):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box.addWidget(label)
        self.hint.hide()

    def set_image(self, image: QImage | None) -> None:
        resized = image is not None and (self._image is None or image.size() != self._image.size())
        self._image = image
        if image is not None:
            self.frames_shown += 1
        if resized:
            self.place_hint()
        self.update()

    def set_hint(self, text: str, other: str) -> None:
        self.hint_text.setText(text)
        self.hint_secondary.setText(other)
        self.hint_secondary.setVisible(bool(other))
        self.hint.setVisible(bool(text))
        self.place_hint()

    def place_hint(self) -> None:
        """Just above the guide when there is room, else over its top: the guide's middle,
        where the code is, stays in view."""
        if self.hint.isHidden():
            return
        target, guide, margin = self.image_rect(), self.guide_rect(), 8
        width = max(1, round(target.width()) - 2 * margin)
        self.hint.ensurePolished()
        height = min(self.hint.heightForWidth(width), self.height())
        top = max(0, round(target.top()) + margin, round(guide.top()) - height - margin)
        self.hint.setGeometry(round(target.left()) + margin, min(top, self.height() - height), width, height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.place_hint()

    def image_rect(self) -> QRectF:
        """Where the frame is drawn (16:9 when there is no frame yet)."""
        w, h = (self._image.width(), self._image.height()) if self._image else (16, 9)
        scale = min(self.width() / w, self.height() / h)
        dw, dh = w * scale, h * scale
        return QRectF((self.width() - dw) / 2, (self.height() - dh) / 2, dw, dh)

    def guide_rect(self) -> QRectF:
        target = self.image_rect()
        side = target.height() * GUIDE_FRACTION
        return QRectF(target.center().x() - side / 2, target.center().y() - side / 2, side, side)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#111418"))
        target = self.image_rect()
        if self._image is not None:
            painter.save()
            if self.mirrored:
                # x -> left + right - x: the frame flipped about its own vertical centre line.
                painter.translate(target.left() + target.right(), 0)
                painter.scale(-1, 1)
            painter.drawImage(target, self._image)
            painter.restore()
            if not self._first_painted:
                # The start-up time a venue sees: the line's time stamp, less the program's
                # start, is what benchmarks/bundle_start.py reports for the bundle.
                self._first_painted = True
                log.info("first preview frame painted")
        if not self.show_guide:
            painter.end()
            return
        guide = self.guide_rect()
        arm = guide.width() * 0.2
        painter.setPen(QPen(QColor("#ffffff"), max(4.0, guide.width() * 0.02)))
        for cx, cy, dx, dy in (
            (guide.left(), guide.top(), 1, 1),
            (guide.right(), guide.top(), -1, 1),
            (guide.left(), guide.bottom(), 1, -1),
            (guide.right(), guide.bottom(), -1, -1),
        ):
            painter.drawLine(int(cx), int(cy), int(cx + dx * arm), int(cy))
            painter.drawLine(int(cx), int(cy), int(cx), int(cy + dy * arm))
        painter.end()


class PreviewView(Retranslating, QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.canvas = FrameCanvas(self)
        self.outage = self._label("outageBanner")
        self.outage.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.prompt = self._label("prompt")
        self.prompt_secondary = self._label("promptSecondary")
        self.notice = self._label("previewNotice")
        self.hint = self._label("previewHint")
        self.card_notice = self._label("cardNotice")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 12)
        layout.setSpacing(6)
        layout.addWidget(self.outage)
        layout.addWidget(self.canvas, 1)
        for label in (self.notice, self.hint, self.card_notice, self.prompt, self.prompt_secondary):
            layout.addWidget(label)
        self._camera_ok = True
        self._verifying = False
        self._outage = False
        self._card_part: tuple[int, int] | None = None
        self._card_notice: CardNotice | WedgeNotice | None = None
        self._hint: Hint | None = None
        self.retranslate()

    def _label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        return label

    def set_mirrored(self, mirrored: bool) -> None:
        self.canvas.mirrored = mirrored
        self.canvas.update()

    def set_frame(self, image: QImage) -> None:
        if self._camera_ok:
            self.canvas.set_image(image)

    def render(
        self, *, camera_ok: bool, verifying: bool, outage: bool = False, hint: Hint | None = None
    ) -> None:
        """`hint`: the visitor's hint over the guide (None: none)."""
        now = (camera_ok, verifying, outage, hint)
        if now == (self._camera_ok, self._verifying, self._outage, self._hint):
            return
        self._camera_ok, self._verifying, self._outage, self._hint = now
        if not camera_ok:
            self.canvas.set_image(None)  # no frozen last frame pretending to be live
        self.canvas.show_guide = camera_ok
        self.canvas.update()
        self.retranslate()

    def render_card(self, part: tuple[int, int] | None, notice: CardNotice | WedgeNotice | None) -> None:
        """The chunked-card prompt: (next part, total) while a card is incomplete; a notice."""
        if (part, notice) == (self._card_part, self._card_notice):
            return
        self._card_part, self._card_notice = part, notice
        self.retranslate()

    def retranslate(self) -> None:
        def tr(text: str) -> str:
            return QCoreApplication.translate("Preview", text)

        if self._verifying:
            prompt = tr(CHECKING)
            other = texts.other_line("Preview", CHECKING, prompt)
        elif self._card_part is not None:
            def numbered(text: str) -> str:
                return text.replace("%1", str(self._card_part[0])).replace("%2", str(self._card_part[1]))

            prompt = numbered(tr(CARD_PART))
            other = numbered(texts.secondary(CARD_PART_SECONDARY, tr(CARD_PART)))
        else:
            prompt = tr(PROMPT)
            other = texts.secondary(PROMPT_SECONDARY, prompt)
        self.prompt.setText(prompt)
        self.prompt_secondary.setText(other)
        self.prompt_secondary.setVisible(bool(self.prompt_secondary.text()))
        self.card_notice.setText(self._notice_text(None if self._verifying else self._card_notice))
        self.card_notice.setVisible(bool(self.card_notice.text()))
        banner = tr(OUTAGE)
        banner_other = texts.secondary(OUTAGE_SECONDARY, banner)
        self.outage.setText(f"{banner}\n{banner_other}" if banner_other else banner)
        self.outage.setVisible(self._outage)
        if self._hint is None:
            self.canvas.set_hint("", "")
        else:
            words = HINTS[self._hint]
            hint = tr(words)
            self.canvas.set_hint(hint, texts.other_line("Preview", words, hint))
        # Without a camera nobody is asked to show a code (a handheld scanner still reads it).
        prompting = self._camera_ok or self._verifying
        self.prompt.setVisible(prompting)
        self.prompt_secondary.setVisible(prompting and bool(self.prompt_secondary.text()))
        if self._camera_ok:
            self.notice.hide()
            self.hint.hide()
            return
        notice = tr(NO_CAMERA)
        other = texts.secondary(NO_CAMERA_SECONDARY, notice)
        self.notice.setText(f"{notice} / {other}" if other else notice)
        self.hint.setText(tr(NO_CAMERA_HINT))
        self.notice.show()
        self.hint.show()

    @staticmethod
    def _notice_text(notice: CardNotice | WedgeNotice | None) -> str:
        if isinstance(notice, CardNotice):
            return QCoreApplication.translate("Preview", CARD_NOTICES[notice])
        if notice is None:
            return ""
        words = WEDGE_NOTICES[notice]
        primary = QCoreApplication.translate("Preview", words)
        other = texts.other_line("Preview", words, primary)
        return f"{primary} / {other}" if other else primary

