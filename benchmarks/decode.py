"""QR decode figures: the DCC corpus, hard door frames per defect class and variant, idle cost, hints.

Run from the repo root: `.venv/bin/python benchmarks/decode.py [--per-class N] [--frames N]`.
Prints figures only. The DCC corpus is read from ../shared/testdata/dgc when present; the
hard frames come from `benchmarks/hard_frames.py` (seeded), the hints are judged on frames
of another seed than the one their thresholds were chosen on (`--tuning`: on that one).
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
from hard_frames import (
    DEFECTS,
    FRAMES_PER_CLASS,
    SEED,
    HardFrame,
    Look,
    empty_frames,
    hard_frames,
    pass_texts,
    render_frame,
)

from kiosk.camera.decoder import (
    SECOND_DECODER_IMAGES,
    DecoderSettings,
    PyzbarBackend,
    QrDecoder,
    ZxingBackend,
)
from kiosk.camera.hints import EvidenceWindow, Hint
from kiosk.camera.images import decode_image_data, to_gray
from kiosk.camera.variants import VARIANTS

DGC_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "testdata" / "dgc"
# The pipeline before the guide variants: the first pass, then sharpened, then the whole frame 2x.
BEFORE = DecoderSettings(retry_every_n_frames=4, retries=("sharpened", "upscaled"))
HELD_OUT_SEED = SEED + 1000
DARKER_SEED = SEED + 2000
FPS = 30

Decode = Callable[[np.ndarray], list[str]]


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


def opencv_decoder() -> Decode:
    detector = cv2.QRCodeDetector()

    def decode(gray: np.ndarray) -> list[str]:
        try:
            text, _points, _straight = detector.detectAndDecode(gray)
        except cv2.error:  # OpenCV's detector raises on some encodings
            return []
        return [text] if text else []

    return decode


def timed(decode: Decode, images: list[np.ndarray]) -> tuple[list[list[str]], list[float]]:
    """Results and milliseconds per image."""
    results, times = [], []
    for image in images:
        started = time.perf_counter()
        results.append(decode(image))
        times.append((time.perf_counter() - started) * 1000.0)
    return results, times


def corpus_figures() -> None:
    if not DGC_DIR.is_dir():
        print(f"\nDCC corpus not found at {DGC_DIR}: corpus figures skipped")
        return
    zxing = QrDecoder()
    decoders: dict[str, Decode] = {
        "zxing-cpp (first pass)": lambda g: list(zxing.scan(g, retry_variants=()).texts),
        "zxing-cpp (+ retry, still image)": zxing.decode,
        "opencv QRCodeDetector": opencv_decoder(),
    }
    corpus = corpus_images()
    print(f"\nDCC corpus pictures expected to decode: {len(corpus)}")
    for name, decode in decoders.items():
        results, times = timed(decode, [image for image, _ in corpus])
        hits = sum(expected in found for found, (_, expected) in zip(results, corpus, strict=True))
        median = statistics.median(times)
        print(f"  {name:34s} {hits:4d}/{len(corpus)} decoded   median {median:6.2f} ms/image")


def variant_decoders() -> dict[str, Decode]:
    """Each variant alone: the plain frame, each retry image, and pyzbar on its images of the guide."""
    zxing = ZxingBackend()

    def reading(make: Callable[[np.ndarray], np.ndarray], backend: ZxingBackend | PyzbarBackend) -> Decode:
        def decode(gray: np.ndarray) -> list[str]:
            codes = backend.read(make(gray))
            return [code.text or code.data.decode("latin-1") for code in codes if not code.error]

        return decode

    decoders = {"original": reading(lambda g: g, zxing)}
    decoders.update({name: reading(make, zxing) for name, (make, _, _) in VARIANTS.items()})
    try:
        pyzbar = PyzbarBackend()
        decoders.update({name: reading(make, pyzbar) for name, (make, _) in SECOND_DECODER_IMAGES.items()})
    except ImportError:
        print("  (pyzbar is not installed: its row is left out)")
    return decoders


def hard_frame_figures(frames: list[HardFrame], seed: int) -> None:
    print(f"\nHard door frames (seed {seed}): reads per defect class of {len(frames) // len(DEFECTS)}")
    header = "  " + f"{'variant':26s}" + "".join(f"{d[:8]:>9s}" for d in DEFECTS) + "   ms/frame (median)"
    print(header)
    read: dict[str, list[bool]] = {}
    for name, decode in variant_decoders().items():
        results, times = timed(decode, [f.image for f in frames])
        read[name] = [f.text in found for f, found in zip(frames, results, strict=True)]
        _row(name, frames, read[name], statistics.median(times))
    # A pass held in the guide meets every retry variant within a few frames: it is read
    # when any variant of its pipeline reads it.
    pipelines = {
        "before: + sharpened, 2x": ("original", *BEFORE.retries),
        "now: stream chain": ("original", *DecoderSettings().retries),
        "now without pyzbar": (
            "original",
            *(v for v in DecoderSettings().retries if v not in SECOND_DECODER_IMAGES),
        ),
    }
    for name, parts in pipelines.items():
        if all(part in read for part in parts):
            hits = [any(read[part][i] for part in parts) for i in range(len(frames))]
            _row(name, frames, hits, None)


def _row(name: str, frames: list[HardFrame], hits: list[bool], median_ms: float | None) -> None:
    per_class = Counter(f.defect for f, hit in zip(frames, hits, strict=True) if hit)
    cost = f"{median_ms:8.2f}" if median_ms is not None else ""
    print("  " + f"{name:26s}" + "".join(f"{per_class[d]:9d}" for d in DEFECTS) + f"   {cost}")


def idle_figures(count: int) -> None:
    frames = empty_frames(count)
    print(f"\n1280x720 door frames without a QR code: {len(frames)}")
    plain = QrDecoder()
    decoders: dict[str, Decode] = {
        "first pass + evidence": lambda g: list(plain.scan(g, retry_variants=()).texts),
        "stream, now (retry every 3rd)": QrDecoder().decode_frame,
        "stream, before (every 4th)": QrDecoder(BEFORE).decode_frame,
        "still image (every retry)": QrDecoder().decode,
        "opencv QRCodeDetector": opencv_decoder(),
    }
    for name, decode in decoders.items():
        results, times = timed(decode, frames)
        false_hits = sum(bool(found) for found in results)
        print(
            f"  {name:32s} median {statistics.median(times):6.2f}  mean {statistics.mean(times):6.2f}"
            f"  p95 {np.percentile(times, 95):6.2f} ms/frame   false detections {false_hits}"
        )


def darker_screens(per_step: int, seed: int = DARKER_SEED) -> list[HardFrame]:
    """Screens dimmer than the contrast class's dimmest (white at 60, 12 levels above black).

    The retry chain reads every screen of that class before a hint is due, so the "brighter"
    hint is judged on these: white at 30-60, black 5-11 levels below it.
    """
    texts = pass_texts(seed)
    rng = np.random.default_rng(seed)
    frames = []
    for light in (30.0, 40.0, 50.0, 60.0):
        for levels in (5.0, 8.0, 11.0):
            for i in range(per_step):
                look = Look(px=float(rng.uniform(3.0, 4.0)), light=light, dark=light - levels)
                text = texts[i % len(texts)]
                frames.append(HardFrame("contrast", 1.0, text, render_frame(text, look, rng)))
    return frames


def hint_figures(frames: list[HardFrame], idle: list[np.ndarray], window_frames: int, title: str) -> None:
    """Each frame held for `window_frames` camera frames: the hint shown if it is still unread then."""
    given: dict[str, Counter[str]] = defaultdict(Counter)
    unread: Counter[str] = Counter()
    cases = [(f.defect, f.image) for f in frames] + [("empty", image) for image in idle]
    for defect, image in cases:
        decoder, window = QrDecoder(), EvidenceWindow()
        for i in range(window_frames):
            result = decoder.scan_frame(image)
            window.add(i / FPS, result.evidence)
            if result.texts:
                break
        else:
            unread[defect] += 1
            hint = window.hint()
            given[defect][str(hint) if hint else "-"] += 1
    print(f"\nHints on {title}, each held {window_frames / FPS:.1f} s unread")
    hints = "".join(f"{h.value:>9s}" for h in Hint)
    print("  " + f"{'class (its right hint)':28s}{'unread':>7s}" + hints + "     none")
    labels = {f.defect: f.hint for f in frames}
    for defect in (*DEFECTS, "empty"):
        if unread[defect]:
            counts = given[defect]
            right = labels.get(defect) or "none"
            print(
                "  " + f"{defect + ' (' + right + ')':28s}{unread[defect]:7d}"
                + "".join(f"{counts[h.value]:9d}" for h in Hint) + f"{counts['-']:9d}"
            )
    print("  precision per hint (combined frames, with several defects at once, left out):")
    for hint in Hint:
        shown = sum(given[d][hint.value] for d in given if d != "combined")
        right = sum(given[d][hint.value] for d in given if d != "combined" and labels.get(d) == hint.value)
        share = f"{100 * right / shown:5.1f} %" if shown else "  never shown"
        print(f"    {hint.value:9s} {right:3d}/{shown:<3d} {share}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--per-class", type=int, default=FRAMES_PER_CLASS, help="hard frames per defect class"
    )
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the hard frames (not of the hints)")
    parser.add_argument("--frames", type=int, default=40, help="empty 1280x720 frames to time")
    parser.add_argument("--hint-per-class", type=int, default=40, help="held-out frames per class for hints")
    parser.add_argument(
        "--darker-per-step", type=int, default=3, help="darker screens per step of brightness and contrast"
    )
    parser.add_argument("--hold", type=float, default=1.5, help="seconds a pass is held for its hint")
    parser.add_argument("--hints-only", action="store_true", help="print the hint figures only")
    parser.add_argument(
        "--tuning", action="store_true", help=f"judge the hints on seed {SEED}, where they were set"
    )
    args = parser.parse_args()
    print(f"decoder backend: {QrDecoder().backend.name}; opencv {cv2.__version__}")
    if not args.hints_only:
        corpus_figures()
        hard_frame_figures(hard_frames(seed=args.seed, per_class=args.per_class), args.seed)
        idle_figures(args.frames)
    labelled, darker_seed = (SEED, SEED) if args.tuning else (HELD_OUT_SEED, DARKER_SEED)
    frames = hard_frames(seed=labelled, per_class=args.hint_per_class)
    window = round(args.hold * FPS)
    idle = empty_frames(10, seed=labelled)
    kind = "tuning" if args.tuning else "held-out"
    hint_figures(frames, idle, window, f"{kind} frames (seed {labelled})")
    darker = f"screens darker than the contrast class (seed {darker_seed})"
    hint_figures(darker_screens(args.darker_per_step, seed=darker_seed), [], window, darker)


if __name__ == "__main__":
    main()
