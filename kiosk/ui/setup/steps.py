"""The set-up wizard's rules, without Qt: the order of its steps and what its answers write.

The answers reach config.toml in one write, when the owner leaves the camera step for
the PIN: a wizard left before then has written nothing and starts again next time
(the data file still has no owner), and one left at the PIN starts again with its
answers filled in from the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from kiosk.camera.devices import NO_CAMERA
from kiosk.config import Config, UpstreamConfig
from kiosk.config_checks import MAX_KIOSK_ID
from kiosk.config_fields import settings_of
from kiosk.doctor import Check, Status


class Step(StrEnum):
    LANGUAGE = "language"
    VENUE = "venue"
    UPSTREAM = "upstream"
    CAMERA = "camera"
    OWNER = "owner"  # the PIN and the recovery code: today's first run, unchanged
    CHECKS = "checks"  # doctor's checks on what was set up


ORDER = tuple(Step)
# Steps whose answers are written to config.toml, and which the owner may go back to.
CONFIG_STEPS = (Step.LANGUAGE, Step.VENUE, Step.UPSTREAM, Step.CAMERA)


def next_step(step: Step) -> Step | None:
    at = ORDER.index(step)
    return ORDER[at + 1] if at + 1 < len(ORDER) else None


def previous_step(step: Step) -> Step | None:
    """Back is only among the config steps: once the PIN is chosen, the owner goes on."""
    at = CONFIG_STEPS.index(step) if step in CONFIG_STEPS else 0
    return CONFIG_STEPS[at - 1] if at > 0 else None


def writes_config(leaving: Step) -> bool:
    """The answers are written as the owner leaves the last config step."""
    return leaving is CONFIG_STEPS[-1]


@dataclass(frozen=True, slots=True)
class Answers:
    language: str = "ko"
    venue_name: str = ""
    kiosk_id: str = ""
    upstream_url: str = ""
    api_key: str = ""
    camera: str = ""  # "" or a number = a webcam; NO_CAMERA = a handheld scanner only

    @classmethod
    def of(cls, config: Config, hostname: str) -> Answers:
        """What the wizard shows first: the config in force, and a kiosk id made from the host name."""
        kiosk, up = config.kiosk, config.upstream
        kiosk_id = kiosk.id or default_kiosk_id(hostname)
        return cls(kiosk.language, kiosk.venue_name, kiosk_id, up.url, up.api_key, config.ui.camera)

    def offline(self) -> Answers:
        """The upstream step skipped: no upstream, the bundled trust list is the kiosk's."""
        return replace(self, upstream_url="", api_key="")


# Where each answer goes in config.toml.
KEYS: dict[str, tuple[str, str]] = {
    "language": ("kiosk", "language"),
    "venue_name": ("kiosk", "venue_name"),
    "kiosk_id": ("kiosk", "id"),
    "upstream_url": ("upstream", "url"),
    "api_key": ("upstream", "api_key"),
    "camera": ("ui", "camera"),
}


def set_by_installer(machine: Mapping[str, Mapping[str, Any]], answer: str) -> bool:
    """True when the machine-wide config sets this answer's key: shown, never written."""
    section, key = KEYS[answer]
    return key in machine.get(section, {})


def config_values(answers: Answers, machine: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The user-file keys the answers write, by table; the installer's keys are left out."""
    values: dict[str, dict[str, Any]] = {}
    for answer, (section, key) in KEYS.items():
        if not set_by_installer(machine, answer):
            values.setdefault(section, {})[key] = getattr(answers, answer)
    return values


_NOT_IN_ID = re.compile(r"[^A-Za-z0-9._-]+")


def default_kiosk_id(hostname: str) -> str:
    """`kiosk-<host name>`, in letters, digits, dot, dash and underscore, short enough for `[kiosk] id`."""
    host = _NOT_IN_ID.sub("-", hostname.split(".")[0]).strip("-").lower()
    return f"kiosk-{host}"[:MAX_KIOSK_ID] if host else "kiosk-1"


class UpstreamOutcome(StrEnum):
    OK = "ok"
    WRONG_KEY = "wrong_key"  # upstream answered and refused the key (or none was given)
    UNREACHABLE = "unreachable"  # no answer: network, name, port, TLS
    NOT_HTTPS = "not_https"  # not a URL the kiosk would use (plain http outside this computer)
    KEY_NOT_CHECKED = "key_not_checked"  # upstream answered but has no key check


def url_problem(url: str) -> str | None:
    """What is wrong with `url` as `[upstream] url` (the config's own rule), or None."""
    check = settings_of(UpstreamConfig)["url"][1]["check"]
    return check(url.strip()) if url.strip() else "an https URL"


def upstream_outcome(check: Check) -> UpstreamOutcome:
    """doctor's upstream check, as the wizard words it."""
    if check.status is Status.OK:
        return UpstreamOutcome.OK
    if check.cause in ("upstream.wrong_key", "upstream.no_key"):
        return UpstreamOutcome.WRONG_KEY
    if check.cause == "upstream.key_not_checked":
        return UpstreamOutcome.KEY_NOT_CHECKED
    return UpstreamOutcome.UNREACHABLE


def may_leave_upstream(url: str, outcome: UpstreamOutcome | None) -> bool:
    """Next is refused for an address the kiosk cannot use, or a key upstream just refused
    (the owner fixes it, or skips to offline mode); an untested or unreachable one may stay."""
    if not url.strip():
        return True  # the same as skipping
    return url_problem(url) is None and outcome not in (UpstreamOutcome.WRONG_KEY, UpstreamOutcome.NOT_HTTPS)


def camera_choices(numbers: Sequence[int] | None, configured: str) -> list[str]:
    """`[ui] camera` values to offer: each camera found ("" for the first), and a configured
    video file or folder; without a list of devices (Windows), the first camera."""
    found = [""] if numbers is None else ["" if n == 0 else str(n) for n in numbers]
    if configured not in ("", "0", NO_CAMERA, *found):
        found.append(configured)
    return found
