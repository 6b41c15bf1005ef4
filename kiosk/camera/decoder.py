"""QR text from a grayscale image: zxing-cpp first, a sharpened/upscaled retry when it finds nothing.

pyzbar is only a fallback for installs where the zxing-cpp wheel cannot be
imported (docs/architecture.md, "Packages", says why zxing-cpp is primary).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import cv2
import numpy as np

from kiosk.camera.errors import DecoderUnavailableError


@dataclass(frozen=True, slots=True)
class RawCode:
    """One symbol as a backend found it: the text it made of the bytes, and the bytes."""

    text: str | None
    data: bytes


class Backend(Protocol):
    name: str

    def read(self, gray: np.ndarray) -> list[RawCode]: ...


class ZxingBackend:
    name = "zxing-cpp"

    def __init__(self) -> None:
        import zxingcpp

        self._zx = zxingcpp

    def read(self, gray: np.ndarray) -> list[RawCode]:
        zx = self._zx
        # Plain: the default HRI mode escapes control characters, which would
        # change the pass text (and its hash).
        found = zx.read_barcodes(gray, formats=zx.BarcodeFormat.QRCode, text_mode=zx.TextMode.Plain)
        codes: list[RawCode] = []
        for symbol in found:
            if not symbol.valid:
                continue
            try:
                text: str | None = symbol.text
            except (UnicodeDecodeError, ValueError):
                text = None
            codes.append(RawCode(text=text, data=bytes(symbol.bytes)))
        return codes


class PyzbarBackend:
    name = "pyzbar"

    def __init__(self) -> None:
        from pyzbar import pyzbar

        self._pyzbar = pyzbar

    def read(self, gray: np.ndarray) -> list[RawCode]:
        symbols = self._pyzbar.decode(gray, symbols=[self._pyzbar.ZBarSymbol.QRCODE])
        return [RawCode(text=None, data=bytes(s.data)) for s in symbols]


def default_backend() -> Backend:
    factories: tuple[Callable[[], Backend], ...] = (ZxingBackend, PyzbarBackend)
    for factory in factories:
        try:
            return factory()
        except ImportError:
            continue
    raise DecoderUnavailableError(
        "No QR decoder is installed: reinstall the kiosk (zxing-cpp is missing).",
        key="camera.no_decoder",
    )


def _to_text(code: RawCode) -> tuple[str | None, str | None]:
    """(text, None) or (None, reason). Never raises: a binary QR must not stop the camera."""
    if code.text is not None:
        return code.text, None
    try:
        return code.data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    if code.data:
        # Latin-1 maps every byte to one character, as zxing does for binary content.
        return code.data.decode("latin-1"), None
    return None, "empty QR content"


def sharpen(gray: np.ndarray, *, sigma: float = 1.5, amount: float = 1.5) -> np.ndarray:
    """Unsharp mask: restores module edges softened by focus blur or motion."""
    blurred = cv2.GaussianBlur(gray, (0, 0), sigmaX=sigma)
    return cv2.addWeighted(gray, 1.0 + amount, blurred, -amount, 0)


def upscale(gray: np.ndarray) -> np.ndarray:
    """2x cubic, then sharpened: gives codes below ~3 px per module enough pixels per module.

    Sharpening after the upscale recovered more synthetic webcam frames than either step alone.
    """
    doubled = cv2.resize(gray, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC)
    return sharpen(doubled, sigma=2.0, amount=1.0)


@dataclass(frozen=True, slots=True)
class DecodeResult:
    texts: tuple[str, ...]
    # Why a found symbol produced no text; reasons only, never the content.
    skipped: tuple[str, ...] = ()
    # Which image variant found the texts: "original", "sharpened", "upscaled" or "" (nothing).
    variant: str = ""


@dataclass(frozen=True, slots=True)
class DecoderSettings:
    # While a stream finds nothing, every Nth frame also tries the retry variants:
    # they cost several times a plain pass, too much for every frame of a 2-core kiosk.
    retry_every_n_frames: int = 4
    # Upscaled images above this many pixels cost more than they recover (a 720p frame,
    # doubled, is 3.7 MP; codes in larger images are rarely short of pixels).
    max_upscaled_pixels: int = 4_000_000
    retries: tuple[str, ...] = field(default=("sharpened", "upscaled"))

    def __post_init__(self) -> None:
        if self.retry_every_n_frames < 1:
            raise ValueError("retry_every_n_frames must be at least 1")
        unknown = set(self.retries) - {"sharpened", "upscaled"}
        if unknown:
            raise ValueError(f"unknown retry variants: {sorted(unknown)}")


class QrDecoder:
    """Decodes QR codes in grayscale images.

    `decode` is for still images (always retries when the first pass finds nothing);
    `decode_frame` is for camera streams (retries only every few empty frames). One
    instance per stream: `decode_frame` counts empty frames.
    """

    def __init__(self, settings: DecoderSettings | None = None, backend: Backend | None = None) -> None:
        self.settings = settings or DecoderSettings()
        self.backend = backend if backend is not None else default_backend()
        self._empty_frames = 0
        self._next_retry = 0

    def decode(self, gray: np.ndarray) -> list[str]:
        return list(self.scan(gray, retry=True).texts)

    def decode_frame(self, gray: np.ndarray) -> list[str]:
        due = self._empty_frames > 0 and self._empty_frames % self.settings.retry_every_n_frames == 0
        result = self.scan(gray, retry=due, retry_variants=self._rotating_retry() if due else ())
        self._empty_frames = 0 if result.texts else self._empty_frames + 1
        return list(result.texts)

    def scan(
        self, gray: np.ndarray, *, retry: bool = True, retry_variants: Sequence[str] | None = None
    ) -> DecodeResult:
        gray = as_gray(gray)
        result = self._read(gray, "original")
        if result.texts or not retry:
            return result
        skipped = list(result.skipped)
        for variant in self.settings.retries if retry_variants is None else retry_variants:
            image = self._variant(gray, variant)
            if image is None:
                continue
            attempt = self._read(image, variant)
            skipped.extend(attempt.skipped)
            if attempt.texts:
                return DecodeResult(attempt.texts, tuple(skipped), variant)
        return DecodeResult((), tuple(skipped), "")

    def _rotating_retry(self) -> tuple[str, ...]:
        # One variant per retry frame keeps the worst-case frame cost to two passes.
        variants = self.settings.retries
        if not variants:
            return ()
        chosen = variants[self._next_retry % len(variants)]
        self._next_retry += 1
        return (chosen,)

    def _variant(self, gray: np.ndarray, variant: str) -> np.ndarray | None:
        if variant == "sharpened":
            return sharpen(gray)
        if variant == "upscaled":
            if gray.shape[0] * gray.shape[1] * 4 > self.settings.max_upscaled_pixels:
                return None
            return upscale(gray)
        raise ValueError(f"unknown retry variant {variant!r}")

    def _read(self, gray: np.ndarray, variant: str) -> DecodeResult:
        texts: list[str] = []
        skipped: list[str] = []
        for code in self.backend.read(gray):
            text, reason = _to_text(code)
            if text is None:
                skipped.append(reason or "unreadable QR content")
            elif text not in texts:
                texts.append(text)
        return DecodeResult(tuple(texts), tuple(skipped), variant if texts else "")


def as_gray(image: np.ndarray) -> np.ndarray:
    """An 8-bit single-channel view of a camera frame or decoded image."""
    if not isinstance(image, np.ndarray):
        raise TypeError(f"expected a numpy image, got {type(image).__name__}")
    if image.dtype != np.uint8:
        raise TypeError(f"expected an 8-bit image, got dtype {image.dtype}")
    if image.ndim == 2:
        gray = image
    elif image.ndim == 3 and image.shape[2] == 1:
        gray = image[:, :, 0]
    elif image.ndim == 3 and image.shape[2] == 3:
        gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    elif image.ndim == 3 and image.shape[2] == 4:
        gray = cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    else:
        raise TypeError(f"expected a grayscale or BGR image, got shape {image.shape}")
    if gray.size == 0:
        raise TypeError("expected a non-empty image")
    return np.ascontiguousarray(gray)
