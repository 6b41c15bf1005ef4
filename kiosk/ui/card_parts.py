"""A chunked SMART Health Card being scanned at the door, as a value. No Qt here.

A card of 2021 too long for one QR code was printed as N codes `shc:/C/N/…`, to be
scanned in any order. The screen model keeps one `CardInProgress` while parts are
missing ("scan part 2 of 3"); `add_part` folds a scanned part in and says whether
the card is now whole. The parts are pass text, so they stay out of every repr and
comparison and live only until the card is whole, abandoned or timed out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from kiosk.passes.shc_qr import PREFIX, ChunkCollector, ChunkMismatch, QrError, ShcChunk, parse_qr


class CardNotice(StrEnum):
    """Why a chunked card being scanned was dropped (shown for a few seconds)."""

    TIMED_OUT = "timed_out"  # the other parts did not come in time
    RESTARTED = "restarted"  # a part of another card came: collecting that one now


@dataclass(frozen=True, slots=True)
class CardInProgress:
    """The parts of one chunked card scanned so far."""

    collector: ChunkCollector = field(repr=False, compare=False)  # pass text: memory only
    parts: tuple[str, ...]  # digests of the scanned QR texts (to repeat a verdict, never text)
    total: int
    scanned: tuple[int, ...]
    last_at: float  # monotonic time of the last new part

    @property
    def next_part(self) -> int | None:
        return self.collector.next_part


@dataclass(frozen=True, slots=True)
class PartAdded:
    card: CardInProgress  # with the part; complete when `whole_text` is set
    restarted: bool  # the part belonged to another card: the earlier parts were dropped
    whole_text: str | None = field(default=None, repr=False)  # the assembled `shc:/` text


def chunk_of(text: str) -> ShcChunk | None:
    """The position of a `shc:/C/N/` QR of N > 1 parts; None for anything else."""
    if not text.startswith(PREFIX):
        return None
    try:
        chunk = parse_qr(text)
    except QrError:
        return None  # a malformed card goes to the engine, which says what is wrong with it
    return None if chunk.whole else chunk


def add_part(card: CardInProgress | None, chunk: ShcChunk, digest: str, at: float) -> PartAdded:
    """`card` with one more scanned part. A part seen before does not extend the timeout:
    a visitor holding up part 1 for a minute has still not shown part 2."""
    restarted = False
    try:
        collector = (card.collector if card else ChunkCollector()).add(chunk)
        parts = card.parts if card else ()
    except ChunkMismatch:
        # Someone else's card, or the visitor's other card: start again from this part.
        collector, parts, restarted = ChunkCollector().add(chunk), (), True
    new_part = card is None or restarted or collector != card.collector
    if digest not in parts:
        parts = (*parts, digest)
    last_at = at if new_part or card is None else card.last_at
    progress = CardInProgress(collector, parts, collector.total, collector.scanned, last_at)
    return PartAdded(progress, restarted, collector.text() if collector.complete else None)
