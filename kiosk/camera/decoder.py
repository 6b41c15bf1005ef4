"""QR text from a grayscale image: zxing-cpp first, a chain of retry variants when it finds nothing.

pyzbar is only a fallback for installs where the zxing-cpp wheel cannot be
imported (docs/architecture.md, "Packages", says why zxing-cpp is primary).
A frame that reads nothing still says what it saw (`FrameEvidence`), for the hints.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import cv2
import numpy as np

from kiosk.camera.errors import DecoderUnavailableError
from kiosk.camera.evidence import FrameEvidence, measure_guide
from kiosk.camera.guide import guide_region, guide_square
from kiosk.camera.variants import VARIANTS, guide_normalized


@dataclass(frozen=True, slots=True)
class RawCode:
    """One symbol as a backend found it: the text it made of the bytes, and the bytes.

    `error` names why a located symbol could not be read ("checksum", "format"...), ""
    for a read one; `side_px` is its apparent side in the image given, when known.
    """

    text: str | None
    data: bytes
    error: str = ""
    side_px: float | None = None


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
        # return_errors: a symbol located but not read is the evidence for a hint (+0.1 ms).
        found = zx.read_barcodes(
            gray, formats=zx.BarcodeFormat.QRCode, text_mode=zx.TextMode.Plain, return_errors=True
        )
        codes: list[RawCode] = []
        for symbol in found:
            side = _side(symbol.position)
            if not symbol.valid:
                kind = symbol.error.type.name.lower() if symbol.error else "unknown"
                codes.append(RawCode(text=None, data=b"", error=kind, side_px=side))
                continue
            try:
                text: str | None = symbol.text
            except (UnicodeDecodeError, ValueError):
                text = None
            codes.append(RawCode(text=text, data=bytes(symbol.bytes), side_px=side))
        return codes


def _side(position: object) -> float | None:
    """The longest edge of a located symbol: a tilted code keeps its size along one axis."""
    try:
        points = (position.top_left, position.top_right, position.bottom_right, position.bottom_left)  # type: ignore[attr-defined]
    except AttributeError:
        return None
    corners = [(point.x, point.y) for point in points]
    return max(math.dist(corners[i], corners[(i + 1) % 4]) for i in range(4))


class PyzbarBackend:
    name = "pyzbar"

    def __init__(self) -> None:
        from pyzbar import pyzbar

        self._pyzbar = pyzbar

    def read(self, gray: np.ndarray) -> list[RawCode]:
        symbols = self._pyzbar.decode(gray, symbols=[self._pyzbar.ZBarSymbol.QRCODE])
        return [RawCode(text=None, data=bytes(s.data)) for s in symbols]


def second_backend() -> Backend | None:
    """pyzbar, when installed: it reads cracked screens and moiré that zxing-cpp gives up on."""
    try:
        return PyzbarBackend()
    except ImportError:  # the package, or its libzbar0, is missing: the chain runs without it
        return None


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


@dataclass(frozen=True, slots=True)
class DecodeResult:
    texts: tuple[str, ...]
    # Why a found symbol produced no text; reasons only, never the content.
    skipped: tuple[str, ...] = ()
    # Which image variant found the texts: "original", a name of `VARIANTS`, or "" (nothing).
    variant: str = ""
    # What a frame that read nothing showed (None when it read something).
    evidence: FrameEvidence | None = None
    # The apparent side, in frame pixels, of the largest code read (the framing check's figure).
    code_side_px: float | None = None


# The retry variants the second decoder (pyzbar) reads: the guide's square as it is, and
# normalised (it reads reflections there that zxing-cpp gives up on); (image, its scale).
SECOND_DECODER = "pyzbar"
SECOND_NORMALIZED = "pyzbar_normalized"
SECOND_DECODER_IMAGES: dict[str, tuple[Callable[[np.ndarray], np.ndarray], float]] = {
    SECOND_DECODER: (guide_region, 1.0),
    SECOND_NORMALIZED: (guide_normalized, 2.0),
}
STREAM_RETRIES = (
    "sharpened",
    "guide_upscaled",
    "guide_clahe",
    "guide_normalized",
    SECOND_DECODER,
    "guide_upscaled_3x",
    SECOND_NORMALIZED,
)
# A still image need not be held in the guide: the whole-image upscale replaces the guide's.
STILL_RETRIES = (
    "sharpened",
    "upscaled",
    "guide_clahe",
    "guide_normalized",
    SECOND_DECODER,
    SECOND_NORMALIZED,
)


@dataclass(frozen=True, slots=True)
class DecoderSettings:
    # While a stream finds nothing, every Nth frame also tries one retry variant (in turn):
    # together they cost several times a plain pass, too much for every frame of a 2-core kiosk.
    retry_every_n_frames: int = 3
    # Upscaled images above this many pixels cost more than they recover (a 720p frame,
    # doubled, is 3.7 MP; codes in larger images are rarely short of pixels).
    max_upscaled_pixels: int = 4_000_000
    retries: tuple[str, ...] = field(default=STREAM_RETRIES)
    still_retries: tuple[str, ...] = field(default=STILL_RETRIES)

    def __post_init__(self) -> None:
        if self.retry_every_n_frames < 1:
            raise ValueError("retry_every_n_frames must be at least 1")
        unknown = (set(self.retries) | set(self.still_retries)) - {*VARIANTS, *SECOND_DECODER_IMAGES}
        if unknown:
            raise ValueError(f"unknown retry variants: {sorted(unknown)}")


class QrDecoder:
    """Decodes QR codes in grayscale images.

    `decode` is for still images (always retries when the first pass finds nothing);
    `scan_frame` is for camera streams (retries only every few empty frames). One
    instance per stream: `scan_frame` counts empty frames.
    """

    def __init__(
        self,
        settings: DecoderSettings | None = None,
        backend: Backend | None = None,
        second: Backend | None = None,
    ) -> None:
        """`second`: the decoder of the SECOND_DECODER_IMAGES retries (default: pyzbar when installed)."""
        self.settings = settings or DecoderSettings()
        self.backend = backend if backend is not None else default_backend()
        self.second = second if second is not None else second_backend()
        self._empty_frames = 0
        self._next_retry = 0

    def decode(self, gray: np.ndarray) -> list[str]:
        return list(self.scan(gray, retry_variants=self.settings.still_retries).texts)

    def decode_frame(self, gray: np.ndarray) -> list[str]:
        return list(self.scan_frame(gray).texts)

    def scan_frame(self, gray: np.ndarray, *, ignore: Collection[str] = ()) -> DecodeResult:
        """One camera frame: the first pass, plus one retry variant on every Nth empty frame."""
        due = self._empty_frames > 0 and self._empty_frames % self.settings.retry_every_n_frames == 0
        result = self.scan(gray, retry_variants=self._rotating_retry() if due else (), ignore=ignore)
        self._empty_frames = 0 if result.texts else self._empty_frames + 1
        return result

    def scan(
        self, gray: np.ndarray, *, retry_variants: Sequence[str] | None = None, ignore: Collection[str] = ()
    ) -> DecodeResult:
        """The first pass, then each of `retry_variants` (default: the stream's) until one reads.

        Texts in `ignore` (a poster that is part of the scene) count as not read: the retries
        and the evidence go on as if the frame held nothing else.
        """
        gray = as_gray(gray)
        skipped: list[str] = []
        failures = 0
        side: float | None = None
        variants = self.settings.retries if retry_variants is None else retry_variants
        for variant in ("original", *variants):
            made = self._variant(gray, variant)
            if made is None:
                continue
            image, scale, backend = made
            codes = [code for code in backend.read(image) if code.error or _to_text(code)[0] not in ignore]
            texts, reasons = _texts(codes)
            skipped.extend(reasons)
            sides = [code.side_px / scale for code in codes if code.side_px is not None]
            if texts:
                read = [code.side_px / scale for code in codes if code.side_px is not None and not code.error]
                return DecodeResult(texts, tuple(skipped), variant, code_side_px=max(read, default=None))
            failures += sum(1 for code in codes if code.error == "checksum")
            side = max([*sides, side] if side is not None else sides, default=None)
        evidence = measure_guide(gray, checksum_failures=failures, code_side_px=side)
        return DecodeResult((), tuple(skipped), "", evidence)

    def _rotating_retry(self) -> tuple[str, ...]:
        # One variant per retry frame keeps the worst-case frame cost to two passes.
        variants = self.settings.retries
        if not variants:
            return ()
        chosen = variants[self._next_retry % len(variants)]
        self._next_retry += 1
        return (chosen,)

    def _variant(self, gray: np.ndarray, variant: str) -> tuple[np.ndarray, float, Backend] | None:
        if variant == "original":
            return gray, 1.0, self.backend
        backend: Backend | None = self.backend
        if variant in SECOND_DECODER_IMAGES:
            backend, (make, scale), guide_only = self.second, SECOND_DECODER_IMAGES[variant], True
        elif variant in VARIANTS:
            make, scale, guide_only = VARIANTS[variant]
        else:
            raise ValueError(f"unknown retry variant {variant!r}")
        height, width = gray.shape[:2]
        side = guide_square(height, width)[2]
        pixels = (side * side if guide_only else height * width) * scale * scale
        if backend is None or pixels > self.settings.max_upscaled_pixels:
            return None
        return make(gray), scale, backend


def _texts(codes: list[RawCode]) -> tuple[tuple[str, ...], list[str]]:
    """The distinct texts of the read symbols, and why read symbols gave none."""
    texts: list[str] = []
    skipped: list[str] = []
    for code in codes:
        if code.error:
            continue
        text, reason = _to_text(code)
        if text is None:
            skipped.append(reason or "unreadable QR content")
        elif text not in texts:
            texts.append(text)
    return tuple(texts), skipped


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
