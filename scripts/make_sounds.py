"""Synthesize the kiosk's three verdict sounds into kiosk/assets/sounds/ (16-bit PCM mono WAV).

    python scripts/make_sounds.py [--out DIR]

The sounds are made here, not downloaded, so their licence is the project's and they can
be tuned in code. Each one must be told apart by ear across a busy entrance without
looking at the screen:

- admit: a rising two-tone chime (E5 then A5, bell-like partials): "yes" in most kiosk
  and payment terminals.
- deny:  two buzzy, falling tones (B4 then G#4, odd harmonics): unmistakably "no",
  yet not an alarm that startles the queue. Both at or above 400 Hz: a tablet's small
  speaker hardly plays anything lower, and the "no" must be heard at the door.
- check: a double beep (C6, short): "staff, look here", neither yes nor no.

Every note has a raised-cosine attack and release (no click at its edges) and the file
starts and ends on silence. The output is deterministic: running the script again gives
byte-identical files, so a test can prove the committed WAVs come from this script.
Only the standard library is used (wave, math, struct).
"""

from __future__ import annotations

import argparse
import math
import struct
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

RATE = 44_100  # Hz: what QSoundEffect plays without resampling on common devices
PEAK = 0.7  # of full scale (-3 dBFS): loud enough, never clipping after summing partials
FADE_S = 0.008  # attack/release: long enough to avoid a click, short enough to stay crisp

OUT_DEFAULT = Path(__file__).resolve().parent.parent / "kiosk" / "assets" / "sounds"


@dataclass(frozen=True, slots=True)
class Note:
    start_s: float
    length_s: float
    freq_hz: float
    partials: Sequence[tuple[int, float]]  # (harmonic number, relative amplitude)
    decay_per_s: float  # exponential decay rate: a bell rings out, a buzz holds


CHIME = ((1, 1.0), (2, 0.35), (3, 0.12))  # bell-like: strong fundamental, soft overtones
BUZZ = ((1, 1.0), (3, 0.4), (5, 0.18))  # odd harmonics: a softened square wave
BEEP = ((1, 1.0), (3, 0.08))  # nearly pure: a plain electronic beep

SOUNDS: dict[str, tuple[Note, ...]] = {
    "admit": (
        Note(0.00, 0.22, 659.25, CHIME, 6.0),
        Note(0.14, 0.36, 880.00, CHIME, 5.0),
    ),
    "deny": (
        Note(0.00, 0.20, 493.88, BUZZ, 1.5),
        Note(0.22, 0.26, 415.30, BUZZ, 1.5),
    ),
    "check": (
        Note(0.00, 0.11, 1046.50, BEEP, 0.0),
        Note(0.19, 0.12, 1046.50, BEEP, 0.0),
    ),
}


def _envelope(t: float, length: float, decay: float) -> float:
    fade = min(FADE_S, length / 2)
    if t < fade:
        edge = 0.5 - 0.5 * math.cos(math.pi * t / fade)
    elif t > length - fade:
        edge = 0.5 - 0.5 * math.cos(math.pi * (length - t) / fade)
    else:
        edge = 1.0
    return edge * math.exp(-decay * t)


def render(notes: Sequence[Note]) -> list[float]:
    """Mix the notes into samples in [-PEAK, PEAK]."""
    end = max(n.start_s + n.length_s for n in notes)
    total = round(end * RATE) + 1
    mix = [0.0] * total
    for note in notes:
        first = round(note.start_s * RATE)
        count = round(note.length_s * RATE)
        norm = sum(amp for _, amp in note.partials)
        for i in range(count):
            t = i / RATE
            wave_value = sum(
                amp * math.sin(2 * math.pi * note.freq_hz * harmonic * t) for harmonic, amp in note.partials
            )
            mix[first + i] += wave_value / norm * _envelope(t, note.length_s, note.decay_per_s)
    loudest = max(abs(v) for v in mix) or 1.0
    return [v / loudest * PEAK for v in mix]


def write_wav(path: Path, samples: Sequence[float]) -> None:
    frames = b"".join(struct.pack("<h", round(v * 32767)) for v in samples)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)


def make_all(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, notes in SOUNDS.items():
        path = out / f"{name}.wav"
        write_wav(path, render(notes))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DEFAULT, help="folder for the WAV files")
    args = parser.parse_args(argv)
    for path in make_all(args.out):
        print(path.name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
