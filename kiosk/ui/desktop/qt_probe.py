"""What `kiosk doctor` and the installer's start check cannot see from outside: does Qt start
on a platform plugin, and does the sound player load the verdict sounds?

Run in a process of its own (`kiosk doctor --qt-probe PLATFORM`): a platform plugin that
cannot load ends the whole process, and a process gets only one QGuiApplication. The answer
is one JSON line on stdout, so the asking process never has to import Qt itself.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from PySide6.QtGui import QGuiApplication
from PySide6.QtMultimedia import QSoundEffect

from kiosk.ui.resources.sounds import SoundPlayer, has_audio_output

# QSoundEffect reads and checks a short WAV in milliseconds; a slow disk gets far more.
_LOAD_WAIT_S = 10.0


def probe(platform: str, *, monotonic: Callable[[], float] = time.monotonic) -> dict[str, object]:
    """Start Qt on `platform`, then load every verdict sound as the window does and wait until
    each is Ready or Error. With no audio output device Qt reports every sound as Error, so
    the answer says whether there was one."""
    app = QGuiApplication(["kiosk", "-platform", platform])
    audio = has_audio_output()
    # Loaded even without a device: the answer then shows that the player and QtMultimedia are
    # in the install, and the device count says why the sounds did not reach Ready.
    player = SoundPlayer(0, audio_available=lambda: True)
    deadline = monotonic() + _LOAD_WAIT_S
    while not _settled(player) and monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()
    return {
        "platform": app.platformName(),
        "audio_output": audio,
        "sounds": {verdict.value: status.name for verdict, status in player.statuses().items()},
    }


def _settled(player: SoundPlayer) -> bool:
    waiting = (QSoundEffect.Status.Null, QSoundEffect.Status.Loading)
    return not any(status in waiting for status in player.statuses().values())


def print_probe(platform: str) -> int:
    print(json.dumps(probe(platform)))
    return 0
