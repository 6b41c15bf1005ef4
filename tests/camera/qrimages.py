"""Test-only QR images: rendered with segno (an encoder independent of the decoder), then degraded."""

from __future__ import annotations

import random

import cv2
import numpy as np
import segno

BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def dcc_like_text(rng: random.Random, length: int = 520) -> str:
    """An `HC1:` text as long as a real vaccination pass (a 69-77 module QR)."""
    return "HC1:" + "".join(rng.choice(BASE45) for _ in range(length))


def qr_modules(data: str | bytes, *, error: str = "q") -> np.ndarray:
    """Dark modules as True, without quiet zone."""
    code = segno.make_qr(data, error=error, boost_error=False)
    return np.array([list(row) for row in code.matrix], dtype=bool)


def render(modules: np.ndarray, *, px: int = 4, border: int = 4) -> np.ndarray:
    image = np.where(modules, 0, 255).astype(np.uint8)
    image = np.pad(image, border, constant_values=255)
    return np.kron(image, np.ones((px, px), dtype=np.uint8))


def qr_image(data: str | bytes, *, px: int = 4, border: int = 4, error: str = "q") -> np.ndarray:
    return render(qr_modules(data, error=error), px=px, border=border)


def resize(image: np.ndarray, factor: float) -> np.ndarray:
    return cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)


def blur(image: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(image, (0, 0), sigmaX=sigma)


def rotate(image: np.ndarray, degrees: float) -> np.ndarray:
    """Rotated about its centre on a canvas large enough to keep every corner, white fill."""
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = int(h * sin + w * cos) + 2, int(h * cos + w * sin) + 2
    matrix[0, 2] += new_w / 2 - w / 2
    matrix[1, 2] += new_h / 2 - h / 2
    return cv2.warpAffine(image, matrix, (new_w, new_h), flags=cv2.INTER_LINEAR, borderValue=255)


def add_noise(image: np.ndarray, rng: np.random.Generator, sigma: float) -> np.ndarray:
    noisy = image.astype(np.float32) + rng.normal(0.0, sigma, image.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def scene(rng: np.random.Generator, width: int = 1280, height: int = 720) -> np.ndarray:
    """A webcam-like frame without a QR: lighting gradient, cluttered shapes, sensor noise."""
    y, x = np.mgrid[0:height, 0:width]
    frame = (70 + 90 * x / width + 40 * y / height).astype(np.float32)
    for _ in range(40):
        x0, y0 = int(rng.integers(0, width)), int(rng.integers(0, height))
        x1, y1 = x0 + int(rng.integers(20, 300)), y0 + int(rng.integers(20, 200))
        frame[y0:y1, x0:x1] = float(rng.integers(0, 256))
    frame += rng.normal(0.0, 6.0, frame.shape)
    return np.clip(frame, 0, 255).astype(np.uint8)


def place(background: np.ndarray, image: np.ndarray, x: int, y: int) -> np.ndarray:
    frame = background.copy()
    h, w = image.shape[:2]
    frame[y : y + h, x : x + w] = image
    return frame


def garble(modules: np.ndarray, rng: np.random.Generator, fraction: float) -> np.ndarray:
    """Flip `fraction` of the modules outside the finder patterns: found, but beyond error correction."""
    damaged = modules.copy()
    size = modules.shape[0]
    keep = np.zeros_like(modules)
    keep[:8, :8] = keep[:8, -8:] = keep[-8:, :8] = True
    candidates = np.argwhere(~keep)
    chosen = rng.choice(len(candidates), size=int(len(candidates) * fraction), replace=False)
    for row, col in candidates[chosen]:
        damaged[row, col] = not damaged[row, col]
    assert damaged.shape == (size, size)
    return damaged
