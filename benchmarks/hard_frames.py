"""Hard door frames: phone screens showing a DCC in a 1280x720 door scene, one defect class at a time.

Every frame is made from `SEED` alone (the passes are signed with a key derived from it,
deterministically), so a decoder change is measured on exactly the frames it was tuned
against. Each class runs from mild to severe, across the edge where reading stops.

Run from the repo root: `.venv/bin/python benchmarks/hard_frames.py [--out DIR]` writes
the frames as PNGs (into a new temporary folder without --out) and prints what it wrote;
`benchmarks/decode.py` imports `hard_frames()` and reads them in memory.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import segno
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.passes.issue import issue_dcc
from kiosk.simulator.hcerts import build_hcert, make_uci

SEED = 2326
WIDTH, HEIGHT = 1280, 720
FRAMES_PER_CLASS = 10
DEFECTS = (
    "size",
    "contrast",
    "glare",
    "motion",
    "defocus",
    "tilt",
    "jpeg",
    "noise",
    "moire",
    "inverted",
    "cracked",
    "combined",
)
# The hint a frame of each class should get when it is not read; classes without one
# (a JPEG artefact, moiré...) have no hint a visitor could act on, so any hint is wrong.
# The inverted class grows more severe by shrinking (2.6 to 1.3 px per module), like the
# size class: coming closer is what helps it too.
HINT_LABELS = {
    "glare": "glare",
    "cracked": "glare",
    "size": "closer",
    "inverted": "closer",
    "motion": "still",
    "defocus": "still",
    "contrast": "brighter",
}


@dataclass(frozen=True, slots=True)
class HardFrame:
    defect: str
    severity: float  # 0 = mildest of the class, 1 = most severe
    text: str
    image: np.ndarray  # 720x1280 gray, as the decoder gets it

    @property
    def hint(self) -> str | None:
        return HINT_LABELS.get(self.defect)


class _DeterministicKey(ec.EllipticCurvePrivateKey):
    """An EC key that signs with RFC 6979 nonces: the same seed gives the same pass texts."""

    def __init__(self, key: ec.EllipticCurvePrivateKey) -> None:
        self._key = key

    def sign(self, data: Any, signature_algorithm: Any) -> bytes:
        return self._key.sign(data, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))

    def public_key(self) -> ec.EllipticCurvePublicKey:
        return self._key.public_key()

    @property
    def curve(self) -> ec.EllipticCurve:
        return self._key.curve

    @property
    def key_size(self) -> int:
        return self._key.key_size

    def private_numbers(self) -> ec.EllipticCurvePrivateNumbers:
        return self._key.private_numbers()

    def private_bytes(self, *args: Any) -> bytes:
        return self._key.private_bytes(*args)

    def exchange(self, *args: Any) -> bytes:
        return self._key.exchange(*args)

    def __copy__(self) -> _DeterministicKey:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> _DeterministicKey:
        return self


def pass_texts(seed: int = SEED) -> tuple[str, ...]:
    """Three signed `HC1:` texts (vaccination, test, recovery) as the simulator issues them."""
    rng = random.Random(seed)
    key = _DeterministicKey(ec.derive_private_key(rng.getrandbits(128) + 1, ec.SECP256R1()))
    now = 1_780_000_000.0
    texts = []
    for cert_type in ("v", "t", "r"):
        _, hcert = build_hcert({"type": cert_type}, now=now, country="DE", uci=make_uci(rng, "DE"))
        texts.append(
            issue_dcc(
                hcert, private_key=key, kid=b"door0001", issuer="DE", issued_at=now, expires_at=now + 3e7
            )
        )
    return tuple(texts)


def door_scene(rng: np.random.Generator) -> np.ndarray:
    """The entrance behind the phone: a lighting gradient, furniture-like blocks, sensor noise."""
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    frame = (60 + 80 * x / WIDTH + 50 * y / HEIGHT).astype(np.float32)
    for _ in range(30):
        x0, y0 = int(rng.integers(0, WIDTH)), int(rng.integers(0, HEIGHT))
        frame[y0 : y0 + int(rng.integers(20, 220)), x0 : x0 + int(rng.integers(20, 320))] = float(
            rng.integers(20, 236)
        )
    return frame


def _modules(text: str) -> np.ndarray:
    # Q level, as the EU specification recommends for the DCC.
    code = segno.make_qr(text, error="q", boost_error=False)
    return np.array([list(row) for row in code.matrix], dtype=bool)


def _screen(modules: np.ndarray, px: float, *, dark: float, light: float) -> np.ndarray:
    """The phone's screen: the code with a 4-module quiet zone, `px` pixels per module, float."""
    big = np.pad(np.where(modules, dark, light).astype(np.float32), 4, constant_values=light)
    side = round(big.shape[0] * px)
    return cv2.resize(big, (side, side), interpolation=cv2.INTER_AREA)


def _phone(screen: np.ndarray, light: float) -> np.ndarray:
    """A black bezel around the screen, with screen margins of the screen's own colour above and below."""
    side = screen.shape[0]
    body = np.full((int(side * 1.9), side + 24), 15.0, dtype=np.float32)
    body[12:-12, 12:-12] = light
    top = (body.shape[0] - side) // 2
    body[top : top + side, 12 : 12 + side] = screen
    return body


def _tilt(phone: np.ndarray, degrees: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The phone turned about its vertical axis: the far edge shorter, the width foreshortened."""
    h, w = phone.shape
    t = np.radians(degrees)
    near, far = 1.0, 1.0 - 0.45 * np.sin(t)
    width = w * np.cos(t)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32(
        [[0, 0], [width, h * (1 - far) / 2], [width, h * (1 + far) / 2], [0, h * near]]
    )
    if rng.random() < 0.5:  # either side may be the far one
        dst[:, 0] = width - dst[:, 0]
    matrix = cv2.getPerspectiveTransform(src, dst)
    size = (int(np.ceil(width)) + 1, h)
    warped = cv2.warpPerspective(phone, matrix, size, flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones_like(phone), matrix, size, flags=cv2.INTER_LINEAR)
    return warped, mask


def _paste(
    frame: np.ndarray, phone: np.ndarray, mask: np.ndarray, rng: np.random.Generator
) -> tuple[int, int]:
    """The phone centred in the guide (within a few pixels, clipped to the frame); its top-left corner."""
    h, w = phone.shape
    x = (WIDTH - w) // 2 + int(rng.integers(-30, 31))
    y = (HEIGHT - h) // 2 + int(rng.integers(-20, 21))
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + w, WIDTH), min(y + h, HEIGHT)
    region = frame[y0:y1, x0:x1]
    part, alpha = phone[y0 - y : y1 - y, x0 - x : x1 - x], mask[y0 - y : y1 - y, x0 - x : x1 - x]
    frame[y0:y1, x0:x1] = region * (1 - alpha) + part * alpha
    return x, y


def _glare(frame: np.ndarray, box: tuple[int, int, int], radius: float, rng: np.random.Generator) -> None:
    """A reflection of a lamp on the glass: a bright, saturating blob that washes out the modules under it."""
    x0, y0, side = box
    cx, cy = side * rng.uniform(0.3, 0.7), side * rng.uniform(0.3, 0.7)
    y, x = np.mgrid[0:side, 0:side]
    blob = 400.0 * np.exp(-(((x - cx) ** 2 + (y - cy) ** 2) / (2 * (radius * side) ** 2)))
    region = frame[y0 : y0 + side, x0 : x0 + side]
    region += blob[: region.shape[0], : region.shape[1]]


def _cracks(frame: np.ndarray, box: tuple[int, int, int], count: int, rng: np.random.Generator) -> None:
    """A shattered screen: lines radiating from an impact point, and a dead patch around it."""
    x, y, side = box
    # Drawn on a copy of the screen's square, so no crack runs past the glass.
    glass = np.ascontiguousarray(frame[y : y + side, x : x + side])
    impact = (int(rng.integers(side // 4, 3 * side // 4)), int(rng.integers(side // 4, 3 * side // 4)))
    for _ in range(count):
        angle = rng.uniform(0, 2 * np.pi)
        point = np.array(impact, dtype=np.float64)
        for _ in range(int(rng.integers(3, 7))):
            angle += rng.normal(0, 0.35)
            step = rng.uniform(side / 10, side / 4)
            nxt = point + step * np.array([np.cos(angle), np.sin(angle)])
            shade = float(rng.choice([10.0, 250.0]))
            p0 = (int(point[0]), int(point[1]))
            p1 = (int(nxt[0]), int(nxt[1]))
            cv2.line(glass, p0, p1, shade, int(rng.integers(1, 4)), cv2.LINE_AA)
            point = nxt
    patch = max(4, side * count // 150)
    cv2.circle(glass, impact, patch, float(rng.integers(100, 200)), -1, cv2.LINE_AA)
    frame[y : y + side, x : x + side] = glass


def _moire(frame: np.ndarray, box: tuple[int, int, int], amplitude: float, rng: np.random.Generator) -> None:
    """The beat between the phone's pixel grid and the sensor's: slanted bands over the screen."""
    x, y, side = box
    period = rng.uniform(3.0, 9.0)
    angle = rng.uniform(0, np.pi)
    yy, xx = np.mgrid[0:side, 0:side]
    bands = 1.0 + amplitude * np.sin(2 * np.pi * (xx * np.cos(angle) + yy * np.sin(angle)) / period)
    region = frame[y : y + side, x : x + side]
    region *= bands[: region.shape[0], : region.shape[1]]


def _motion(frame: np.ndarray, length: float, rng: np.random.Generator) -> np.ndarray:
    size = max(3, int(np.ceil(length)) | 1)
    kernel = np.zeros((size, size), np.float32)
    cv2.line(kernel, (0, size // 2), (size - 1, size // 2), 1.0, 1)
    rotation = cv2.getRotationMatrix2D((size / 2 - 0.5, size / 2 - 0.5), rng.uniform(0, 180), length / size)
    kernel = cv2.warpAffine(kernel, rotation, (size, size))
    return cv2.filter2D(frame, -1, kernel / max(kernel.sum(), 1e-6))


def _defocus(frame: np.ndarray, radius: float) -> np.ndarray:
    size = int(np.ceil(radius)) * 2 + 1
    kernel = np.zeros((size, size), np.float32)
    cv2.circle(kernel, (size // 2, size // 2), round(radius), 1.0, -1, cv2.LINE_AA)
    return cv2.filter2D(frame, -1, kernel / kernel.sum())


def _jpeg(image: np.ndarray, quality: int) -> np.ndarray:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)


@dataclass(frozen=True, slots=True)
class Look:
    """How one frame is made: the phone, then the screen's defects, then the camera's."""

    px: float = 3.4
    dark: float = 25.0
    light: float = 235.0
    tilt: float = 0.0
    glare: float = 0.0  # blob radius as a share of the code's side
    cracks: int = 0
    moire: float = 0.0
    motion: float = 0.0  # px
    defocus: float = 0.0  # px radius
    noise: float = 3.0
    quality: int = 85  # the camera's MJPEG quality


def defect_look(defect: str, s: float, rng: np.random.Generator) -> Look:
    """The settings for `defect` at severity `s` (0..1); other settings stay those of a good frame."""
    px = float(rng.uniform(3.0, 4.0))
    if defect == "size":
        return Look(px=2.4 - 1.3 * s)
    if defect == "contrast":
        light = 150 - 90 * s
        return Look(px=px, light=light, dark=light - (60 - 48 * s))
    if defect == "glare":
        return Look(px=px, glare=0.08 + 0.22 * s)
    if defect == "motion":
        return Look(px=px, motion=2 + 12 * s)
    if defect == "defocus":
        return Look(px=px, defocus=1.5 + 4 * s)
    if defect == "tilt":
        return Look(px=px, tilt=35 + 40 * s)
    if defect == "jpeg":
        return Look(px=px, quality=round(20 - 18 * s))
    if defect == "noise":
        return Look(px=px, noise=12 + 48 * s)
    if defect == "moire":
        return Look(px=px, moire=0.25 + 0.5 * s)
    if defect == "inverted":
        return Look(px=2.6 - 1.3 * s, dark=225.0, light=30.0)
    if defect == "cracked":
        return Look(px=px, cracks=4 + round(14 * s))
    if defect == "combined":
        return Look(
            px=2.8 - 0.6 * s,
            glare=0.1 + 0.1 * s,
            motion=1.5 + 2 * s,
            noise=6 + 6 * s,
            quality=60 - int(30 * s),
        )
    raise ValueError(f"unknown defect class {defect!r}")


def render_frame(text: str, look: Look, rng: np.random.Generator) -> np.ndarray:
    frame = door_scene(rng)
    screen = _screen(_modules(text), look.px, dark=look.dark, light=look.light)
    phone = _phone(screen, look.light)
    mask = np.ones_like(phone)
    if look.tilt:
        phone, mask = _tilt(phone, look.tilt, rng)
    x, y = _paste(frame, phone, mask, rng)
    side = screen.shape[0]
    box = (x + (phone.shape[1] - side) // 2, y + (phone.shape[0] - side) // 2, side)
    if look.moire:
        _moire(frame, box, look.moire, rng)
    if look.glare:
        _glare(frame, box, look.glare, rng)
    if look.cracks:
        _cracks(frame, box, look.cracks, rng)
    # The lens never draws a module edge sharp.
    frame = cv2.GaussianBlur(frame, (0, 0), 0.7)
    if look.motion:
        frame = _motion(frame, look.motion, rng)
    if look.defocus:
        frame = _defocus(frame, look.defocus)
    frame += rng.normal(0.0, look.noise, frame.shape).astype(np.float32)
    return _jpeg(np.clip(frame, 0, 255).astype(np.uint8), look.quality)


def hard_frames(seed: int = SEED, per_class: int = FRAMES_PER_CLASS) -> list[HardFrame]:
    """`per_class` frames of every class in DEFECTS, mildest first, cycling through the pass texts."""
    texts = pass_texts(seed)
    rng = np.random.default_rng(seed)
    frames: list[HardFrame] = []
    for defect in DEFECTS:
        for i in range(per_class):
            severity = i / max(per_class - 1, 1)
            text = texts[i % len(texts)]
            look = defect_look(defect, severity, rng)
            frames.append(HardFrame(defect, severity, text, render_frame(text, look, rng)))
    return frames


def empty_frames(count: int, seed: int = SEED) -> list[np.ndarray]:
    """Door frames with nobody holding anything up: what the decoder sees most of the day."""
    rng = np.random.default_rng(seed + 1)
    frames = []
    for _ in range(count):
        frame = cv2.GaussianBlur(door_scene(rng), (0, 0), 0.7)
        frame += rng.normal(0.0, 3.0, frame.shape).astype(np.float32)
        frames.append(_jpeg(np.clip(frame, 0, 255).astype(np.uint8), 85))
    return frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, help="folder for the PNGs (default: a new temporary folder)")
    parser.add_argument("--per-class", type=int, default=FRAMES_PER_CLASS)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="hard-frames-"))
    out.mkdir(parents=True, exist_ok=True)
    frames = hard_frames(per_class=args.per_class)
    for i, frame in enumerate(frames):
        name = f"{frame.defect}-{i % args.per_class:02d}-s{frame.severity:.2f}.png"
        cv2.imwrite(str(out / name), frame.image)
    print(f"{len(frames)} frames ({len(DEFECTS)} classes x {args.per_class}, seed {SEED}) in {out}")


if __name__ == "__main__":
    main()
