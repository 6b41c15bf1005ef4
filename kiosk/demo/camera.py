"""A virtual camera for the demo: the visitor's pass becomes a real QR image in a webcam-sized frame."""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.camera.decoder import QrDecoder

FRAME_W, FRAME_H = 1280, 720


class VirtualCamera:
    """Renders each QR text as a 720p frame and decodes it with the kiosk's own decoder."""

    def __init__(self) -> None:
        self._encoder = cv2.QRCodeEncoder.create()
        self._decoder = QrDecoder()

    def frame_for(self, text: str) -> np.ndarray:
        code = self._encoder.encode(text)
        if code is None or code.size == 0:
            raise ValueError("text does not fit in a QR code")
        # About 5 px per module, as a phone held 30 cm from a 720p webcam gives.
        scale = max(3, 480 // code.shape[0])
        code = cv2.resize(code, None, fx=scale, fy=scale, interpolation=cv2.INTER_NEAREST)
        frame = np.full((FRAME_H, FRAME_W), 96, dtype=np.uint8)
        h, w = code.shape[:2]
        y, x = (FRAME_H - h) // 2, (FRAME_W - w) // 2
        frame[y : y + h, x : x + w] = code
        return frame

    def scan(self, text: str) -> str | None:
        texts = self._decoder.decode(self.frame_for(text))
        return texts[0] if texts else None
