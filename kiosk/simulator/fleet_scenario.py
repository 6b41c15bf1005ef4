"""The lunch-hour scenario of the fleet simulation: timeline, scan arrivals, pass texts.

All times are virtual seconds from the start of the scenario. Phases scale with the
base length `minutes` (u), so a short test run keeps the shape of the full one:
surge from 0.2u, partial capacity from 0.3u, the outage from 0.4u for `outage_minutes`
(0.2u by default), partial capacity for 0.1u after it, then 0.3u of surge and quiet.
At the default 150 minutes the outage lasts exactly 30 minutes; a longer outage
lengthens the scenario instead of squeezing the rest. With `flap_minutes` the outage
window alternates down and up every that many minutes (down first). After the lunch,
`quiet_hours` of 0.2 scans per kiosk per minute at full capacity may follow. With
`morning_start` every kiosk starts within the first 10 minutes (the start-of-day
storm); otherwise all run from the start as in a fleet that has been up for hours.

Windows (`window_at`) follow upstream's capacity: healthy (full), partial (reduced),
outage (none, or flapping), quiet (the quiet hours, full capacity); the drain after
the scans counts in whichever window it falls.
"""

from __future__ import annotations

import base64
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

from kiosk.passes.issue import issue_dcc, make_signer
from kiosk.passes.model import SignerCert
from kiosk.passes.signer import StaticTrust, load_signer_cert
from kiosk.simulator.hcerts import build_hcert, make_uci

# 2026-06-01 11:00 UTC: a weekday late morning, before the lunch rush.
DEFAULT_START_EPOCH = 1_780_311_600.0
MORNING_S = 600.0  # a morning start: every kiosk is switched on within this long
# The list change (Scenario.list_change): shares of the signers added and withdrawn.
ADDED_SHARE = 0.05
WITHDRAWN_SHARE = 0.02


@dataclass(frozen=True, slots=True)
class Window:
    start_s: float
    end_s: float

    def __contains__(self, t: float) -> bool:
        return self.start_s <= t < self.end_s

    @property
    def length_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True, slots=True)
class Scenario:
    kiosks: int = 1000
    minutes: float = 150.0  # scan period; the drain period comes on top
    seed: int = 1
    start_epoch: float = DEFAULT_START_EPOCH
    baseline_per_min: float = 0.4  # scans per kiosk per minute outside the surge
    peak_per_min: float = 2.0  # at the top of the lunch surge
    dcc_share: float = 0.7  # the rest are one-time KP1 check-in tokens
    min_gap_s: float = 4.0  # one visitor at a time walks up to a kiosk
    partial_capacity: float = 0.3  # share of full upstream capacity around the outage
    drain_limit_min: float = 60.0  # keep simulating after the last scan at most this long
    dcc_pool: int = 8  # distinct real DCCs issued once and shown again and again
    outage_minutes: float | None = None  # None: 0.2 x minutes
    flap_minutes: float | None = None  # None: down for the whole outage window
    trust_certs: int = 20  # certificates in upstream's trust list (the DCC signer among them)
    lost_ack_share: float = 0.0  # answers lost in transit after upstream stored the records
    quiet_hours: float = 0.0  # after the lunch, this long at `quiet_per_min`
    quiet_per_min: float = 0.2
    morning_start: bool = False  # every kiosk starts within the first `MORNING_S`
    list_change: bool = False  # the DCC list gains 5 % and loses 2 % at lunch, 100 revocations
    invalid_share: float = 0.03  # check-in tokens upstream refuses (used or unknown)
    revoked_share: float = 0.01  # scans of the pass that is revoked (at `revocation_s`)
    revoke_at_s: float | None = None  # when that pass is revoked; None: at the list change

    def __post_init__(self) -> None:
        if self.kiosks < 1:
            raise ValueError("need at least one kiosk")
        if self.minutes < 5:
            raise ValueError("the scenario needs at least 5 minutes")
        if self.outage_minutes is not None and not 0 < self.outage_minutes <= 24 * 60:
            raise ValueError("outage_minutes must be in (0, 1440]")
        if self.flap_minutes is not None and self.flap_minutes <= 0:
            raise ValueError("flap_minutes must be > 0")
        if self.trust_certs < 1 or not 0 <= self.lost_ack_share < 1:
            raise ValueError("need trust_certs >= 1 and lost_ack_share in [0, 1)")
        if not 0 <= self.dcc_share <= 1 or not 0 < self.partial_capacity < 1:
            raise ValueError("dcc_share must be in [0, 1] and partial_capacity in (0, 1)")
        if self.baseline_per_min <= 0 or self.peak_per_min < self.baseline_per_min:
            raise ValueError("need 0 < baseline_per_min <= peak_per_min")
        if not 0 <= self.quiet_hours <= 24 or not 0 < self.quiet_per_min <= self.peak_per_min:
            raise ValueError("need quiet_hours in [0, 24] and 0 < quiet_per_min <= peak_per_min")
        if not 0 <= self.invalid_share <= 1 or not 0 <= self.revoked_share < 1:
            raise ValueError("invalid_share must be in [0, 1] and revoked_share in [0, 1)")

    @property
    def unit_s(self) -> float:
        return self.minutes * 60.0

    @property
    def outage_s(self) -> float:
        return (0.2 * self.minutes if self.outage_minutes is None else self.outage_minutes) * 60.0

    @property
    def lunch_end_s(self) -> float:
        return 0.8 * self.unit_s + self.outage_s

    @property
    def quiet(self) -> Window:
        return Window(self.lunch_end_s, self.lunch_end_s + self.quiet_hours * 3600.0)

    @property
    def length_s(self) -> float:
        return self.quiet.end_s

    @property
    def list_change_s(self) -> float:
        """At lunch while upstream is healthy: halfway from the surge's start to partial capacity."""
        return 0.25 * self.unit_s

    @property
    def revocation_s(self) -> float:
        return self.list_change_s if self.revoke_at_s is None else self.revoke_at_s

    @property
    def revocation_due_s(self) -> float:
        """From when the freshness bound counts: the revocation's publication while upstream is
        healthy, else the return of full capacity."""
        at = self.revocation_s
        return at if self.window_at(at) in ("healthy", "quiet") else max(at, self.recovery_s)

    def window_at(self, t: float) -> str:
        return self.timeline().window_at(t)

    def timeline(self) -> Timeline:
        """The windows worked out once: the simulation asks for them at every event."""
        return Timeline.of(self)

    def kiosk_start_s(self, kiosk: int) -> float:
        """When a kiosk is switched on: at once, or within the first minutes of a morning start."""
        if not self.morning_start:
            return 0.0
        return random.Random(f"{self.seed}:start:{kiosk}").uniform(0.0, MORNING_S)

    @property
    def surge(self) -> Window:
        return Window(0.2 * self.unit_s, 0.6 * self.unit_s + self.outage_s)

    @property
    def partial_before(self) -> Window:
        return Window(0.3 * self.unit_s, 0.4 * self.unit_s)

    @property
    def outage(self) -> Window:
        return Window(0.4 * self.unit_s, 0.4 * self.unit_s + self.outage_s)

    @property
    def partial_after(self) -> Window:
        end = self.outage.end_s
        return Window(end, end + 0.1 * self.unit_s)

    @property
    def disturbed(self) -> Window:
        """Partial capacity, outage and partial capacity again: everything but a healthy upstream."""
        return Window(self.partial_before.start_s, self.partial_after.end_s)

    @property
    def recovery_s(self) -> float:
        """When upstream is back at full capacity: the backlog clock starts here."""
        return self.partial_after.end_s


@dataclass(frozen=True, slots=True)
class Timeline:
    """A scenario's windows, upstream's capacity and the scan rate over time
    (`Scenario.timeline`), from windows computed once."""

    surge: Window
    outage: Window
    disturbed: Window
    quiet: Window
    quiet_start_s: float | None  # None: no quiet hours
    flap_s: float | None
    partial_capacity: float
    base_rate: float  # scans per second at one kiosk: outside the surge, at its top, when quiet
    peak_rate: float
    quiet_rate: float

    @classmethod
    def of(cls, scenario: Scenario) -> Timeline:
        flap = scenario.flap_minutes
        return cls(
            scenario.surge,
            scenario.outage,
            scenario.disturbed,
            scenario.quiet,
            scenario.quiet.start_s if scenario.quiet_hours else None,
            None if flap is None else flap * 60.0,
            scenario.partial_capacity,
            scenario.baseline_per_min / 60.0,
            scenario.peak_per_min / 60.0,
            scenario.quiet_per_min / 60.0,
        )

    @property
    def length_s(self) -> float:
        return self.quiet.end_s

    def window_at(self, t: float) -> str:
        if t in self.outage:
            return "outage"
        if t in self.disturbed:
            return "partial"
        if self.quiet_start_s is not None and t >= self.quiet_start_s:
            return "quiet"
        return "healthy"

    def capacity_at(self, t: float) -> float:
        """Share of the full upstream capacity at `t`; 0 means no answer at all."""
        outage = self.outage
        if t in outage:
            if self.flap_s is None:
                return 0.0
            period = int((t - outage.start_s) // self.flap_s)
            return 0.0 if period % 2 == 0 else 1.0
        if t in self.disturbed:
            return self.partial_capacity
        return 1.0

    def rate_at(self, t: float) -> float:
        """Scans per second at one kiosk: a trapezoid surge over the baseline."""
        surge = self.surge
        base = self.base_rate
        if t in self.quiet:
            return self.quiet_rate
        if t not in surge:
            return base
        ramp = surge.length_s / 4
        into = t - surge.start_s
        left = surge.end_s - t
        share = min(1.0, into / ramp, left / ramp)
        return base + (self.peak_rate - base) * share


@dataclass(frozen=True, slots=True)
class PassPool:
    """Real signed DCCs and their trust list; tokens are made per scan (they are one-time).

    `trust_list`: upstream's published list, the DCC signer first and `trust_certs - 1`
    other real signer certificates after it; `new_signers` join it at a list change, when
    `withdrawn` of the others leave. `revoked_dcc` is revoked at the list change.
    """

    dccs: tuple[str, ...]
    trust: StaticTrust
    trust_list: tuple[SignerCert, ...]
    revoked_dcc: str
    revoked_uci: str
    new_signers: tuple[SignerCert, ...] = ()
    withdrawn: int = 0


def issue_pass_pool(scenario: Scenario) -> PassPool:
    rng = random.Random(f"{scenario.seed}:passes")
    now = scenario.start_epoch
    day = 86_400.0
    key, der = make_signer("ES256", "DE", "Fleet simulation signer", None, now - 30 * day, now + 365 * day)
    signer = load_signer_cert(der)
    texts = []
    ucis = []
    for i in range(scenario.dcc_pool + 1):
        cert_type = "vtr"[i % 3]
        ucis.append(make_uci(rng, "DE"))
        _, hcert = build_hcert({"type": cert_type}, now=now, country="DE", uci=ucis[-1])
        texts.append(
            issue_dcc(
                hcert,
                private_key=key,
                kid=signer.kid,
                issuer="DE",
                issued_at=now - day,
                expires_at=now + 300 * day,
            )
        )
    added = math.ceil(ADDED_SHARE * scenario.trust_certs) if scenario.list_change else 0
    others = []
    for n in range(scenario.trust_certs - 1 + added):
        # Other countries' signers: never used by a pass here, but synced, stored and compared.
        _, other = make_signer("ES256", "XB", f"Fleet trust list {n}", None, now - 30 * day, now + 365 * day)
        others.append(load_signer_cert(other))
    listed = scenario.trust_certs - 1
    withdrawn = min(listed, math.ceil(WITHDRAWN_SHARE * scenario.trust_certs)) if scenario.list_change else 0
    return PassPool(
        tuple(texts[:-1]),
        StaticTrust([signer]),
        (signer, *others[:listed]),
        revoked_dcc=texts[-1],
        revoked_uci=ucis[-1],
        new_signers=tuple(others[listed:]),
        withdrawn=withdrawn,
    )


def scan_arrivals(scenario: Scenario, kiosk: int, pool: PassPool) -> Iterator[tuple[float, str]]:
    """(time, pass text) of every scan at one kiosk, in order; depends only on seed and kiosk.

    A non-homogeneous Poisson process by thinning, so both policies see the same visitors.
    """
    rng = random.Random(f"{scenario.seed}:arrivals:{kiosk}")
    peak = scenario.peak_per_min / 60.0
    timeline = scenario.timeline()
    length_s = timeline.length_s
    t = scenario.kiosk_start_s(kiosk)
    last = -math.inf
    while True:
        t += rng.expovariate(peak)
        if t >= length_s:
            return
        if rng.random() * peak > timeline.rate_at(t):
            continue
        t = max(t, last + scenario.min_gap_s)
        if t >= length_s:
            return
        last = t
        draw = rng.random()
        if draw < scenario.revoked_share:
            yield t, pool.revoked_dcc
        elif draw < scenario.dcc_share:
            yield t, pool.dccs[rng.randrange(len(pool.dccs))]
        else:
            token = base64.urlsafe_b64encode(rng.getrandbits(128).to_bytes(16, "big")).rstrip(b"=")
            yield t, "KP1:" + token.decode("ascii")
