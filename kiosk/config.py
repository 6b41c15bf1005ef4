"""config.toml → a frozen, typed `Config`, with one clear error message per mistake.

One dataclass per section, each key a field made by `config_fields.setting` whose
metadata (range, choices, unit, check) drives validation (`config_fields`), with the
checks a range cannot express in `config_checks` and the TOML reading in
`config_toml`. `config.example.toml` documents every key; a test keeps it equal to the
defaults here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints

from kiosk import config_checks as checks
from kiosk.config_fields import build_sections, setting
from kiosk.config_layers import (
    CONFIG_FILE,
    machine_config_path,
    merge_layers,
    read_layer,
    user_config_path,
)
from kiosk.config_toml import Locator, read_toml
from kiosk.paths import make_private


@dataclass(frozen=True, slots=True)
class KioskConfig:
    id: str = setting("", check=checks.kiosk_id)
    venue_name: str = setting("", check=checks.no_control_chars)
    language: str = setting("ko", choices=("ko", "en"))
    data_dir: str = setting("")


@dataclass(frozen=True, slots=True)
class VerifyConfig:
    budget_ms: int = setting(1000, min=100, max=10_000, unit="milliseconds")
    # Kept back from the online call for storing the visit and drawing the verdict.
    reserve_ms: int = setting(150, min=0, max=2000, unit="milliseconds")

    def cross_check(self) -> tuple[str, str] | None:
        if self.reserve_ms >= self.budget_ms:
            return "reserve_ms", f"less than [verify] budget_ms ({self.budget_ms})"
        return None


# The breaker's latency trigger as a share of the longest online call (Config.breaker_settings):
# with the default 1 s budget and 150 ms reserve, a p90 above 0.6 s degrades the path.
LATENCY_TRIGGER_SHARE = 0.7


@dataclass(frozen=True, slots=True)
class BreakerSettings:
    failure_threshold: int = 3  # consecutive failures that open the breaker
    window_size: int = 20  # latency samples kept (the last N calls)
    min_samples: int = 10  # fewer samples than this never open on latency
    p90_threshold_s: float = 1.0  # p90 latency above this opens the breaker
    probe_base_s: float = 1.0  # backoff ceiling of the first probe
    probe_max_s: float = 180.0  # the backoff ceiling never grows beyond this
    # A probe whose outcome is never reported (caller crashed) frees its slot after this.
    probe_lease_s: float = 30.0
    # Probation after a probe closed the breaker: a failure within this long re-opens it at
    # once (not after failure_threshold) and, unless upstream sent a Retry-After, carries
    # on with the backoff it had reached instead of starting again at probe_base_s. An
    # upstream that flaps would otherwise get a fresh burst of timeouts and fast probes from
    # every kiosk at each re-opening (`kiosk simulate fleet --flap-minutes 2`); one that is
    # only busy says so with a Retry-After, and carrying the backoff then slowed the drain
    # after a long outage by minutes. Four minutes, not two: an upstream flapping every two
    # minutes went down again just after a 2-minute probation, and each kiosk then timed
    # out three times and probed from the first backoff step in every down phase.
    settle_s: float = 240.0
    # A failure on probation is a flap: the next probation is twice as long, up to this. An
    # upstream that goes down and up every few minutes then stays "unsettled" across its up
    # phases (signed passes judged offline, the first failure re-opens at once) instead of
    # each kiosk timing out `failure_threshold` times in every down phase. A probation that
    # passes without a failure starts the next one at `settle_s` again. The probes' backoff
    # keeps its probe_max_s ceiling throughout: a lost answer here and there also looks like
    # a flap, and a longer wait then held a recovered kiosk's backlog for over 10 minutes.
    settle_max_s: float = 960.0
    # The longest Retry-After the next probe waits for: a server asking for more (a wrong
    # HTTP-date, a misconfigured front door) must not keep the kiosk offline for an hour.
    max_retry_after_s: float = 600.0

    def __post_init__(self) -> None:
        if self.failure_threshold < 1:
            raise ValueError("failure_threshold must be >= 1")
        if self.window_size < 1 or not 1 <= self.min_samples <= self.window_size:
            raise ValueError("need 1 <= min_samples <= window_size")
        if self.p90_threshold_s <= 0 or self.probe_base_s < 0 or self.probe_max_s < self.probe_base_s:
            raise ValueError("need p90_threshold_s > 0 and 0 <= probe_base_s <= probe_max_s")
        if self.probe_lease_s <= 0 or self.settle_s < 0 or self.max_retry_after_s < 0:
            raise ValueError("need probe_lease_s > 0, settle_s >= 0 and max_retry_after_s >= 0")
        if self.settle_max_s < self.settle_s:
            raise ValueError("need settle_max_s >= settle_s")


@dataclass(frozen=True, slots=True)
class UpstreamConfig:
    url: str = setting("", check=checks.upstream_url)
    api_key: str = setting("", check=checks.no_control_chars)
    connect_timeout_ms: int = setting(300, min=50, max=10_000, unit="milliseconds")
    failure_threshold: int = setting(3, min=1, max=100)
    latency_window: int = setting(20, min=1, max=1000, unit="calls")
    latency_min_samples: int = setting(10, min=1, max=1000, unit="calls")
    p90_threshold_ms: int = setting(1000, min=50, max=60_000, unit="milliseconds")
    probe_base_s: float = setting(1.0, min=0.1, max=600, unit="seconds")
    probe_max_s: float = setting(180.0, min=1, max=3600, unit="seconds")

    def cross_check(self) -> tuple[str, str] | None:
        if self.latency_min_samples > self.latency_window:
            return "latency_min_samples", f"at most [upstream] latency_window ({self.latency_window})"
        if self.probe_max_s < self.probe_base_s:
            return "probe_max_s", f"at least [upstream] probe_base_s ({self.probe_base_s:g})"
        return None

    def breaker_settings(self) -> BreakerSettings:
        return BreakerSettings(
            failure_threshold=self.failure_threshold,
            window_size=self.latency_window,
            min_samples=self.latency_min_samples,
            p90_threshold_s=self.p90_threshold_ms / 1000,
            probe_base_s=self.probe_base_s,
            probe_max_s=self.probe_max_s,
        )


@dataclass(frozen=True, slots=True)
class UploaderConfig:
    batch_size: int = setting(50, min=1, max=1000, unit="visits")
    max_requests_per_s: float = setting(2.0, min=0.01, max=100, unit="requests per second")
    burst: int = setting(5, min=1, max=1000, unit="requests")
    backoff_base_s: float = setting(2.0, min=0.1, max=600, unit="seconds")
    backoff_max_s: float = setting(300.0, min=1, max=86_400, unit="seconds")
    interval_s: float = setting(30.0, min=1, max=3600, unit="seconds")
    gather_s: float = setting(120.0, min=0, max=3600, unit="seconds")

    def cross_check(self) -> tuple[str, str] | None:
        if self.backoff_max_s < self.backoff_base_s:
            return "backoff_max_s", f"at least [uploader] backoff_base_s ({self.backoff_base_s:g})"
        return None


@dataclass(frozen=True, slots=True)
class TrustConfig:
    sync_interval_minutes: int = setting(60, min=5, max=10_080, unit="minutes")
    warn_age_hours: int = setting(24, min=1, max=8760, unit="hours")
    stale_age_hours: int = setting(72, min=1, max=8760, unit="hours")
    # Past this age the list no longer judges signed passes offline: they get a staff check.
    hard_limit_days: int = setting(30, min=1, max=3650, unit="days")
    # Trusted NZCP / SHC issuers; empty = every issuer imported or synced is trusted.
    nzcp_issuers: tuple[str, ...] = setting((), check=checks.nzcp_issuer, max=1000, unit="issuers")
    shc_issuers: tuple[str, ...] = setting((), check=checks.shc_issuer, max=1000, unit="issuers")
    # The key upstream signs its published lists with (signers, issuers, revocations).
    signing_key: str = setting("", check=checks.signing_key)

    def signing_key_der(self) -> bytes | None:
        """The pinned key's SubjectPublicKeyInfo DER, or None when no key is pinned."""
        return checks.signing_key_der(self.signing_key) if self.signing_key else None

    def cross_check(self) -> tuple[str, str] | None:
        if self.stale_age_hours <= self.warn_age_hours:
            return "stale_age_hours", f"more than [trust] warn_age_hours ({self.warn_age_hours})"
        if self.hard_limit_days * 24 <= self.stale_age_hours:
            return "hard_limit_days", f"more than [trust] stale_age_hours ({self.stale_age_hours} hours)"
        return None


@dataclass(frozen=True, slots=True)
class RulesConfig:
    """The business rules: thresholds only, the same code for every issuing country."""

    vaccination_min_days: int = setting(14, min=0, max=365, unit="days")
    vaccination_max_days: int = setting(270, min=1, max=3650, unit="days")
    test_naa_max_hours: int = setting(72, min=0, max=720, unit="hours")  # 0 = not accepted
    test_rat_max_hours: int = setting(48, min=0, max=720, unit="hours")  # 0 = not accepted
    recovery_min_days: int = setting(11, min=0, max=365, unit="days")

    def cross_check(self) -> tuple[str, str] | None:
        if self.vaccination_max_days < self.vaccination_min_days:
            minimum = self.vaccination_min_days
            return "vaccination_max_days", f"at least [rules] vaccination_min_days ({minimum})"
        return None


@dataclass(frozen=True, slots=True)
class PrivacyConfig:
    retention_days: int = setting(28, min=1, max=3650, unit="days")
    owner_public_key: str = setting("", check=checks.x25519_public_key)

    def owner_public_key_bytes(self) -> bytes | None:
        """The raw 32-byte X25519 key for sealing, or None when none is configured."""
        return checks.decode_key(self.owner_public_key) if self.owner_public_key else None


@dataclass(frozen=True, slots=True)
class AdminConfig:
    pin_hash: str = setting("", check=checks.pin_hash)


@dataclass(frozen=True, slots=True)
class UiConfig:
    """The entrance screen (the window started by `kiosk run`)."""

    verdict_seconds: float = setting(4.0, min=1, max=60, unit="seconds")
    cooldown_s: float = setting(5.0, min=0, max=600, unit="seconds")
    # A SMART Health Card printed as several QR codes: parts scanned are kept this long
    # after the last new one before the screen starts afresh.
    chunk_timeout_s: float = setting(15.0, min=5, max=120, unit="seconds")
    # A refusal or staff check younger than this stays beside the next visitor's verdict.
    min_verdict_s: float = setting(2.0, min=0, max=10, unit="seconds")
    # Answering staff checks and logging visitors with no scannable pass need the staff
    # PIN; false for a counter only staff can reach.
    staff_pin: bool = setting(True)
    # The staff unlock ends this long after the last staff action.
    staff_idle_s: float = setting(60.0, min=10, max=3600, unit="seconds")
    kiosk: bool = setting(False)
    theme: str = setting("standard", choices=("standard", "high_contrast"))
    large_text: bool = setting(False)
    sound_volume: int = setting(80, min=0, max=100, unit="percent")
    camera: str = setting("", check=checks.camera_spec, int_as_text=True)
    # The preview is shown as a mirror, so visitors move their phone the way they expect;
    # only the picture on screen is flipped, never the frame the decoder reads.
    mirror_preview: bool = setting(True)
    # A handheld scanner in serial mode, as a second pass source: its port ("" = none).
    serial_scanner: str = setting("", check=checks.no_control_chars)
    serial_baud: int = setting(9600, min=1200, max=921600, unit="baud")
    # A handheld scanner that types like a keyboard (a "wedge"). A scan with no Enter or Tab
    # after it ends this long after its last key; a scanner pausing mid-pass (Bluetooth) is
    # waited for up to wedge_stall_ms while the text so far is the start of a pass.
    wedge_end_ms: int = setting(150, min=30, max=2000, unit="milliseconds")
    wedge_stall_ms: int = setting(1000, min=100, max=5000, unit="milliseconds")
    # A scanner types each key within a few milliseconds of the last, a person much slower:
    # keys further apart than this (the median) or fewer than wedge_min_chars are not a scan.
    wedge_max_key_gap_ms: int = setting(50, min=5, max=1000, unit="milliseconds")
    wedge_min_chars: int = setting(8, min=1, max=200, unit="characters")

    def cross_check(self) -> tuple[str, str] | None:
        if self.wedge_stall_ms < self.wedge_end_ms:
            return "wedge_stall_ms", f"at least [ui] wedge_end_ms ({self.wedge_end_ms})"
        return None


@dataclass(frozen=True, slots=True)
class BackupConfig:
    folder: str = setting("", check=checks.no_control_chars)  # "" = no daily backup
    keep: int = setting(7, min=1, max=365, unit="backups")


@dataclass(frozen=True, slots=True)
class Config:
    kiosk: KioskConfig = field(default_factory=KioskConfig)
    verify: VerifyConfig = field(default_factory=VerifyConfig)
    upstream: UpstreamConfig = field(default_factory=UpstreamConfig)
    uploader: UploaderConfig = field(default_factory=UploaderConfig)
    trust: TrustConfig = field(default_factory=TrustConfig)
    rules: RulesConfig = field(default_factory=RulesConfig)
    privacy: PrivacyConfig = field(default_factory=PrivacyConfig)
    admin: AdminConfig = field(default_factory=AdminConfig)
    backup: BackupConfig = field(default_factory=BackupConfig)
    ui: UiConfig = field(default_factory=UiConfig)

    def holds_secrets(self) -> bool:
        """An upstream key or an installer PIN hash: the file must then be private to its user."""
        return bool(self.upstream.api_key or self.admin.pin_hash)

    def breaker_settings(self) -> BreakerSettings:
        """The breaker of `[upstream]`, its latency trigger below the longest online call.

        No online call outlasts budget - reserve (a timeout counts at that elapsed time), so
        a trigger at or above it could never fire: it is held to LATENCY_TRIGGER_SHARE of it.
        """
        settings = self.upstream.breaker_settings()
        longest_s = (self.verify.budget_ms - self.verify.reserve_ms) / 1000
        trigger_s = min(settings.p90_threshold_s, LATENCY_TRIGGER_SHARE * longest_s)
        return dataclasses.replace(settings, p90_threshold_s=max(trigger_s, 0.001))


def load_config(path: Path | None = None) -> Config:
    """Read `path` alone, or else the machine-wide file with the user's over it, key by key.

    No file at all = defaults. Raises ConfigError, naming the file, the key and what is
    expected. A user file holding secrets is made private to its user (POSIX), as the
    data folder is; the machine's belongs to the installer and is left as it is.
    """
    targets = [Path(path)] if path is not None else [machine_config_path(), user_config_path()]
    layers: list[tuple[Path, Config, dict[str, Any]]] = []
    for target in targets:
        raw = read_layer(target, required=path is not None)
        if raw is None:
            continue
        data, text = read_toml(raw, str(target))  # each file checked alone: named in its errors
        config = _based(_build(data, Locator(str(target), text)), target.parent)
        if config.holds_secrets() and target == targets[-1]:
            make_private(target)
        layers.append((target, config, data))
    if len(layers) < 2:
        return layers[0][1] if layers else Config()
    (machine, lower, lower_data), (user, upper, upper_data) = layers
    merged = merge_layers(lower_data, upper_data)
    # Each file's relative data_dir was taken relative to its own folder above.
    data_dir = upper.kiosk.data_dir or lower.kiosk.data_dir
    if data_dir:
        merged.setdefault("kiosk", {})["data_dir"] = data_dir
    return _build(merged, Locator(f"{user} over {machine}", ""))


def parse_config(raw: bytes | str, *, source: str = CONFIG_FILE, base_dir: Path | None = None) -> Config:
    """Parse TOML text into a Config; relative `data_dir` is taken relative to `base_dir`."""
    data, text = read_toml(raw, source)
    return _based(_build(data, Locator(source, text)), base_dir)


def _based(config: Config, base_dir: Path | None) -> Config:
    """`config` with a relative `data_dir` taken relative to `base_dir` (its file's folder)."""
    if base_dir is not None and config.kiosk.data_dir:
        folder = Path(config.kiosk.data_dir).expanduser()
        if not folder.is_absolute():
            kiosk = dataclasses.replace(config.kiosk, data_dir=str(base_dir / folder))
            config = dataclasses.replace(config, kiosk=kiosk)
    return config


def sections() -> dict[str, type]:
    hints = get_type_hints(Config)
    return {f.name: hints[f.name] for f in dataclasses.fields(Config)}


def _build(data: Mapping[str, Any], where: Locator) -> Config:
    return Config(**build_sections(data, sections(), where))
