"""A stand-in for the kiosk's speakers: a PulseAudio server with a null sink in a test's folder.

Qt's QSoundEffect reports a sound Ready only once an audio output device accepts its format;
a test machine has no sound card, so the null sink plays that part (Debian's pulseaudio).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def null_sink(folder: Path) -> Iterator[dict[str, str]]:
    """The environment under which Qt finds the null sink as its audio output device."""
    server = shutil.which("pulseaudio")
    if server is None:
        pytest.skip("pulseaudio is not installed (./dev setup installs it): no audio device for the sounds")
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(folder), "HOME": str(folder)}
    env.pop("PULSE_SERVER", None)
    daemon = subprocess.Popen(
        [server, "-n", "--daemonize=no", "--exit-idle-time=-1", "--log-target=stderr",
         "--load=module-null-sink sink_name=kiosk", "--load=module-native-protocol-unix"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        for _ in range(200):  # the server takes a moment to open its socket
            answered = subprocess.run(["pactl", "info"], capture_output=True, env=env, timeout=20)
            if answered.returncode == 0 or daemon.poll() is not None:
                break
            time.sleep(0.05)
        assert answered.returncode == 0, "the PulseAudio null sink did not start"
        yield env
    finally:
        daemon.terminate()
        daemon.wait(timeout=20)
