"""`kiosk doctor`'s "Qt platform" and "sounds" checks: Qt really starts on its platform plugin in a
child process, and each verdict sound reaches QSoundEffect Ready where there is an audio device."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk import doctor
from kiosk.cli import main
from kiosk.commands import doctor_qt
from tests.audio_sink import null_sink


def _doctor_rows(capsys: pytest.CaptureFixture[str], data: Path) -> dict[str, dict[str, str]]:
    main(["doctor", "--json", "--no-network", "--data", str(data)])
    return {row["check"]: row for row in map(json.loads, capsys.readouterr().out.splitlines())}


def test_every_sound_is_ready_with_an_audio_device(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with null_sink(tmp_path / "pulse") as env:
        monkeypatch.setenv("XDG_RUNTIME_DIR", env["XDG_RUNTIME_DIR"])
        rows = _doctor_rows(capsys, tmp_path / "data")
    assert rows["sounds"]["status"] == "ok"
    assert rows["sounds"]["detail"] == "admit Ready, deny Ready, manual Ready"
    assert rows["Qt platform"]["status"] == "ok"


def test_without_an_audio_device_the_sounds_are_a_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PULSE_SERVER", raising=False)  # the test's own runtime folder has no server
    rows = _doctor_rows(capsys, tmp_path / "data")
    assert rows["sounds"]["status"] == "warn"
    assert rows["sounds"]["detail"].startswith("no audio output device")


def test_a_platform_plugin_that_does_not_load_fails_with_qts_reason() -> None:
    results = [doctor_qt.run_probe("offscreen"), doctor_qt.run_probe("nosuchplatform")]
    check = doctor_qt.check_platforms(results)
    assert check.status is doctor.Status.FAIL
    assert check.detail.startswith("Qt does not start on nosuchplatform: ")
    assert "nosuchplatform" in check.detail.removeprefix("Qt does not start on nosuchplatform: ")


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed (./dev setup installs xvfb)")
def test_with_a_display_xcb_is_tried_too() -> None:
    # -displayfd: Xvfb picks a free display and writes its number once it accepts clients.
    xvfb = ["Xvfb", "-displayfd", "1", "-nolisten", "tcp"]
    server = subprocess.Popen(xvfb, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        display = f":{server.stdout.readline().strip()}"
        env = {**os.environ, "DISPLAY": display}
        platforms = doctor_qt.display_platforms(env)
        assert platforms == ["offscreen", "xcb"]
        check = doctor_qt.check_platforms([doctor_qt.run_probe(p, env) for p in platforms])
        assert check.status is doctor.Status.OK, check.detail
        assert check.detail == "Qt starts on offscreen, xcb"
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_a_sound_missing_with_a_device_present_fails() -> None:
    answer = {"platform": "offscreen", "audio_output": True, "sounds": {"admit": "Ready", "deny": "Ready"}}
    check = doctor_qt.check_sounds(doctor_qt.ProbeResult("offscreen", answer))
    assert check.status is doctor.Status.FAIL
    assert check.detail == "admit Ready, deny Ready, manual missing"


def test_a_probe_that_did_not_answer_fails_the_sounds() -> None:
    check = doctor_qt.check_sounds(doctor_qt.ProbeResult("offscreen", None, "ImportError"))
    assert check.status is doctor.Status.FAIL
    assert check.detail == "the sound player did not load: ImportError"
