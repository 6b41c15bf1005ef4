"""Which cameras this computer has, by the number `[ui] camera` takes."""

from __future__ import annotations

import os
import re
from pathlib import Path

_VIDEO_NODE = re.compile(r"video(\d+)")
# `[ui] camera = "none"`: a handheld scanner only, the window opens no camera.
NO_CAMERA = "none"


def camera_numbers(dev: Path = Path("/dev")) -> list[int] | None:
    """The numbers of the video devices (Linux: /dev/videoN), or None where they cannot be listed
    without opening each camera (Windows, macOS)."""
    if os.name != "posix" or not dev.is_dir():
        return None
    found = (_VIDEO_NODE.fullmatch(path.name) for path in dev.glob("video*"))
    return sorted(int(match.group(1)) for match in found if match)
