"""`kiosk doctor`'s checks of the window's own parts: Qt with its platform plugin, and the sounds.

Each runs `kiosk doctor --qt-probe PLATFORM` (kiosk/ui/desktop/qt_probe.py) as a child process:
a platform plugin that cannot load (a missing libxcb-cursor0, no GL library) ends the process
that tried, and `kiosk run` would then exit at the first window instead of here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass

from kiosk import doctor
from kiosk.paths import COMMAND

# Qt starts in well under a second; a first start on a slow disk reads ~100 MB of libraries.
_PROBE_TIMEOUT_S = 60.0
# The sound names of the probe's answer, in the order the window's verdicts go.
SOUND_NAMES = ("admit", "deny", "manual")


@dataclass(frozen=True, slots=True)
class ProbeResult:
    platform: str
    answer: Mapping[str, object] | None  # the probe's JSON, or None when it did not answer
    error: str = ""  # why not: the child's last words on stderr


def probe_command(platform: str) -> list[str]:
    """This program asked again: the bundle's own executable, or this interpreter with the package."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "doctor", "--qt-probe", platform]
    return [sys.executable, "-m", "kiosk", "doctor", "--qt-probe", platform]


def run_probe(platform: str, env: Mapping[str, str] | None = None) -> ProbeResult:
    """`env`: the child's environment (this process's by default)."""
    child = {**(os.environ if env is None else env), "QT_QPA_PLATFORM": platform}
    try:
        done = subprocess.run(probe_command(platform), capture_output=True, text=True,
                              timeout=_PROBE_TIMEOUT_S, check=False, env=child)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return ProbeResult(platform, None, type(exc).__name__)
    lines = done.stdout.strip().splitlines()
    if done.returncode == 0 and lines:
        try:
            return ProbeResult(platform, json.loads(lines[-1]))
        except ValueError:
            pass
    return ProbeResult(platform, None, _last_words(done.stderr) or f"exit status {done.returncode}")


def _last_words(stderr: str) -> str:
    # Qt says why a plugin failed over a few lines ("xcb-cursor0 is needed", "could not load");
    # its advice to reinstall the application is no news to an installer.
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    useful = [line for line in lines if "needed" in line or "Could not" in line or "Error" in line]
    return "; ".join((useful or lines)[-2:])[:300]


def display_platforms(env: Mapping[str, str]) -> list[str]:
    """The platforms to try: offscreen always (no display needed), xcb where an X display is set."""
    return ["offscreen", *(["xcb"] if env.get("DISPLAY") else [])]


def check_platforms(results: list[ProbeResult]) -> doctor.Check:
    failed = [r for r in results if r.answer is None]
    if failed:
        first = failed[0]
        return doctor.Check(
            "Qt platform",
            doctor.Status.FAIL,
            f"Qt does not start on {first.platform}: {first.error}",
            "install the system libraries the kiosk needs (the .deb's Depends: libgl1 libegl1 libxcb1 "
            f"libfontconfig1 libpulse0 libzbar0), then run `{COMMAND} doctor` again",
        )
    started = ", ".join(r.platform for r in results)
    more = "" if len(results) > 1 else " (no display: xcb not tried)"
    return doctor.Check("Qt platform", doctor.Status.OK, f"Qt starts on {started}{more}")


def check_sounds(result: ProbeResult) -> doctor.Check:
    """Every verdict sound Ready in QSoundEffect; without an audio device Qt cannot say."""
    if result.answer is None:
        return doctor.Check(
            "sounds",
            doctor.Status.FAIL,
            f"the sound player did not load: {result.error}",
            "reinstall the kiosk (package or installer): without it the door is silent",
        )
    sounds = result.answer.get("sounds")
    states = sounds if isinstance(sounds, dict) else {}
    listed = ", ".join(f"{name} {states.get(name, 'missing')}" for name in SOUND_NAMES)
    if all(states.get(name) == "Ready" for name in SOUND_NAMES):
        return doctor.Check("sounds", doctor.Status.OK, listed)
    if not result.answer.get("audio_output"):
        return doctor.Check(
            "sounds",
            doctor.Status.WARN,
            f"no audio output device, so Qt loads no sound ({listed})",
            "plug in speakers or turn on the sound service, then run "
            f"`{COMMAND} doctor` again; the kiosk works silently meanwhile",
        )
    return doctor.Check(
        "sounds",
        doctor.Status.FAIL,
        listed,
        "reinstall the kiosk: a sound file or Qt's audio support is missing from the install",
    )
