"""SMART Health Card QR texts: `shc:/` + numeric encoding, and chunked cards (`shc:/C/N/…`).

Numeric encoding (SHC "Encoding QRs"): each JWS character `c` is the two digits of
`ord(c) - 45`. The compact-JWS alphabet runs from `-` (45) to `z` (122), so a pair
above 77 is not a character of any card.

Chunking (deprecated by the specification in 2022, still printed on cards of
2021): a JWS too long for one QR is split into N chunks, each `shc:/C/N/<digits>`,
to be scanned in any order. `ChunkCollector` is the pure value the window and the
command line use to gather them ("scan part 2 of 3"); it holds no Qt and no clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.passes.model import Stage

PREFIX = "shc:/"
# A card of 2021 needed at most a handful of V22 QR codes; more is not a card.
MAX_CHUNKS = 16
MAX_INPUT_CHARS = 16 * 1024
_MAX_PAIR = ord("z") - 45
_CHUNKED = re.compile(r"([1-9][0-9]{0,2})/([1-9][0-9]{0,2})/(.*)", re.DOTALL)
_DIGITS = re.compile(r"[0-9]+")


class QrError(ValueError):
    def __init__(self, stage: Stage, detail: str) -> None:
        super().__init__(detail)
        self.stage = stage
        self.detail = detail


@dataclass(frozen=True, slots=True)
class ShcChunk:
    """One scanned QR of a card: part `index` (1-based) of `total`, still numerically encoded."""

    index: int
    total: int
    digits: str

    @property
    def whole(self) -> bool:
        return self.total == 1


def parse_qr(text: str) -> ShcChunk:
    """Split a `shc:/` QR text into its chunk position and digits; QrError when malformed."""
    if len(text) > MAX_INPUT_CHARS:
        raise QrError(Stage.PREFIX, f"input longer than {MAX_INPUT_CHARS} characters")
    body = text.strip()
    if not body.startswith(PREFIX):
        raise QrError(Stage.PREFIX, "missing shc:/ prefix")
    rest = body[len(PREFIX) :]
    index = total = 1
    if "/" in rest:
        match = _CHUNKED.fullmatch(rest)
        if match is None:
            raise QrError(Stage.CHUNKS, "chunk position is not C/N/ with 1 <= C <= N")
        index, total, rest = int(match[1]), int(match[2]), match[3]
        if not 1 <= index <= total:
            raise QrError(Stage.CHUNKS, "chunk index out of range")
        if total > MAX_CHUNKS:
            raise QrError(Stage.CHUNKS, f"more than {MAX_CHUNKS} chunks")
    if not _DIGITS.fullmatch(rest) or len(rest) % 2:
        raise QrError(Stage.NUMERIC, "not an even number of digits")
    return ShcChunk(index, total, rest)


def decode_numeric(digits: str) -> str:
    """The JWS characters of a numeric segment; QrError for a pair that is no JWS character."""
    chars = []
    for i in range(0, len(digits), 2):
        value = int(digits[i : i + 2])
        if value > _MAX_PAIR:
            raise QrError(Stage.NUMERIC, "digit pair outside the JWS alphabet")
        chars.append(chr(value + 45))
    return "".join(chars)


def encode_numeric(jws: str) -> str:
    """The numeric segment of a JWS (the issuing side; simulator and tests)."""
    return "".join(f"{ord(c) - 45:02d}" for c in jws)


class ChunkMismatch(ValueError):
    """A chunk that cannot belong to the card being collected."""


@dataclass(frozen=True, slots=True)
class ChunkCollector:
    """The chunks of one card scanned so far, in any order. Immutable: `add` returns a new one."""

    total: int = 0  # 0 until the first chunk
    parts: tuple[tuple[int, str], ...] = ()  # (index, digits), sorted by index

    def add(self, chunk: ShcChunk) -> ChunkCollector:
        """With `chunk` added; ChunkMismatch when it belongs to another card or repeats a part
        with other content. Scanning the same part twice is harmless."""
        if self.total and chunk.total != self.total:
            raise ChunkMismatch(f"a part of {chunk.total} cannot belong to a card of {self.total} parts")
        have = dict(self.parts)
        if chunk.index in have:
            if have[chunk.index] != chunk.digits:
                raise ChunkMismatch(f"part {chunk.index} scanned twice with different content")
            return self
        have[chunk.index] = chunk.digits
        return ChunkCollector(chunk.total, tuple(sorted(have.items())))

    @property
    def scanned(self) -> tuple[int, ...]:
        return tuple(index for index, _ in self.parts)

    @property
    def missing(self) -> tuple[int, ...]:
        have = set(self.scanned)
        return tuple(i for i in range(1, self.total + 1) if i not in have)

    @property
    def next_part(self) -> int | None:
        """The part to ask for next ("scan part 2 of 3"); None once complete or before any chunk."""
        missing = self.missing
        return missing[0] if missing else None

    @property
    def complete(self) -> bool:
        return self.total > 0 and not self.missing

    def text(self) -> str:
        """The whole card as one `shc:/` text; ValueError while parts are missing."""
        if not self.complete:
            raise ValueError(f"parts {', '.join(map(str, self.missing))} of {self.total} are missing")
        return PREFIX + "".join(digits for _, digits in self.parts)


def missing_message(collector: ChunkCollector) -> str:
    """'part 1 of 3 scanned; parts 2, 3 missing' (English, for the command line and details)."""
    scanned = ", ".join(map(str, collector.scanned))
    missing = ", ".join(map(str, collector.missing))
    noun = "part" if len(collector.scanned) == 1 else "parts"
    gone = "part" if len(collector.missing) == 1 else "parts"
    return f"{noun} {scanned} of {collector.total} scanned; {gone} {missing} missing"
