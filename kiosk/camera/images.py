"""Image files → grayscale → QR texts, with a clear error for anything that is not a usable image."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from kiosk.camera.cvlog import quiet_opencv
from kiosk.camera.decoder import QrDecoder
from kiosk.camera.image_header import probe_size
from kiosk.clock import Clock, SystemClock
from kiosk.errors import InputError

# A 40 MP grayscale copy plus decoder buffers stays well under the memory of a small
# kiosk PC; phone photos are 12-50 MP, so larger ones are refused, not shrunk silently.
MAX_PIXELS = 40_000_000
# Compressed files larger than this are not photos of a pass.
MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ImageScan:
    file: str
    texts: tuple[str, ...]
    ms: float  # read + decode, from the injected clock's monotonic time


def decode_image_file(
    path: str | os.PathLike[str],
    *,
    decoder: QrDecoder | None = None,
    clock: Clock | None = None,
    max_pixels: int = MAX_PIXELS,
) -> ImageScan:
    """Decode every QR code in one image file. Raises InputError for unusable files."""
    return _timed_scan(str(path), lambda: read_gray(path, max_pixels=max_pixels), decoder, clock)


def decode_image_bytes(
    data: bytes,
    *,
    name: str = "<bytes>",
    decoder: QrDecoder | None = None,
    clock: Clock | None = None,
    max_pixels: int = MAX_PIXELS,
) -> ImageScan:
    """As `decode_image_file`, for an image already in memory (an upload, a base64 test vector)."""
    def load() -> np.ndarray:
        return to_gray(decode_image_data(np.frombuffer(data, dtype=np.uint8), name, max_pixels=max_pixels))

    return _timed_scan(name, load, decoder, clock)


def _timed_scan(
    name: str, load: Callable[[], np.ndarray], decoder: QrDecoder | None, clock: Clock | None
) -> ImageScan:
    """Load a grey image and decode it, timing both (the figure `kiosk scan --json` reports)."""
    clock = clock or SystemClock()
    decoder = decoder or QrDecoder()
    started = clock.monotonic()
    texts = decoder.decode(load())
    return ImageScan(file=name, texts=tuple(texts), ms=(clock.monotonic() - started) * 1000.0)


def read_gray(path: str | os.PathLike[str], *, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    return to_gray(read_image(path, max_pixels=max_pixels))


def read_bgr(path: str | os.PathLike[str], *, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """A 3-channel 8-bit frame, as a camera would deliver it (for virtual cameras and previews)."""
    return to_bgr(read_image(path, max_pixels=max_pixels))


def read_image(path: str | os.PathLike[str], *, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """The decoded image as stored (any channel count and depth), after every sanity check."""
    file = Path(path)
    name = str(path)
    try:
        size = file.stat().st_size
    except FileNotFoundError:
        raise InputError(f"Image file not found: {name}", key="input.file_missing") from None
    except OSError as exc:
        raise InputError(f"Cannot read {name}: {exc.strerror}", key="input.unreadable") from None
    if not file.is_file():
        raise InputError(f"Not a file: {name}", key="input.not_a_file")
    if size == 0:
        raise InputError(f"Image file is empty: {name}", key="input.empty")
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"Image file too large ({size // (1024 * 1024)} MB, limit {MAX_FILE_BYTES // (1024 * 1024)} MB): "
            f"{name}",
            key="input.too_large",
        )
    try:
        # np.fromfile + imdecode instead of cv2.imread: imread cannot open non-ASCII
        # paths on Windows (e.g. a Korean user folder).
        data = np.fromfile(file, dtype=np.uint8)
    except OSError as exc:
        raise InputError(f"Cannot read {name}: {exc.strerror}", key="input.unreadable") from None
    return decode_image_data(data, name, max_pixels=max_pixels)


def decode_image_data(data: np.ndarray, name: str, *, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    if data.size == 0:
        raise InputError(f"Image file is empty: {name}", key="input.empty")
    header_size = probe_size(data[:65536].tobytes())
    if header_size is not None:
        _check_pixels(header_size[0], header_size[1], name, max_pixels)
    with quiet_opencv():
        image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED)
    if image is None or image.size == 0:
        raise InputError(
            f"Not a readable image (unknown format, or a damaged or truncated file): {name}",
            key="input.not_image",
        )
    _check_pixels(image.shape[1], image.shape[0], name, max_pixels)
    return image


def _check_pixels(width: int, height: int, name: str, max_pixels: int) -> None:
    if width * height > max_pixels:
        raise InputError(
            f"Image too large: {width}x{height} pixels (limit {max_pixels / 1e6:g} megapixels): {name}",
            key="input.too_large",
        )


def to_gray(image: np.ndarray) -> np.ndarray:
    image = _to_8bit(image)
    if image.ndim == 2:
        return image
    channels = image.shape[2]
    if channels == 1:
        return np.ascontiguousarray(image[:, :, 0])
    if channels == 4:
        image = _flatten_alpha(image)
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def to_bgr(image: np.ndarray) -> np.ndarray:
    image = _to_8bit(image)
    if image.ndim == 2 or image.shape[2] == 1:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4:
        return _flatten_alpha(image)
    return image


def _to_8bit(image: np.ndarray) -> np.ndarray:
    if image.dtype == np.uint8:
        return image
    if image.dtype == np.uint16:
        return (image // 257).astype(np.uint8)
    return cv2.normalize(image, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)


def _flatten_alpha(bgra: np.ndarray) -> np.ndarray:
    """Composite over white: a QR exported as black-on-transparent would otherwise turn all black."""
    alpha = bgra[:, :, 3:4].astype(np.float32) / 255.0
    bgr = bgra[:, :, :3].astype(np.float32) * alpha + 255.0 * (1.0 - alpha)
    return np.clip(bgr + 0.5, 0, 255).astype(np.uint8)
