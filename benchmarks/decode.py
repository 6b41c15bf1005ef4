"""QR decode figures: corpus decode rate and cost of an empty 720p frame, zxing-cpp vs OpenCV.

Run from the repo root: `.venv/bin/python benchmarks/decode.py [--frames N]`. Prints
figures only; the DCC corpus is read from ../shared/testdata/dgc when present.
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from kiosk.camera.decoder import QrDecoder
from kiosk.camera.images import decode_image_data, to_gray

DGC_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "testdata" / "dgc"


def corpus_images() -> list[tuple[np.ndarray, str]]:
    """(grayscale image, expected text) for every corpus picture expected to decode."""
    images: list[tuple[np.ndarray, str]] = []
    for file in sorted(DGC_DIR.glob("*/2DCode/raw/*.json")):
        case = json.loads(file.read_text(encoding="utf-8"))
        if "2DCODE" not in case or not case.get("EXPECTEDRESULTS", {}).get("EXPECTEDPICTUREDECODE"):
            continue
        data = np.frombuffer(base64.b64decode(case["2DCODE"]), dtype=np.uint8)
        images.append((to_gray(decode_image_data(data, file.name)), case["PREFIX"]))
    return images


def scene(rng: np.random.Generator, width: int = 1280, height: int = 720) -> np.ndarray:
    """A webcam-like frame without a QR: lighting gradient, cluttered shapes, sensor noise."""
    y, x = np.mgrid[0:height, 0:width]
    frame = (70 + 90 * x / width + 40 * y / height).astype(np.float32)
    for _ in range(40):
        x0, y0 = int(rng.integers(0, width)), int(rng.integers(0, height))
        frame[y0 : y0 + int(rng.integers(20, 200)), x0 : x0 + int(rng.integers(20, 300))] = float(
            rng.integers(0, 256)
        )
    frame += rng.normal(0.0, 6.0, frame.shape)
    return np.clip(frame, 0, 255).astype(np.uint8)


def opencv_decoder() -> Callable[[np.ndarray], list[str]]:
    detector = cv2.QRCodeDetector()

    def decode(gray: np.ndarray) -> list[str]:
        try:
            text, _points, _straight = detector.detectAndDecode(gray)
        except cv2.error:  # OpenCV's detector raises on some encodings
            return []
        return [text] if text else []

    return decode


Decode = Callable[[np.ndarray], list[str]]


def timed(decode: Decode, images: list[np.ndarray]) -> tuple[list[list[str]], float]:
    """Results and median milliseconds per image."""
    results, times = [], []
    for image in images:
        started = time.perf_counter()
        results.append(decode(image))
        times.append((time.perf_counter() - started) * 1000.0)
    return results, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frames", type=int, default=40, help="empty 1280x720 frames to time")
    args = parser.parse_args()

    zxing = QrDecoder()
    decoders: dict[str, Callable[[np.ndarray], list[str]]] = {
        "zxing-cpp (first pass)": lambda g: list(zxing.scan(g, retry=False).texts),
        "zxing-cpp (+ retry, still image)": zxing.decode,
        "opencv QRCodeDetector": opencv_decoder(),
    }

    print(f"decoder backend: {zxing.backend.name}; opencv {cv2.__version__}")
    if DGC_DIR.is_dir():
        corpus = corpus_images()
        print(f"\nDCC corpus pictures expected to decode: {len(corpus)}")
        for name, decode in decoders.items():
            results, median_ms = timed(decode, [image for image, _ in corpus])
            hits = sum(expected in found for found, (_, expected) in zip(results, corpus, strict=True))
            print(f"  {name:34s} {hits:4d}/{len(corpus)} decoded   median {median_ms:6.2f} ms/image")
    else:
        print(f"\nDCC corpus not found at {DGC_DIR}: corpus figures skipped")

    rng = np.random.default_rng(2026)
    frames = [scene(rng) for _ in range(args.frames)]
    print(f"\n1280x720 frames without a QR code: {len(frames)}")
    per_frame: dict[str, float] = {}
    stream = QrDecoder()
    decoders_720p: dict[str, Callable[[np.ndarray], list[str]]] = {
        "zxing-cpp (first pass)": decoders["zxing-cpp (first pass)"],
        "zxing-cpp (stream, retry every 4th)": stream.decode_frame,
        "zxing-cpp (+ retry, still image)": zxing.decode,
        "opencv QRCodeDetector": decoders["opencv QRCodeDetector"],
    }
    for name, decode in decoders_720p.items():
        # Mean, not median: the stream decoder's periodic retry frames are the point.
        started = time.perf_counter()
        false_hits = sum(bool(decode(frame)) for frame in frames)
        per_frame[name] = (time.perf_counter() - started) * 1000.0 / len(frames)
        print(f"  {name:36s} {per_frame[name]:6.2f} ms/frame (mean)   false detections {false_hits}")
    ratio = per_frame["opencv QRCodeDetector"] / per_frame["zxing-cpp (first pass)"]
    print(f"\nopencv / zxing-cpp time per empty frame: {ratio:.1f}x")


if __name__ == "__main__":
    main()
