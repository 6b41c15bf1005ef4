"""What the simulated upstream does wrong, as one immutable value.

A `Faults` value is swapped atomically at run time (`POST /_sim/faults` replaces
it whole), so a request always sees one consistent set of faults. The JSON form
is the same for the `--faults FILE` option and the control endpoint; unknown
keys are an error rather than silently ignored, because a misspelt fault that
never fires makes a test pass for the wrong reason.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Literal

from kiosk.errors import ConfigError

GarbageKind = Literal["html", "json-wrong", "truncated"]
OverloadMode = Literal["reject", "slow"]
GARBAGE_KINDS: tuple[str, ...] = ("html", "json-wrong", "truncated")
OVERLOAD_MODES: tuple[str, ...] = ("reject", "slow")


class FaultsError(ConfigError):
    key = "simulator.faults_invalid"


@dataclass(frozen=True, slots=True)
class Faults:
    latency_ms: float = 0.0  # added to every matching request
    latency_jitter_ms: float = 0.0  # plus uniform 0..jitter
    error_rate: float = 0.0  # share of requests answered 503
    throttle_rate: float = 0.0  # share of requests answered 429 + Retry-After
    retry_after_s: float = 1.0  # Retry-After sent with 429 and overload 503s
    hang: bool = False  # read the request, never answer
    max_hang_s: float = 30.0  # a hung connection is closed (unanswered) after this
    garbage: GarbageKind | None = None
    reset: bool = False  # close the connection with a TCP RST instead of answering
    drop_after_ack: bool = False  # visits:batch: store the records, then reset
    # visits:batch: process only the first half of the records and answer for those alone,
    # leaving the rest neither accepted nor rejected (an upstream that gave up midway).
    partial_batch: bool = False
    # Send the status line and headers (trickle_headers) or the body (trickle_body) one byte
    # every trickle_interval_ms: each read succeeds, so only a total deadline stops it.
    trickle_headers: bool = False
    trickle_body: bool = False
    trickle_interval_ms: float = 50.0
    # Share of matching requests that hang / get garbage / reset / drop / trickle / get a
    # partial answer; 1.0 = all.
    fault_rate: float = 1.0
    capacity_rps: float | None = None  # sustained requests per second before overload
    max_concurrency: int | None = None  # requests in progress before overload
    overload_mode: OverloadMode = "reject"  # reject: 503 + Retry-After; slow: queue
    paths: tuple[str, ...] | None = None  # path prefixes the faults apply to; None = all
    # The health-wait extension (docs/upstream-api.md): an upstream whose front door is up
    # while its service is down answers `/v1/health` 503 with this Retry-After, whatever the
    # other faults do to the rest. None: health shares the other faults.
    health_retry_after_s: float | None = None

    def __post_init__(self) -> None:
        for name in ("latency_ms", "latency_jitter_ms", "retry_after_s", "max_hang_s", "trickle_interval_ms"):
            value = getattr(self, name)
            if not _is_number(value) or value < 0:
                raise FaultsError(f"faults: '{name}' must be a number >= 0, got {value!r}")
        for name in ("error_rate", "throttle_rate", "fault_rate"):
            value = getattr(self, name)
            if not _is_number(value) or not 0.0 <= value <= 1.0:
                raise FaultsError(f"faults: '{name}' must be a number between 0 and 1, got {value!r}")
        for name in ("hang", "reset", "drop_after_ack", "partial_batch", "trickle_headers", "trickle_body"):
            if not isinstance(getattr(self, name), bool):
                raise FaultsError(f"faults: '{name}' must be true or false")
        if self.garbage is not None and self.garbage not in GARBAGE_KINDS:
            raise FaultsError(f"faults: 'garbage' must be one of {', '.join(GARBAGE_KINDS)} or null")
        if self.overload_mode not in OVERLOAD_MODES:
            raise FaultsError(f"faults: 'overload_mode' must be one of {', '.join(OVERLOAD_MODES)}")
        if self.health_retry_after_s is not None and (
            not _is_number(self.health_retry_after_s) or self.health_retry_after_s < 0
        ):
            raise FaultsError("faults: 'health_retry_after_s' must be a number >= 0 or null")
        if self.capacity_rps is not None and (not _is_number(self.capacity_rps) or self.capacity_rps <= 0):
            raise FaultsError("faults: 'capacity_rps' must be a number > 0 or null")
        if self.max_concurrency is not None and (
            isinstance(self.max_concurrency, bool)
            or not isinstance(self.max_concurrency, int)
            or self.max_concurrency < 1
        ):
            raise FaultsError("faults: 'max_concurrency' must be an integer >= 1 or null")
        if self.paths is not None and (
            not isinstance(self.paths, tuple)
            or not all(isinstance(p, str) and p.startswith("/") for p in self.paths)
        ):
            raise FaultsError("faults: 'paths' must be a list of paths starting with '/' or null")

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | str | bytes) -> Faults:
        """Build from a JSON object (or its text); unknown keys and wrong types raise FaultsError."""
        if isinstance(data, str | bytes):
            try:
                data = json.loads(data)
            except (ValueError, UnicodeDecodeError) as exc:
                raise FaultsError(f"faults: not valid JSON ({exc})") from exc
        if not isinstance(data, Mapping):
            raise FaultsError("faults: expected a JSON object")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise FaultsError(
                f"faults: unknown key(s) {', '.join(unknown)}; known keys: {', '.join(sorted(known))}"
            )
        values = dict(data)
        if "paths" in values and values["paths"] is not None:
            if not isinstance(values["paths"], list | tuple):
                raise FaultsError("faults: 'paths' must be a list of paths starting with '/' or null")
            values["paths"] = tuple(values["paths"])
        return cls(**values)

    @classmethod
    def from_file(cls, path: Path) -> Faults:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise FaultsError(f"faults file {path.name}: cannot be read ({exc.strerror})") from exc
        try:
            return cls.from_json(text)
        except FaultsError as exc:
            raise FaultsError(f"faults file {path.name}: {exc.message}") from exc

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        if self.paths is not None:
            out["paths"] = list(self.paths)
        return out

    def applies_to(self, path: str) -> bool:
        return self.paths is None or any(
            path == p or path.startswith(p.rstrip("/") + "/") for p in self.paths
        )

    @property
    def has_overload_limit(self) -> bool:
        return self.capacity_rps is not None or self.max_concurrency is not None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
