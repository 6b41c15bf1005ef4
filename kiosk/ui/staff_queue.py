"""The staff-check queue and the verdict history of the entrance screen, as values. No Qt here.

In an outage almost every visitor holding a token becomes a staff check, faster than
staff can answer. A check is therefore never cleared by time or by the next scan: it
waits in a `StaffQueue` until staff answer it (or set it aside on purpose), and the
screen lists what waits. `History` keeps the last few verdicts for the strip under
the screen, so a verdict replaced in a rush can still be read.

Privacy: entries hold a masked holder at most, and the last 4 characters of the
pass digest for a token (which names nobody, but tells two waiting visitors apart).
History entries are forgotten after `HISTORY_S`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kiosk.decision import Verdict, VerifiedBy

HISTORY_SIZE = 5
# Long enough to cover a rush at the door (5 verdicts), short enough that a masked name
# does not stay on a public screen through a quiet afternoon.
HISTORY_S = 120.0
TAIL_CHARS = 4


@dataclass(frozen=True, slots=True)
class Check:
    """A staff check waiting for an answer: which visit, and how staff tell the visitor apart."""

    visit_id: str
    wall_at: float  # wall time of the verdict (the time on the button)
    holder_masked: str | None
    pass_tail: str  # the last characters of the pass digest, for a token with no name


@dataclass(frozen=True, slots=True)
class StaffQueue:
    """The checks waiting, oldest first; `answering` holds those whose answer is being stored."""

    checks: tuple[Check, ...] = ()
    answering: frozenset[str] = frozenset()

    def __len__(self) -> int:
        return len(self.checks)

    def get(self, visit_id: str | None) -> Check | None:
        return next((c for c in self.checks if c.visit_id == visit_id), None)

    def add(self, check: Check) -> StaffQueue:
        if self.get(check.visit_id) is not None:
            return self  # the same visit shown again (cooldown): still one check
        return replace(self, checks=(*self.checks, check))

    def begin(self, visit_id: str) -> StaffQueue:
        """An answer is being stored: its buttons wait, so a double tap sends one answer."""
        return replace(self, answering=self.answering | {visit_id})

    def failed(self, visit_id: str) -> StaffQueue:
        """The answer could not be stored: the check can be answered again."""
        return replace(self, answering=self.answering - {visit_id})

    def without(self, visit_id: str) -> StaffQueue:
        checks = tuple(c for c in self.checks if c.visit_id != visit_id)
        return StaffQueue(checks, self.answering - {visit_id})

    def is_answering(self, visit_id: str) -> bool:
        return visit_id in self.answering


@dataclass(frozen=True, slots=True)
class Past:
    """One verdict in the history strip: the symbol, the time, the masked holder."""

    verdict: Verdict
    wall_at: float
    holder_masked: str | None
    verified_by: VerifiedBy
    at: float  # monotonic, for forgetting it


def remember(history: tuple[Past, ...], past: Past) -> tuple[Past, ...]:
    """The newest first, at most HISTORY_SIZE."""
    return (past, *history)[:HISTORY_SIZE]


def fresh_history(history: tuple[Past, ...], now: float) -> tuple[Past, ...]:
    kept = tuple(p for p in history if now - p.at < HISTORY_S)
    return history if len(kept) == len(history) else kept
