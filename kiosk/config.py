"""config.toml → a frozen, typed `Config`, with one clear error message per mistake.

Validation is generic: each setting is a dataclass field whose metadata (range,
choices, unit, check) drives type and value checks, so adding a key is adding a
field. `config.example.toml` documents every key; a test keeps it equal to the
defaults here.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import difflib
import ipaddress
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints
from urllib.parse import urlsplit

from kiosk.config_layers import (
    CONFIG_FILE,
    machine_config_path,
    merge_layers,
    read_layer,
    user_config_path,
)
from kiosk.errors import ConfigError
from kiosk.paths import make_private

# A check returns None when the value is fine, else what was expected.
Check = Callable[[Any], str | None]


def setting(
    default: Any,
    *,
    min: float | None = None,
    max: float | None = None,
    choices: tuple[str, ...] | None = None,
    unit: str = "",
    check: Check | None = None,
    int_as_text: bool = False,
) -> Any:
    """A config key: its default and what counts as a valid value.

    `int_as_text`: a text key that also takes a whole number (kept as its digits), for
    keys such as `[ui] camera` where `camera = 1` is what people write.
    """
    meta = {"min": min, "max": max, "choices": choices, "unit": unit, "check": check}
    meta["int_as_text"] = int_as_text
    return field(default=default, metadata={"setting": meta})


def _upstream_url(value: str) -> str | None:
    if value == "":
        return None
    expected = 'an https URL such as "https://verify.example.com", or "" for offline-only'
    if any(c.isspace() or ord(c) < 32 for c in value):
        return expected + " (no spaces or control characters)"
    try:
        # urlsplit and .port raise ValueError on a broken IPv6 host ("http://[::1") or a
        # port out of range; either is a config mistake, never a crash.
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        return f"{expected} ({exc})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return expected
    if port is not None and not 1 <= port <= 65535:
        return f"{expected} (port {port} is not from 1 to 65535)"
    if parts.port is None and parts.netloc.endswith(":"):
        return f"{expected} (a port number after the colon)"
    if parts.scheme == "http" and not is_loopback_url(value):
        # Anyone on the venue's network could answer "valid" for any pass over plain http.
        return f"{expected}; plain http is only for a simulator on this computer (127.0.0.1, ::1, localhost)"
    return None


def is_loopback_url(url: str) -> bool:
    """True when `url` names this computer (127.0.0.0/8, ::1, localhost): the simulator's home."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _decode_key(value: str) -> bytes:
    padded = value.strip() + "=" * (-len(value.strip()) % 4)
    altchars = b"-_" if "-" in value or "_" in value else None  # base64url as well as base64
    try:
        return base64.b64decode(padded, altchars=altchars, validate=True)
    except (binascii.Error, ValueError):
        return b""


def _x25519_public_key(value: str) -> str | None:
    if value == "" or len(_decode_key(value)) == 32:
        return None
    return 'the owner\'s X25519 public key: 32 bytes in base64, or ""'


def _no_control_chars(value: str) -> str | None:
    if any(ord(c) < 32 for c in value):
        return "text without control characters"
    return None


MAX_KIOSK_ID = 64


def _kiosk_id(value: str) -> str | None:
    # The id goes into every visit record and upload: a page of text there is a mistake.
    if len(value) <= MAX_KIOSK_ID and value.isprintable():
        return None
    return f"at most {MAX_KIOSK_ID} printable characters (got {len(value)} characters)"


@dataclass(frozen=True, slots=True)
class KioskConfig:
    id: str = setting("", check=_kiosk_id)
    venue_name: str = setting("", check=_no_control_chars)
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
    # after a long outage by minutes.
    settle_s: float = 120.0
    # A failure on probation is a flap: the next probation is twice as long, up to this. An
    # upstream that goes down and up every few minutes then stays "unsettled" across its up
    # phases (signed passes judged offline, the first failure re-opens at once) instead of
    # each kiosk timing out `failure_threshold` times in every down phase. A probation that
    # passes without a failure starts the next one at `settle_s` again.
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
    url: str = setting("", check=_upstream_url)
    api_key: str = setting("", check=_no_control_chars)
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


def _nzcp_issuer(value: str) -> str | None:
    if value.startswith("did:web:") and len(value) > len("did:web:") and _plain(value):
        return None
    return 'an NZ COVID Pass issuer: a did:web identifier such as "did:web:nzcp.identity.health.nz"'


def _shc_issuer(value: str) -> str | None:
    # The SHC `iss` is compared as written: an https URL without a trailing slash.
    prefix = "https://"
    if value.startswith(prefix) and len(value) > len(prefix) and not value.endswith("/") and _plain(value):
        return None
    return 'a SMART Health Card issuer: an https URL without a trailing "/", such as "https://issuer.example"'


def _plain(value: str) -> bool:
    return not any(c.isspace() or ord(c) < 32 for c in value)


def _signing_key_der(value: str) -> bytes:
    """The SubjectPublicKeyInfo DER of `value` (base64, or PEM text); b"" when it is neither."""
    text = value.strip()
    if text.startswith("-----BEGIN PUBLIC KEY-----") and text.endswith("-----END PUBLIC KEY-----"):
        text = "".join(text.splitlines()[1:-1])
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return b""


def _signing_key(value: str) -> str | None:
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    if value == "":
        return None
    try:
        key = load_der_public_key(_signing_key_der(value))
    except ValueError:
        key = None
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        return None
    return 'the P-256 public key upstream signs its lists with (base64 SubjectPublicKeyInfo or PEM), or ""'


@dataclass(frozen=True, slots=True)
class TrustConfig:
    sync_interval_minutes: int = setting(60, min=5, max=10_080, unit="minutes")
    warn_age_hours: int = setting(24, min=1, max=8760, unit="hours")
    stale_age_hours: int = setting(72, min=1, max=8760, unit="hours")
    # Past this age the list no longer judges signed passes offline: they get a staff check.
    hard_limit_days: int = setting(30, min=1, max=3650, unit="days")
    # Trusted NZCP / SHC issuers; empty = every issuer imported or synced is trusted.
    nzcp_issuers: tuple[str, ...] = setting((), check=_nzcp_issuer, max=1000, unit="issuers")
    shc_issuers: tuple[str, ...] = setting((), check=_shc_issuer, max=1000, unit="issuers")
    # The key upstream signs its published lists with (signers, issuers, revocations).
    signing_key: str = setting("", check=_signing_key)

    def signing_key_der(self) -> bytes | None:
        """The pinned key's SubjectPublicKeyInfo DER, or None when no key is pinned."""
        return _signing_key_der(self.signing_key) if self.signing_key else None

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
    owner_public_key: str = setting("", check=_x25519_public_key)

    def owner_public_key_bytes(self) -> bytes | None:
        """The raw 32-byte X25519 key for sealing, or None when none is configured."""
        return _decode_key(self.owner_public_key) if self.owner_public_key else None


_PIN_HASH = re.compile(r"[A-Za-z0-9$./+=:_-]*")


def _pin_hash(value: str) -> str | None:
    if _PIN_HASH.fullmatch(value):
        return None
    return 'a PIN hash as written by the admin settings (never the PIN itself), or ""'


@dataclass(frozen=True, slots=True)
class AdminConfig:
    pin_hash: str = setting("", check=_pin_hash)


def _camera_spec(value: str) -> str | None:
    if value == "" or value.isdigit() or (_no_control_chars(value) is None and value.strip() == value):
        return None
    return 'a camera number (0 = the first camera), "none", a video file or image folder path, or ""'


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
    camera: str = setting("", check=_camera_spec, int_as_text=True)
    # The preview is shown as a mirror, so visitors move their phone the way they expect;
    # only the picture on screen is flipped, never the frame the decoder reads.
    mirror_preview: bool = setting(True)
    # A handheld scanner in serial mode, as a second pass source: its port ("" = none).
    serial_scanner: str = setting("", check=_no_control_chars)
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
    folder: str = setting("", check=_no_control_chars)  # "" = no daily backup
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
        data, text = _read_toml(raw, str(target))  # each file checked alone: named in its errors
        config = _based(_build(data, _Locator(str(target), text)), target.parent)
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
    return _build(merged, _Locator(f"{user} over {machine}", ""))


def parse_config(raw: bytes | str, *, source: str = CONFIG_FILE, base_dir: Path | None = None) -> Config:
    """Parse TOML text into a Config; relative `data_dir` is taken relative to `base_dir`."""
    data, text = _read_toml(raw, source)
    return _based(_build(data, _Locator(source, text)), base_dir)


def _read_toml(raw: bytes | str, source: str) -> tuple[dict[str, Any], str]:
    """The TOML tables of `raw` and its text; ConfigError naming `source` when it is not TOML."""
    if isinstance(raw, bytes):
        if raw.startswith(b"\xef\xbb\xbf"):  # Notepad writes a BOM; TOML does not allow one
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ConfigError(
                f"{source}: not UTF-8 text (byte {exc.start}); save it as UTF-8", key="config.not_utf8"
            ) from None
    else:
        text = raw
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_syntax_message(source, str(exc)), key="config.syntax") from None
    except RecursionError:
        # tomllib recurses once per nested array or table: thousands deep exhaust the stack.
        message = f"{source}: TOML syntax error: values nested too deeply"
        raise ConfigError(message, key="config.syntax") from None


def _based(config: Config, base_dir: Path | None) -> Config:
    """`config` with a relative `data_dir` taken relative to `base_dir` (its file's folder)."""
    if base_dir is not None and config.kiosk.data_dir:
        folder = Path(config.kiosk.data_dir).expanduser()
        if not folder.is_absolute():
            kiosk = dataclasses.replace(config.kiosk, data_dir=str(base_dir / folder))
            config = dataclasses.replace(config, kiosk=kiosk)
    return config


def settings_of(section_type: type) -> dict[str, tuple[type, dict[str, Any], Any]]:
    """Each key of a section: (python type, setting metadata, default)."""
    hints = get_type_hints(section_type)
    out: dict[str, tuple[type, dict[str, Any], Any]] = {}
    for f in dataclasses.fields(section_type):
        if "setting" in f.metadata:
            out[f.name] = (hints[f.name], f.metadata["setting"], f.default)
    return out


def sections() -> dict[str, type]:
    hints = get_type_hints(Config)
    return {f.name: hints[f.name] for f in dataclasses.fields(Config)}


# --- internals ---


class _Locator:
    """Finds the line of a `[section] key` in the text, for messages; tomllib keeps no positions."""

    _HEADER = re.compile(r"\s*\[\s*([A-Za-z0-9_-]+)\s*\]")
    _KEY = re.compile(r"\s*([A-Za-z0-9_-]+|\"[^\"]*\")\s*=")

    def __init__(self, source: str, text: str) -> None:
        self.source = source
        self._lines = text.splitlines()

    def where(self, section: str | None, key: str | None = None) -> str:
        """`file:line` of the key (or of the section header when key is None); `section` None = top level."""
        current = None
        for number, line in enumerate(self._lines, start=1):
            header = self._HEADER.match(line)
            if header:
                current = header.group(1)
                if key is None and current is not None and current == section:
                    return f"{self.source}:{number}"
                continue
            found = self._KEY.match(line)
            if key is not None and current == section and found and found.group(1).strip('"') == key:
                return f"{self.source}:{number}"
        return self.source


def _syntax_message(source: str, detail: str) -> str:
    # tomllib says "... (at line 3, column 5)"; editors understand file:line:column.
    match = re.search(r"\s*\(at line (\d+), column (\d+)\)$", detail)
    if match:
        detail = detail[: match.start()]
        return f"{source}:{match.group(1)}:{match.group(2)}: TOML syntax error: {detail}"
    return f"{source}: TOML syntax error: {detail}"


def _build(data: Mapping[str, Any], where: _Locator) -> Config:
    known = sections()
    built: dict[str, Any] = {}
    for name, value in data.items():
        if name not in known:
            raise ConfigError(f"{where.where(name)}: unknown section [{name}]{_suggest(name, known)}")
        if not isinstance(value, dict):
            at = where.where(None, name)
            raise ConfigError(f"{at}: {name} must be a [{name}] section, not a single value")
        built[name] = _build_section(name, known[name], value, where)
    return Config(**built)


def _build_section(name: str, section_type: type, values: Mapping[str, Any], where: _Locator) -> Any:
    specs = settings_of(section_type)
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if key not in specs:
            raise ConfigError(f"{where.where(name, key)}: unknown key [{name}] {key}{_suggest(key, specs)}")
        py_type, meta, _default = specs[key]
        kwargs[key] = _convert(name, key, value, py_type, meta, where)
    section = section_type(**kwargs)
    cross = getattr(section, "cross_check", None)
    problem = cross() if cross else None
    if problem:
        key, expected = problem
        got = getattr(section, key)
        raise ConfigError(f"{where.where(name, key)}: [{name}] {key} must be {expected}, got {got!r}")
    return section


def _convert(section: str, key: str, value: Any, py_type: type, meta: dict[str, Any], where: _Locator) -> Any:
    expected = _describe(py_type, meta)

    def fail(detail: str = "") -> ConfigError:
        return ConfigError(f"{where.where(section, key)}: [{section}] {key} must be {expected}{detail}")

    if get_origin(py_type) is tuple:
        return _convert_list(section, key, value, meta, where, fail)

    if py_type is bool:
        if not isinstance(value, bool):
            raise fail(f", got {_show(value)}")
        return value
    if py_type is int:
        # TOML booleans are Python ints; `budget_ms = true` is a mistake, not 1.
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail(f", got {_show(value)}")
    elif py_type is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise fail(f", got {_show(value)}")
        value = float(value)
        if value != value:  # nan
            raise fail(", got nan")
    elif py_type is str and meta["int_as_text"] and type(value) is int:
        if value < 0:
            raise fail(f", got {_show(value)}")
        value = str(value)
    elif py_type is str and not isinstance(value, str):
        raise fail(f", got {_show(value)}")
    lo, hi = meta["min"], meta["max"]
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise fail(f", got {_show(value)}")
    choices = meta["choices"]
    if choices is not None and value not in choices:
        raise fail(f", got {_show(value)}")
    check = meta["check"]
    if check is not None:
        problem = check(value)
        if problem:
            raise ConfigError(f"{where.where(section, key)}: [{section}] {key} must be {problem}")
    return value


def _convert_list(
    section: str,
    key: str,
    value: Any,
    meta: dict[str, Any],
    where: _Locator,
    fail: Callable[[str], ConfigError],
) -> tuple[str, ...]:
    """A list of text: each item checked on its own, the first bad one named by position."""
    if not isinstance(value, list):
        raise fail(f", got {_show(value)}")
    if meta["max"] is not None and len(value) > meta["max"]:
        raise fail(f", got {len(value)} items")
    for number, item in enumerate(value, start=1):
        if not isinstance(item, str):
            raise fail(f"; item {number} is {_show(item)}")
        problem = meta["check"](item) if meta["check"] else None
        if problem:
            at = where.where(section, key)
            raise ConfigError(f"{at}: [{section}] {key} item {number} ({_show(item)}) must be {problem}")
    return tuple(value)


def _describe(py_type: type, meta: dict[str, Any]) -> str:
    if get_origin(py_type) is tuple:
        (item, *_) = get_args(py_type)
        noun = {str: "text in quotes"}.get(item, getattr(item, "__name__", str(item)))
        most = f", at most {meta['max']:g}" if meta["max"] is not None else ""
        return f'a list of {noun} such as ["a", "b"] (or [] for none{most})'
    if meta["choices"]:
        return "one of " + ", ".join(f'"{c}"' for c in meta["choices"])
    noun = {int: "a whole number", float: "a number", str: "text in quotes", bool: "true or false"}.get(
        py_type, py_type.__name__
    )
    lo, hi = meta["min"], meta["max"]
    if lo is not None and hi is not None:
        noun += f" from {lo:g} to {hi:g}"
    elif lo is not None:
        noun += f" of at least {lo:g}"
    elif hi is not None:
        noun += f" of at most {hi:g}"
    if meta["unit"]:
        noun += f" ({meta['unit']})"
    return noun


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"' if len(value) <= 40 else f'"{value[:37]}..."'
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value) if not isinstance(value, float) else f"{value:g}"


def _suggest(word: str, known: Mapping[str, Any]) -> str:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    if close:
        return f'; did you mean "{close[0]}"?'
    return "; known: " + ", ".join(known)
