"""The verdict sounds: one QSoundEffect per verdict, silent (never failing) without audio.

A kiosk PC without speakers, a tablet with its audio service down, a packaged build
missing a file: each must leave the door working. So every problem is logged once at
info level (the installer reads it in the log; nobody at the door sees it) and the
player goes quiet for that sound. The engine's verdict never waits on a sound:
`QSoundEffect.play()` returns at once and plays on Qt's audio thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtMultimedia import QMediaDevices, QSoundEffect, QtAudio

from kiosk.decision import Verdict
from kiosk.ui.resources import assets

log = logging.getLogger(__name__)


def has_audio_output() -> bool:
    """Whether the system offers any audio output device (an empty list on a box without one)."""
    return bool(QMediaDevices.audioOutputs())


def perceived_to_linear(volume: int) -> float:
    """Config volume 0-100 (as heard) to QSoundEffect's linear gain 0.0-1.0.

    Loudness is heard logarithmically: a linear 50 % still sounds nearly full, so the
    config's scale is converted the way Qt's own volume sliders are meant to be.
    """
    clamped = min(max(volume, 0), 100)
    return QtAudio.convertVolume(
        clamped / 100, QtAudio.VolumeScale.LogarithmicVolumeScale, QtAudio.VolumeScale.LinearVolumeScale
    )


class SoundPlayer(QObject):
    """Plays the admit, deny or check sound for a verdict; quiet when it cannot."""

    def __init__(
        self,
        volume: int,
        parent: QObject | None = None,
        *,
        sounds: Mapping[Verdict, Path] | None = None,
        audio_available: Callable[[], bool] = has_audio_output,
    ) -> None:
        super().__init__(parent)
        self._volume = volume
        self._effects: dict[Verdict, QSoundEffect] = {}
        self._reported_error = False
        if not audio_available():
            log.info("sounds off: no audio output device")
            return
        for verdict, path in (sounds if sounds is not None else assets.sound_paths()).items():
            # Checked here, not left to Qt: a missing file would otherwise print Qt's own
            # decoding warning on every start, and the log should name the file once.
            if not path.is_file():
                log.info("sound off for %s: file %s is missing", verdict.value, path.name)
                continue
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(path)))
            effect.setVolume(perceived_to_linear(volume))
            effect.statusChanged.connect(lambda v=verdict, e=effect: self._on_status(v, e))
            self._effects[verdict] = effect

    @property
    def volume(self) -> int:
        return self._volume

    def set_volume(self, volume: int) -> None:
        self._volume = volume
        gain = perceived_to_linear(volume)
        for effect in self._effects.values():
            effect.setVolume(gain)

    def statuses(self) -> dict[Verdict, QSoundEffect.Status]:
        """Each loaded sound's state (Loading, Ready or Error); `kiosk doctor` reports them."""
        return {verdict: effect.status() for verdict, effect in self._effects.items()}

    def can_play(self, verdict: Verdict) -> bool:
        effect = self._effects.get(verdict)
        return effect is not None and effect.status() != QSoundEffect.Status.Error

    def play(self, verdict: Verdict) -> None:
        """Start the verdict's sound (a newer verdict cuts an older sound short)."""
        if self._volume <= 0 or not self.can_play(verdict):
            return
        for other in self._effects.values():
            other.stop()
        self._effects[verdict].play()

    def _on_status(self, verdict: Verdict, effect: QSoundEffect) -> None:
        # Qt reports an unplayable file or a vanished device as Error; say so once, not per verdict.
        if effect.status() == QSoundEffect.Status.Error and not self._reported_error:
            self._reported_error = True
            log.info("sound off for %s: the audio system cannot play it", verdict.value)
