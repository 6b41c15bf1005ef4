"""The lunch queue: who comes to the door, with what, and how long the people take.

The mix of issue 21's outage: 40 % hold an opaque check-in token (`KP1:`), 40 % have
no scannable pass (a paper certificate, a sticker, a blank app screen), 20 % a signed
pass (a DCC). Every human time is drawn here from one seeded rng, so a run repeats.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from kiosk.pass_hash import pass_hash

TOKEN_SHARE = 0.4
NO_PASS_SHARE = 0.4
STAFF_DELAY_S = (1.0, 4.0)  # staff look, decide and reach the button
STEP_UP_S = (1.0, 2.0)  # the next visitor steps up and holds the pass out
ADMIT_SHARE = 0.9  # staff admit most visitors they check; the rest are refused


class Kind(StrEnum):
    TOKEN = "token"
    NO_PASS = "no pass"
    SIGNED = "signed"


@dataclass(frozen=True, slots=True)
class Visitor:
    index: int
    kind: Kind
    text: str = field(repr=False)  # the pass's QR text ("" with no pass): memory only
    step_up_s: float
    staff_delay_s: float
    admit: bool  # what staff answer if the visitor becomes a staff check

    @property
    def digest(self) -> str:
        return pass_hash(self.text) if self.text else ""


def kinds(count: int, rng: random.Random) -> list[Kind]:
    """Exactly the issue's shares (rounded), in a seeded order."""
    tokens, no_pass = round(count * TOKEN_SHARE), round(count * NO_PASS_SHARE)
    mix = [Kind.TOKEN] * tokens + [Kind.NO_PASS] * no_pass + [Kind.SIGNED] * (count - tokens - no_pass)
    rng.shuffle(mix)
    return mix


def make_visitors(count: int, rng: random.Random, issue: Callable[[Kind, int], str]) -> list[Visitor]:
    """`issue(kind, index)`: the pass text the upstream simulator issued for that visitor."""
    return [
        Visitor(
            index=i,
            kind=kind,
            text="" if kind is Kind.NO_PASS else issue(kind, i),
            step_up_s=rng.uniform(*STEP_UP_S),
            staff_delay_s=rng.uniform(*STAFF_DELAY_S),
            admit=rng.random() < ADMIT_SHARE,
        )
        for i, kind in enumerate(kinds(count, rng))
    ]
