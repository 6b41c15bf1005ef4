from __future__ import annotations

import base64
import json
import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.camera.decoder import QrDecoder
from kiosk.camera.images import decode_image_bytes, decode_image_file, read_bgr, read_gray
from kiosk.errors import InputError
from tests.camera.corpus import DGC_DIR, picture_cases, png_files
from tests.camera.qrimages import qr_image

PICTURE_CASES = picture_cases()
corpus_missing = pytest.mark.skipif(
    not PICTURE_CASES, reason=f"DCC corpus not found at {DGC_DIR} (put the shared test data beside the repo)"
)


@pytest.fixture(scope="module")
def decoder() -> QrDecoder:
    return QrDecoder()


class TickClock:
    """Monotonic time that moves 4 ms per reading, so `ms` is known exactly."""

    def __init__(self) -> None:
        self._t = 100.0

    def now(self) -> float:
        return 1_700_000_000.0

    def monotonic(self) -> float:
        self._t += 0.004
        return self._t

    def sleep(self, seconds: float) -> None:
        self._t += seconds


def write_png(path: Path, image: np.ndarray) -> Path:
    ok, buffer = cv2.imencode(".png", image)
    assert ok
    buffer.tofile(path)
    return path


@pytest.mark.corpus
@corpus_missing
@pytest.mark.parametrize(("case_id", "case"), PICTURE_CASES, ids=[c[0] for c in PICTURE_CASES])
def test_corpus_2dcode_pictures(decoder: QrDecoder, case_id: str, case: dict) -> None:
    expected = case["EXPECTEDRESULTS"]["EXPECTEDPICTUREDECODE"]
    try:
        texts = decode_image_bytes(base64.b64decode(case["2DCODE"]), name=case_id, decoder=decoder).texts
    except InputError:
        texts = ()
    if expected:
        assert texts == (case["PREFIX"],)
    else:
        assert case["PREFIX"] not in texts


@pytest.mark.corpus
@pytest.mark.skipif(not png_files(), reason=f"no PNG files in the DCC corpus at {DGC_DIR}")
def test_corpus_png_files_match_their_raw_case(decoder: QrDecoder) -> None:
    checked = 0
    for png in png_files():
        raw = png.parent.parent / "raw" / f"{png.stem}.json"
        scan = decode_image_file(png, decoder=decoder)
        assert len(scan.texts) == 1, png
        if raw.is_file():
            assert scan.texts[0] == json.loads(raw.read_text(encoding="utf-8"))["PREFIX"]
            checked += 1
    assert checked > 0


def test_generated_png_decodes_and_ms_comes_from_the_clock(tmp_path: Path, decoder: QrDecoder) -> None:
    file = write_png(tmp_path / "pass.png", qr_image("KP1:abc"))
    scan = decode_image_file(file, decoder=decoder, clock=TickClock())
    assert scan.texts == ("KP1:abc",)
    assert scan.file == str(file)
    assert scan.ms == pytest.approx(4.0)


def test_non_ascii_path(tmp_path: Path, decoder: QrDecoder) -> None:
    folder = tmp_path / "사진"
    folder.mkdir()
    file = write_png(folder / "입장권 ä.png", qr_image("KP1:unicode-path"))
    assert decode_image_file(file, decoder=decoder).texts == ("KP1:unicode-path",)


def test_jpeg_photo_decodes(tmp_path: Path, decoder: QrDecoder) -> None:
    file = tmp_path / "photo.jpg"
    ok, buffer = cv2.imencode(".jpg", qr_image("KP1:jpeg", px=5), [cv2.IMWRITE_JPEG_QUALITY, 60])
    assert ok
    buffer.tofile(file)
    assert decode_image_file(file, decoder=decoder).texts == ("KP1:jpeg",)


def test_black_on_transparent_png_is_composited_on_white(tmp_path: Path, decoder: QrDecoder) -> None:
    gray = qr_image("KP1:alpha")
    bgra = np.zeros((*gray.shape, 4), dtype=np.uint8)  # every pixel black; only alpha draws the code
    bgra[:, :, 3] = 255 - gray
    file = write_png(tmp_path / "alpha.png", bgra)
    assert decode_image_file(file, decoder=decoder).texts == ("KP1:alpha",)
    assert read_bgr(file).shape == (*gray.shape, 3)


def test_sixteen_bit_png(tmp_path: Path, decoder: QrDecoder) -> None:
    file = write_png(tmp_path / "deep.png", qr_image("KP1:16bit").astype(np.uint16) * 257)
    assert read_gray(file).dtype == np.uint8
    assert decode_image_file(file, decoder=decoder).texts == ("KP1:16bit",)


def test_image_without_code_gives_empty_texts(tmp_path: Path, decoder: QrDecoder) -> None:
    file = write_png(tmp_path / "white.png", np.full((300, 400), 255, dtype=np.uint8))
    assert decode_image_file(file, decoder=decoder).texts == ()


def _error_key(path: Path, **kwargs: int) -> str:
    with pytest.raises(InputError) as caught:
        decode_image_file(path, **kwargs)
    assert str(path) in caught.value.message
    return caught.value.key


def test_missing_file(tmp_path: Path) -> None:
    assert _error_key(tmp_path / "nope.png") == "input.file_missing"


def test_directory(tmp_path: Path) -> None:
    assert _error_key(tmp_path) == "input.not_a_file"


def test_empty_file(tmp_path: Path) -> None:
    file = tmp_path / "empty.png"
    file.write_bytes(b"")
    assert _error_key(file) == "input.empty"


def test_text_file_is_not_an_image(tmp_path: Path) -> None:
    file = tmp_path / "notes.png"
    file.write_text("HC1:this is text, not a picture\n", encoding="utf-8")
    assert _error_key(file) == "input.not_image"


@pytest.mark.parametrize("keep", [0.5, 0.9, 40])
def test_truncated_png(tmp_path: Path, keep: float) -> None:
    ok, buffer = cv2.imencode(".png", qr_image("KP1:truncated"))
    assert ok
    data = buffer.tobytes()
    cut = int(len(data) * keep) if keep < 1 else int(keep)
    file = tmp_path / "cut.png"
    file.write_bytes(data[:cut])
    assert _error_key(file) == "input.not_image"


def _png_header_only(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))


def test_huge_png_is_refused_from_its_header_without_decoding(tmp_path: Path) -> None:
    file = tmp_path / "bomb.png"
    # 50000 x 50000 would need 2.5 GB once decoded; the header alone must be enough to refuse it.
    file.write_bytes(_png_header_only(50_000, 50_000) + b"\x00" * 64)
    assert _error_key(file) == "input.too_large"


def test_too_many_pixels_is_refused_for_formats_without_header_probe(tmp_path: Path) -> None:
    file = tmp_path / "big.tiff"
    ok, buffer = cv2.imencode(".tiff", np.full((1200, 1000), 255, dtype=np.uint8))
    assert ok
    buffer.tofile(file)
    assert _error_key(file, max_pixels=1_000_000) == "input.too_large"
    assert decode_image_file(file, max_pixels=1_200_000).texts == ()


@pytest.mark.parametrize("ext", [".png", ".jpg", ".bmp", ".webp"])
def test_header_limit_applies_to_common_formats(tmp_path: Path, ext: str) -> None:
    file = tmp_path / f"big{ext}"
    ok, buffer = cv2.imencode(ext, np.full((600, 500), 255, dtype=np.uint8))
    assert ok
    buffer.tofile(file)
    assert _error_key(file, max_pixels=299_999) == "input.too_large"
    assert decode_image_file(file, max_pixels=300_000).texts == ()
