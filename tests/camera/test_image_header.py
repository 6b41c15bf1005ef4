from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.camera.image_header import probe_size


@pytest.mark.parametrize("ext", [".png", ".jpg", ".bmp", ".webp"])
@pytest.mark.parametrize("channels", [1, 3])
def test_sizes_match_what_opencv_wrote(ext: str, channels: int) -> None:
    shape = (37, 53) if channels == 1 else (37, 53, 3)
    ok, buffer = cv2.imencode(ext, np.zeros(shape, dtype=np.uint8))
    assert ok
    assert probe_size(buffer.tobytes()) == (53, 37)


def test_lossless_webp() -> None:
    ok, buffer = cv2.imencode(".webp", np.zeros((21, 34, 3), np.uint8), [cv2.IMWRITE_WEBP_QUALITY, 101])
    assert ok
    assert probe_size(buffer.tobytes()) == (34, 21)


def test_unknown_formats_are_none() -> None:
    assert probe_size(b"") is None
    assert probe_size(b"hello world") is None
    assert probe_size(b"\x89PNG\r\n\x1a\n") is None


MAGICS = [b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8", b"GIF89a", b"BM", b"RIFF"]


@given(st.binary(max_size=64), st.sampled_from(MAGICS))
def test_never_raises_on_arbitrary_bytes(tail: bytes, magic: bytes) -> None:
    result = probe_size(magic + tail)
    assert result is None or (isinstance(result, tuple) and len(result) == 2)
