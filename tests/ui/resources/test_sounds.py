"""The verdict sounds: valid, told apart by ear, made by the project's script, and never a crash."""

from __future__ import annotations

import ast
import gc
import itertools
import logging
import subprocess
import sys
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from kiosk.decision import Verdict
from kiosk.ui.app import sound_player
from kiosk.ui.resources import assets
from kiosk.ui.resources.sounds import SoundPlayer, has_audio_output, perceived_to_linear

REPO = Path(__file__).resolve().parents[3]
NAMES = {Verdict.ADMIT: "admit", Verdict.DENY: "deny", Verdict.MANUAL: "check"}


def read(verdict: Verdict) -> tuple[np.ndarray, int]:
    with wave.open(str(assets.sound_path(verdict)), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getcomptype()) == (1, 2, "NONE")
        rate = w.getframerate()
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(float) / 32767
    return samples, rate


def dominant_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spectrum))])


def loud_runs(samples: np.ndarray, rate: int) -> list[tuple[float, float]]:
    """(start_s, end_s) of the stretches whose 5 ms RMS is above 2 % of full scale."""
    win = int(rate * 0.005)
    rms = np.sqrt(np.convolve(samples**2, np.ones(win) / win, mode="same"))
    loud = rms > 0.02
    edges = np.flatnonzero(np.diff(loud.astype(int)))
    bounds = [0, *(edges + 1).tolist(), len(samples)]
    return [(a / rate, b / rate) for a, b in itertools.pairwise(bounds) if loud[a]]


@pytest.mark.parametrize("verdict", list(NAMES))
def test_each_sound_is_a_short_clean_mono_clip(verdict: Verdict) -> None:
    samples, rate = read(verdict)
    assert rate == 44_100
    assert 0.3 <= len(samples) / rate <= 0.6
    assert 0.5 < np.max(np.abs(samples)) < 0.99  # audible, never clipping
    edge = int(rate * 0.0005)
    # Starts and ends in silence, and no sample-to-sample jump a speaker would click on
    # (a full-scale sine at 1 kHz moves at most ~0.15 per sample at 44.1 kHz).
    assert np.max(np.abs(samples[:edge])) < 0.02
    assert np.max(np.abs(samples[-edge:])) < 0.02
    assert np.max(np.abs(np.diff(samples))) < 0.2


def test_the_three_sounds_differ_in_pitch_and_shape() -> None:
    clips = {v: read(v) for v in NAMES}
    pitch = {v: dominant_hz(*clips[v]) for v in NAMES}
    assert pitch[Verdict.DENY] < pitch[Verdict.ADMIT] < pitch[Verdict.MANUAL]
    assert min(abs(pitch[a] - pitch[b]) for a in NAMES for b in NAMES if a != b) > 100

    admit, rate = clips[Verdict.ADMIT]
    assert dominant_hz(admit[: int(0.12 * rate)], rate) < dominant_hz(admit[-int(0.2 * rate) :], rate)
    deny, rate = clips[Verdict.DENY]
    assert dominant_hz(deny[: int(0.18 * rate)], rate) > dominant_hz(deny[-int(0.2 * rate) :], rate)
    check, rate = clips[Verdict.MANUAL]
    runs = loud_runs(check, rate)
    assert len(runs) == 2 and runs[1][0] - runs[0][1] >= 0.05  # a double beep with a clear gap
    assert len(loud_runs(admit, rate)) == 1  # the chime rings on: the check sound stays unique


def lowest_strong_hz(samples: np.ndarray, rate: int, share: float = 0.1) -> float:
    """The lowest frequency carrying at least `share` of the strongest one's amplitude: the fundamental."""
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    freqs = np.fft.rfftfreq(len(samples), 1 / rate)
    return float(freqs[np.flatnonzero(spectrum >= share * spectrum.max())[0]])


@pytest.mark.parametrize("verdict", list(NAMES))
def test_every_sound_is_audible_on_a_tablet_speaker(verdict: Verdict) -> None:
    # Small speakers give little below ~400 Hz: the deny tone, above all, must not live there.
    samples, rate = read(verdict)
    assert lowest_strong_hz(samples, rate) >= 400
    for part in (samples[: int(0.2 * rate)], samples[int(0.22 * rate) :]):  # each note of a pair
        assert lowest_strong_hz(part, rate) >= 400


def test_committed_sounds_are_what_the_script_makes(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "make_sounds.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for verdict, name in NAMES.items():
        assert (tmp_path / f"{name}.wav").read_bytes() == assets.sound_path(verdict).read_bytes()


def test_config_volume_is_heard_not_linear() -> None:
    gains = [perceived_to_linear(v) for v in (0, 25, 50, 75, 100)]
    assert gains[0] == 0 and gains[-1] == pytest.approx(1.0)
    assert gains == sorted(gains) and gains[2] < 0.5
    assert perceived_to_linear(-5) == 0 and perceived_to_linear(150) == pytest.approx(1.0)


@pytest.fixture
def slot_errors(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[BaseException]]:
    """Exceptions raised in Qt slots: PySide prints them through sys.excepthook and goes on."""
    errors: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda _t, exc, _tb: errors.append(exc))
    yield errors


def only_info_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    records = [r for r in caplog.records if r.name == "kiosk.ui.resources.sounds"]
    assert all(r.levelno == logging.INFO and r.exc_info is None for r in records)
    return [r.getMessage() for r in records]


def test_no_audio_device_is_one_info_line_and_silence(qapp, caplog, slot_errors) -> None:
    caplog.set_level(logging.INFO)
    player = SoundPlayer(80, audio_available=lambda: False)  # a PC without any audio output
    for verdict in Verdict:
        player.play(verdict)
    assert only_info_lines(caplog) == ["sounds off: no audio output device"]
    assert not any(player.can_play(v) for v in Verdict)
    assert slot_errors == []


def test_a_missing_file_silences_only_that_sound(qapp, caplog, tmp_path, slot_errors) -> None:
    caplog.set_level(logging.INFO)
    sounds = {**assets.sound_paths(), Verdict.DENY: tmp_path / "gone.wav"}
    player = SoundPlayer(80, sounds=sounds, audio_available=lambda: True)
    player.play(Verdict.DENY)
    assert only_info_lines(caplog)[0] == "sound off for deny: file gone.wav is missing"
    assert not player.can_play(Verdict.DENY)
    assert slot_errors == []


def test_the_real_audio_system_never_raises(qapp, qtbot, caplog, slot_errors) -> None:
    """Whatever this machine has (a sound card or none at all), playing never fails."""
    # Players of earlier tests may still report their devices' status: let them go first.
    gc.collect()
    qtbot.wait(100)
    caplog.clear()
    caplog.set_level(logging.INFO)
    player = SoundPlayer(60)
    for verdict in (Verdict.ADMIT, Verdict.DENY, Verdict.MANUAL):
        player.play(verdict)
        qtbot.wait(50)
    player.set_volume(0)
    player.play(Verdict.ADMIT)
    assert len(only_info_lines(caplog)) <= 1
    assert slot_errors == []


def test_a_device_that_fails_to_play_is_reported_once(qapp, qtbot, caplog, slot_errors) -> None:
    if has_audio_output():
        pytest.skip("needs a machine whose audio system cannot play")
    # Told there is an output while the audio system has none: every effect ends in Error.
    caplog.set_level(logging.INFO)
    player = SoundPlayer(80, audio_available=lambda: True)
    # Loading also reads "cannot play yet": wait for the Error itself (a loaded machine is slow).
    qtbot.waitUntil(lambda: bool(only_info_lines(caplog)), timeout=15000)
    assert not any(player.can_play(v) for v in NAMES)
    for verdict in NAMES:
        player.play(verdict)
    qtbot.wait(100)
    lines = only_info_lines(caplog)
    assert len(lines) == 1 and "cannot play" in lines[0]
    assert slot_errors == []


def top_level_imports(path: Path) -> set[str]:
    """The modules a file imports when it is loaded (not inside functions nor TYPE_CHECKING)."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_app_imports_its_sounds_plainly_and_makes_a_player(qapp, slot_errors) -> None:
    # PyInstaller bundles only what plain imports name: a module looked up by name at run
    # time is left out of the packaged app, which then plays no sound at all.
    imported = top_level_imports(REPO / "kiosk" / "ui" / "app.py")
    assert "kiosk.ui.resources.sounds" in imported
    assert {"kiosk.ui.resources.fonts", "kiosk.ui.resources.i18n"} <= imported
    assert "importlib" not in imported
    player = sound_player(70)
    assert isinstance(player, SoundPlayer) and player.volume == 70
    for verdict in Verdict:
        player.play(verdict)  # silent on a machine without audio, never failing
    assert slot_errors == []
