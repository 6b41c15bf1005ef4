"""What happens to the entrance screen (events) and what the window must make happen (effects).

Plain frozen values, no Qt: the window and its workers turn taps, decoded QRs, verdicts
and timer ticks into events for `kiosk.ui.model.update`, and carry out the effects it
returns. The raw pass text rides only in `ScanDecoded`/`StartVerify`, out of every repr.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.camera.hints import Hint
from kiosk.decision import Decision, Health, Verdict
from kiosk.pass_hash import pass_hash
from kiosk.ui.wedge_input import WedgeNotice

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
    wall_at: float = 0.0  # the time shown beside the verdict in the queue and the history
    # The online call of this very scan failed: the verdict fell back, though the breaker
    # may still be counting failures before it says so itself.
    upstream_failed: bool = False


@dataclass(frozen=True, slots=True)
class VerifyFailed:
    """The engine could not produce a durable decision (e.g. the data file is unwritable)."""

    digest: str
    at: float
    wall_at: float = 0.0


@dataclass(frozen=True, slots=True)
class WedgeNoticed:
    """The keyboard wedge has something to tell staff instead of a verdict (no visit, no sound)."""

    notice: WedgeNotice
    at: float  # monotonic


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
class HintChanged:
    """The camera's hint for a code in the guide but unread changed (None: nothing to say)."""

    hint: Hint | None


@dataclass(frozen=True, slots=True)
class ManualLogRequested:
    """Staff opened the manual-log panel for a visitor with no scannable pass (phone optional)."""

    visit_id: str | None = None
    at: float = 0.0


@dataclass(frozen=True, slots=True)
class AnswerTapped:
    """Staff tapped Admit or Deny: on a waiting check (its visit), or for a visitor with no
    scannable pass (None: a new visit)."""

    visit_id: str | None
    admit: bool
    at: float


@dataclass(frozen=True, slots=True)
class CheckSetAside:
    """Staff set a waiting check aside unanswered (the visitor left); it stays `manual` in the log."""

    visit_id: str
    at: float


@dataclass(frozen=True, slots=True)
class StaffUnlockRequested:
    """Staff asked for the staff tools (the status bar's Staff button)."""

    at: float


@dataclass(frozen=True, slots=True)
class StaffUnlocked:
    """The staff PIN (or the owner's) was right."""

    at: float


@dataclass(frozen=True, slots=True)
class StaffLocked:
    """Staff locked the staff tools before leaving the counter."""


@dataclass(frozen=True, slots=True)
class StaffAnswered:
    """A staff answer is stored (by the panel or by a tap); show it like a verdict."""

    admitted: bool
    at: float
    visit_id: str | None = None
    wall_at: float = 0.0
    new_visit: bool = False  # a visitor with no scannable pass: the visit was made for the answer


@dataclass(frozen=True, slots=True)
class AnswerFailed:
    """A tapped answer could not be stored; `key` is the error key (never a message with data)."""

    visit_id: str | None
    key: str


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
    | WedgeNoticed
    | Tick
    | HealthChanged
    | CameraLost
    | CameraBack
    | HintChanged
    | ManualLogRequested
    | AnswerTapped
    | CheckSetAside
    | StaffUnlockRequested
    | StaffUnlocked
    | StaffLocked
    | StaffAnswered
    | AnswerFailed
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
class RecordAnswer:
    """Store a staff answer: for a waiting check's visit, or a new visit (None)."""

    visit_id: str | None
    admit: bool


@dataclass(frozen=True, slots=True)
class AskPin:
    pass


@dataclass(frozen=True, slots=True)
class AskStaffPin:
    pass


@dataclass(frozen=True, slots=True)
class LeaveKiosk:
    pass


Effect = StartVerify | PlaySound | OpenManualLog | RecordAnswer | AskPin | AskStaffPin | LeaveKiosk
