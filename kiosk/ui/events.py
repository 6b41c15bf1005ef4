"""What happens to the entrance screen (events) and what the window must make happen (effects).

Plain frozen values, no Qt: the window and its workers turn taps, decoded QRs, verdicts
and timer ticks into events for `kiosk.ui.model.update`, and carry out the effects it
returns. The raw pass text rides only in `ScanDecoded`/`StartVerify`, out of every repr.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.decision import Decision, Health, Verdict
from kiosk.pass_hash import pass_hash

# --- events (what happened) ---


@dataclass(frozen=True, slots=True)
class StatusSnapshot:
    """What the status bar shows, read by the status poller off the GUI thread."""

    at: float  # wall time of the reading (the clock on the bar)
    health: Health
    pending_uploads: int
    visits_today: int
    trust_updated_at: float | None  # wall time of the last trust-list sync; None = no list
    trust_level: str  # TrustAgeLevel value: fresh / aging / stale / missing
    last_failure: str | None = None  # a FailureCause value, never personal data
    next_probe_at: float | None = None  # wall time; None unless upstream is being avoided
    online_configured: bool = True
    quarantined_uploads: int = 0
    clock_skew_s: float | None = None  # upstream's clock minus ours, from its last Date header
    list_refused_at: float | None = None  # wall time a published list last failed its signature check


@dataclass(frozen=True, slots=True)
class ScanDecoded:
    digest: str
    at: float  # monotonic
    text: str = field(default="", repr=False, compare=False)  # handed to the engine, never kept

    @classmethod
    def of(cls, text: str, at: float) -> ScanDecoded:
        return cls(pass_hash(text), at, text)


@dataclass(frozen=True, slots=True)
class VerdictReady:
    decision: Decision
    digest: str
    at: float


@dataclass(frozen=True, slots=True)
class VerifyFailed:
    """The engine could not produce a durable decision (e.g. the data file is unwritable)."""

    digest: str
    at: float


@dataclass(frozen=True, slots=True)
class Tick:
    now: float  # monotonic


@dataclass(frozen=True, slots=True)
class HealthChanged:
    snapshot: StatusSnapshot


@dataclass(frozen=True, slots=True)
class CameraLost:
    hint: str


@dataclass(frozen=True, slots=True)
class CameraBack:
    pass


@dataclass(frozen=True, slots=True)
class ManualLogRequested:
    """Staff pressed "Manual log", either on a CHECK verdict (its visit) or from idle (None)."""

    visit_id: str | None = None


@dataclass(frozen=True, slots=True)
class StaffAnswered:
    """The manual-log panel stored the staff's answer; show it like a verdict."""

    admitted: bool
    at: float
    visit_id: str | None = None


@dataclass(frozen=True, slots=True)
class PanelClosed:
    """The manual-log panel or the PIN pad was closed without an answer."""


@dataclass(frozen=True, slots=True)
class LeaveRequested:
    """The long press on the corner: the owner wants to leave kiosk mode (PIN first)."""


@dataclass(frozen=True, slots=True)
class PinAccepted:
    pass


@dataclass(frozen=True, slots=True)
class LanguageChanged:
    language: str


@dataclass(frozen=True, slots=True)
class FirstRunRequired:
    """No owner is set up yet: the screen belongs to the first-run flow until it is done."""


@dataclass(frozen=True, slots=True)
class FirstRunDone:
    """The owner PIN and key exist and the owner confirmed the recovery code is written down."""


@dataclass(frozen=True, slots=True)
class AdminOpened:
    """The owner chose "Admin" on the owner menu (only reachable after a right PIN)."""


@dataclass(frozen=True, slots=True)
class AdminClosed:
    """The admin screen was left (its Back button, or it closed itself after idling)."""


Event = (
    ScanDecoded
    | VerdictReady
    | VerifyFailed
    | Tick
    | HealthChanged
    | CameraLost
    | CameraBack
    | ManualLogRequested
    | StaffAnswered
    | PanelClosed
    | LeaveRequested
    | PinAccepted
    | LanguageChanged
    | FirstRunRequired
    | FirstRunDone
    | AdminOpened
    | AdminClosed
)


# --- effects (what the window must make happen) ---


@dataclass(frozen=True, slots=True)
class StartVerify:
    text: str = field(repr=False)
    digest: str
    at: float


@dataclass(frozen=True, slots=True)
class PlaySound:
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class OpenManualLog:
    visit_id: str | None


@dataclass(frozen=True, slots=True)
class AskPin:
    pass


@dataclass(frozen=True, slots=True)
class LeaveKiosk:
    pass


Effect = StartVerify | PlaySound | OpenManualLog | AskPin | LeaveKiosk
