"""What each keyboard-wedge scan becomes: a pass to verify, a notice for staff, or nothing. No Qt here.

After `WedgeAssembler` has cut the keys into scans:

- a pass typed in Korean mode or with Caps Lock is put back as it was meant when its
  format allows (`kiosk.passes.keyboard_layout.recovered`) and verified like any other;
- a text still in the wrong mode (a `KP1:` token, whose case cannot be recovered) is
  no visitor's fault: staff get the notice "Scanner is in Korean or Caps mode", and
  there is no visit and no deny sound;
- anything else that is not a pass is verified ("not a pass", as from the camera)
  until more than `FLOOD_SCANS` of them come within `FLOOD_WINDOW_S`: the scanner is
  then sending garbage. One notice, one warning in the log (counts only, never the
  text) and no visits until it has been quiet for `FLOOD_WINDOW_S`; passes in between
  still verify. Limiting scans, not keys, keeps real scanner bursts fast.

The camera path does not come here. `kiosk verify -` keeps one verdict per line.
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum

from kiosk.passes.decodes import whole_pass
from kiosk.passes.keyboard_layout import recovered, wrong_mode
from kiosk.ui.wedge import WedgeAssembler, WedgeTiming

log = logging.getLogger(__name__)

# A door queue sees a visitor every few seconds, and one showing the wrong code (a menu,
# a boarding pass) tries two or three times: more than 5 non-passes within 10 s is no
# queue, while a wedge typing garbage sends hundreds a second.
FLOOD_SCANS = 5
FLOOD_WINDOW_S = 10.0
# While the flood lasts its notice is renewed this often, so it never lapses on screen.
_REMIND_S = 1.0


class WedgeNotice(StrEnum):
    """What the wedge tells staff instead of a verdict (shown for a few seconds)."""

    WRONG_MODE = "wrong_mode"  # a scanner typing in Korean or Caps mode
    GARBAGE = "garbage"  # a scanner sending unreadable input without end


@dataclass(frozen=True, slots=True)
class WedgeOutcome:
    scans: tuple[str, ...] = field(default=(), repr=False)  # pass texts to verify, in order
    notice: WedgeNotice | None = None
    flood_started: bool = False  # the scanner was found sending garbage (audit it once)


_NOTHING = WedgeOutcome()


@dataclass(frozen=True, slots=True)
class FloodStep:
    """What to do with one non-pass scan."""

    verify: bool  # no flood: verify it like any scan
    notice: bool = False  # show (or renew) the garbage notice
    started: bool = False  # this scan started the flood


class FloodGuard:
    """Counts the wedge's non-pass scans; over the limit, suppresses them until quiet."""

    def __init__(self, limit: int = FLOOD_SCANS, window_s: float = FLOOD_WINDOW_S) -> None:
        self.limit, self.window_s = limit, window_s
        self._recent: deque[float] = deque()
        self._flood_since: float | None = None
        self._last = self._reminded = 0.0
        self.ignored = 0  # non-pass scans suppressed in the current flood

    @property
    def flooding(self) -> bool:
        return self._flood_since is not None

    def allow(self, at: float) -> FloodStep:
        """A non-pass scan at `at`: verify it, or (flooding) suppress it with a notice now and then."""
        self.tick(at)
        if self._flood_since is not None:
            self._last = at
            self.ignored += 1
            renew = at - self._reminded >= _REMIND_S
            if renew:
                self._reminded = at
            return FloodStep(verify=False, notice=renew)
        while self._recent and at - self._recent[0] > self.window_s:
            self._recent.popleft()
        self._recent.append(at)
        if len(self._recent) <= self.limit:
            return FloodStep(verify=True)
        self._flood_since = self._last = self._reminded = at
        self.ignored = 1
        log.warning(
            "the handheld scanner sent %d unreadable scans within %.0f s: ignoring them until it "
            "has been quiet for %.0f s",
            len(self._recent), self.window_s, self.window_s,
        )
        self._recent.clear()
        return FloodStep(verify=False, notice=True, started=True)

    def tick(self, now: float) -> None:
        if self._flood_since is not None and now - self._last >= self.window_s:
            log.info(
                "the handheld scanner is quiet again: %d unreadable scans ignored over %.0f s",
                self.ignored, self._last - self._flood_since,
            )
            self._flood_since = None


class WedgeInput:
    """The window's keyboard wedge: keys in, outcomes out."""

    def __init__(self, timing: WedgeTiming | None = None, guard: FloodGuard | None = None) -> None:
        self._keys = WedgeAssembler(timing)
        self.guard = guard or FloodGuard()

    @property
    def pending(self) -> bool:
        return self._keys.pending

    def key(self, char: str, at: float) -> WedgeOutcome:
        return self._route(self._keys.key(char, at), at)

    def tick(self, now: float) -> WedgeOutcome:
        self.guard.tick(now)
        return self._route(self._keys.tick(now), now)

    def _route(self, texts: tuple[str, ...], at: float) -> WedgeOutcome:
        if not texts:
            return _NOTHING
        scans: list[str] = []
        notice: WedgeNotice | None = None
        started = False
        for text in texts:
            meant = recovered(text)
            if whole_pass(meant):
                scans.append(meant)
            elif wrong_mode(text):
                notice = WedgeNotice.WRONG_MODE
            else:
                step = self.guard.allow(at)
                if step.verify:
                    scans.append(text)
                notice = WedgeNotice.GARBAGE if step.notice else notice
                started = started or step.started
        return WedgeOutcome(tuple(scans), notice, started)
