"""Pass pictures for the demo's virtual camera: a QR on a phone screen or a paper slip, in a 720p frame.

What a webcam at the door sees: the entrance behind, a phone (or a printed
certificate) held up in the middle. The QR is drawn at 4-5 px per module, about
what a phone 30 cm from a 720p webcam gives, so the decoder works as hard as it
does at a real door. Plain numpy/OpenCV: no Qt, so the terminal demo can use it.
"""

from __future__ import annotations

from enum import StrEnum

import cv2
import numpy as np

FRAME_W, FRAME_H = 1280, 720
QR_TARGET_PX = 380  # inside the preview's 400 px framing guide; a dense pass needs >= 300


class Medium(StrEnum):
    PHONE = "phone"
    PAPER = "paper"


def qr_modules(text: str) -> np.ndarray:
    """The QR of `text` as a grey image with one pixel per module (quiet zone included)."""
    code = cv2.QRCodeEncoder.create().encode(text)
    if code is None or code.size == 0:
        raise ValueError("text does not fit in a QR code")
    # OpenCV's encoder scales nothing but may return 0/255 with a quiet zone: keep it as is.
    return code


def qr_picture(text: str, target_px: int = QR_TARGET_PX) -> np.ndarray:
    code = qr_modules(text)
    scale = max(3, target_px // code.shape[0])
    return cv2.resize(code, None, fx=scale, fy=scale, interpolation=cv2.INTER_NEAREST)


def scene() -> np.ndarray:
    """The entrance with nobody at the counter: a wall, a door frame, a counter edge (BGR)."""
    frame = np.empty((FRAME_H, FRAME_W, 3), dtype=np.uint8)
    # A soft vertical gradient: lit wall above, shade towards the counter.
    ramp = np.linspace(178, 120, FRAME_H, dtype=np.float32)[:, None]
    frame[:, :, 0] = np.clip(ramp * 0.92, 0, 255)
    frame[:, :, 1] = np.clip(ramp * 0.98, 0, 255)
    frame[:, :, 2] = np.clip(ramp * 1.05, 0, 255)
    cv2.rectangle(frame, (900, 60), (1150, 600), (92, 104, 122), -1)  # the door
    cv2.rectangle(frame, (900, 60), (1150, 600), (70, 78, 90), 6)
    cv2.circle(frame, (1120, 340), 9, (60, 170, 210), -1)  # its handle
    cv2.rectangle(frame, (80, 120), (330, 300), (210, 214, 220), -1)  # a menu board
    for i in range(5):
        cv2.line(frame, (105, 160 + 28 * i), (300 - 30 * (i % 2), 160 + 28 * i), (120, 120, 128), 3)
    cv2.rectangle(frame, (0, 600), (FRAME_W, FRAME_H), (64, 86, 112), -1)  # the counter
    cv2.line(frame, (0, 600), (FRAME_W, 600), (44, 60, 80), 4)
    return frame


def _rounded(
    img: np.ndarray, x0: int, y0: int, x1: int, y1: int, r: int, colour: tuple[int, int, int]
) -> None:
    cv2.rectangle(img, (x0 + r, y0), (x1 - r, y1), colour, -1)
    cv2.rectangle(img, (x0, y0 + r), (x1, y1 - r), colour, -1)
    for cx, cy in ((x0 + r, y0 + r), (x1 - r, y0 + r), (x0 + r, y1 - r), (x1 - r, y1 - r)):
        cv2.circle(img, (cx, cy), r, colour, -1, lineType=cv2.LINE_AA)


def pass_frame(text: str, medium: Medium = Medium.PHONE, *, label: str = "") -> np.ndarray:
    """A 1280x720 BGR frame of `text`'s QR held up on a phone or a paper slip in front of the scene."""
    frame = scene()
    code = qr_picture(text)
    qh, qw = code.shape[:2]
    cx, cy = FRAME_W // 2, FRAME_H // 2
    if medium is Medium.PHONE:
        # A hand-held phone: dark body, a white screen with an app bar above the code.
        w, h = qw + 60, qh + 230
        x0, y0 = cx - w // 2, cy - qh // 2 - 120
        _rounded(frame, x0 - 18, y0 - 18, x0 + w + 18, y0 + h + 18, 40, (34, 30, 30))
        _rounded(frame, x0, y0, x0 + w, y0 + h, 22, (250, 250, 250))
        cv2.rectangle(frame, (x0, y0 + 22), (x0 + w, y0 + 84), (150, 96, 36), -1)  # app bar
        cv2.putText(
            frame,
            label or "PASS",
            (x0 + 24, y0 + 66),
            cv2.FONT_HERSHEY_SIMPLEX,
            1.1,
            (255, 255, 255),
            2,
            cv2.LINE_AA,
        )
        qx, qy = cx - qw // 2, y0 + 110
    else:
        # A printed certificate: white sheet, a title line and body text lines under the code.
        w, h = qw + 140, min(FRAME_H - 20, qh + 250)
        x0, y0 = cx - w // 2, max(10, cy - h // 2)
        cv2.rectangle(frame, (x0 + 8, y0 + 8), (x0 + w + 8, y0 + h + 8), (70, 80, 90), -1)  # shadow
        cv2.rectangle(frame, (x0, y0), (x0 + w, y0 + h), (236, 240, 242), -1)
        cv2.putText(
            frame,
            label or "CERTIFICATE",
            (x0 + 30, y0 + 52),
            cv2.FONT_HERSHEY_SIMPLEX,
            1.0,
            (40, 40, 40),
            2,
            cv2.LINE_AA,
        )
        qx, qy = cx - qw // 2, y0 + 80
        for i in range(3):
            y = qy + qh + 40 + 32 * i
            if y < y0 + h - 10:
                cv2.line(frame, (x0 + 30, y), (x0 + w - 60 - 40 * i, y), (150, 150, 150), 4)
    frame[qy : qy + qh, qx : qx + qw] = cv2.cvtColor(code, cv2.COLOR_GRAY2BGR)
    return frame
