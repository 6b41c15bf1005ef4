"""The keyboard wedge's keys assembled into scans, by their timing alone. No Qt here.

A handheld scanner types a pass as keys, a few milliseconds apart, then Enter, CR+LF,
Tab or nothing (as it was set up). `WedgeAssembler` is fed each key with its
monotonic time and a `tick` now and then, and returns the scans completed:

- Enter, line feed or Tab end a scan at once; a burst with nothing after it ends
  `end_s` after its last key, so no scan waits long;
- a longer pause (a Bluetooth scanner stalling) is bridged, up to `stall_s`, only
  while the text so far is the start of a pass that does not decode yet;
- a person typing is not a scanner: a text shorter than `min_chars`, or whose keys
  came further apart than `max_key_gap_s` (the median), is dropped.

The texts returned are pass text: they are handed on, never kept or logged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from statistics import median

from kiosk.config import UiConfig
from kiosk.passes.decodes import incomplete_pass

ENTER = "\r"
LINE_FEED = "\n"
TAB = "\t"
_ENDS = frozenset((ENTER, LINE_FEED, TAB))
# A QR code holds at most 4,296 characters; more is no scanner's pass.
MAX_CHARS = 8192


@dataclass(frozen=True, slots=True)
class WedgeTiming:
    end_s: float = 0.150
    stall_s: float = 1.0
    max_key_gap_s: float = 0.050
    min_chars: int = 8

    @classmethod
    def from_config(cls, ui: UiConfig) -> WedgeTiming:
        return cls(
            ui.wedge_end_ms / 1000,
            ui.wedge_stall_ms / 1000,
            ui.wedge_max_key_gap_ms / 1000,
            ui.wedge_min_chars,
        )


class WedgeAssembler:
    def __init__(
        self, timing: WedgeTiming | None = None, *, incomplete: Callable[[str], bool] = incomplete_pass
    ) -> None:
        """`incomplete`: is this text the start of a pass (worth waiting for across a stall)?"""
        self._timing = timing or WedgeTiming()
        self._incomplete = incomplete
        self._chars: list[str] = []
        self._times: list[float] = []

    @property
    def pending(self) -> bool:
        """Keys are waiting for the end of their scan (a tick may end it)."""
        return bool(self._times)

    def key(self, char: str, at: float) -> tuple[str, ...]:
        """One key's character (Enter as "\\r", Tab as "\\t") typed at monotonic `at`."""
        done = self.tick(at)
        if char in _ENDS:
            return (*done, *self._finish())
        if len(self._chars) < MAX_CHARS:
            self._chars.append(char)
        self._times.append(at)
        return done

    def tick(self, now: float) -> tuple[str, ...]:
        """The scan that ended by `now` for want of more keys, if one did."""
        if not self._times:
            return ()
        quiet = now - self._times[-1]
        if quiet <= self._timing.end_s:
            return ()
        if quiet <= self._timing.stall_s and self._incomplete("".join(self._chars)):
            return ()
        return self._finish()

    def _finish(self) -> tuple[str, ...]:
        text, times = "".join(self._chars), self._times
        self._chars, self._times = [], []
        gaps = [b - a for a, b in pairwise(times)]
        scanner = not gaps or median(gaps) <= self._timing.max_key_gap_s
        if len(text) < self._timing.min_chars or not scanner or not text.strip():
            return ()
        return (text,)
