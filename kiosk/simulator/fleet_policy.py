"""The policies a fleet simulation compares: ours (the app's classes and settings, with the
upstream extensions it uses) and the baseline clients, and the app config they start from."""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.config import BreakerSettings, Config
from kiosk.upstream.maintenance_values import MaintenanceSettings
from kiosk.upstream.uploader import UploaderSettings

# `kiosk run` with its default config.toml: the engine's budget and reserve, the breaker,
# uploader and maintenance settings all come from here (kiosk/wiring.py assembles them).
APP_CONFIG = Config()
# What the simulated upstream offers beyond today's protocol (docs/upstream-api.md):
# "news": list news with each verification (kiosk.upstream.list_news); "delta": the trust
# list as one delta after the stored resume token (kiosk.upstream.trust_sync.sync_trust_delta);
# "health_wait": a down upstream's health endpoint answers with a Retry-After; "carry":
# a verification carries pending visits (kiosk.verify.carry).
EXTENSIONS = frozenset({"news", "delta", "health_wait", "carry"})

# A baseline's background work: hourly and every 15 min on the dot, unpaced, not held back
# by any breaker; its trust sync as `Policy.trust_sync` says.
PLAIN_MAINTENANCE = MaintenanceSettings(jitter=0.0, max_requests_per_s=1000.0, burst=1000)


@dataclass(frozen=True, slots=True)
class Policy:
    name: str
    # A baseline client: no breaker, retries at once, uploads every record in a batch,
    # background sync without conditions. Ours: the app's classes and settings.
    baseline: bool = False
    tries: int = 3  # a baseline's calls per verification and per upload batch
    # How a baseline syncs its trust list: "kids" compares the status's kids with the stored
    # list (the DGCA verifier apps do), "full" downloads every certificate every time,
    # "conditional" asks with If-None-Match first (as ours does).
    trust_sync: str = "kids"
    # A baseline's uploads: False retries every batch at once each round (NaiveUploader);
    # True batches on the poll with the app's Uploader (exponential backoff, Retry-After
    # honoured), without a breaker.
    backoff_uploads: bool = False
    per_try_share: float | None = None  # a baseline's timeout per try, as a share of the budget
    upload_interval_s: float = UploaderSettings().poll_interval_s  # the uploader thread's poll (app default)
    wake_on_visit: bool = False  # True: the uploader thread is woken after every recorded visit
    breaker: BreakerSettings = field(default_factory=BreakerSettings)
    uploader: UploaderSettings = field(default_factory=UploaderSettings)
    maintenance: MaintenanceSettings = field(default_factory=MaintenanceSettings)
    budget_s: float = APP_CONFIG.verify.budget_ms / 1000  # the engine's, for counting verdicts within it
    # Ours: the upstream extensions used (EXTENSIONS); none is today's protocol.
    extensions: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.upload_interval_s <= 0:
            raise ValueError("upload_interval_s must be > 0")
        if self.tries < 1 or (self.per_try_share is not None and not 0 < self.per_try_share <= 1):
            raise ValueError("need tries >= 1 and per_try_share in (0, 1]")
        if self.trust_sync not in ("kids", "full", "conditional"):
            raise ValueError("trust_sync must be 'kids', 'full' or 'conditional'")
        if not self.extensions <= EXTENSIONS or (self.baseline and self.extensions):
            raise ValueError(f"extensions are ours only, of {sorted(EXTENSIONS)}")

    @property
    def naive(self) -> bool:
        """Kept for older callers: any baseline (no breaker)."""
        return self.baseline
