from __future__ import annotations

import random
import sys

import numpy as np
import pytest

from kiosk.camera.decoder import (
    DecoderSettings,
    PyzbarBackend,
    QrDecoder,
    RawCode,
    ZxingBackend,
    as_gray,
    default_backend,
)
from kiosk.camera.errors import DecoderUnavailableError
from tests.camera.qrimages import (
    add_noise,
    blur,
    dcc_like_text,
    garble,
    place,
    qr_image,
    qr_modules,
    render,
    resize,
    rotate,
    scene,
)


@pytest.fixture(scope="module")
def decoder() -> QrDecoder:
    return QrDecoder()


@pytest.fixture(scope="module")
def dcc_text() -> str:
    return dcc_like_text(random.Random(2026))


@pytest.mark.parametrize(
    "text",
    [
        "KP1:dGhpcy1pcy1hLWNoZWNrLWluLXRva2Vu",
        "입장권 QR 안녕하세요",  # UTF-8 multi-byte text survives unchanged
        "tab\there\x01\x1f control",  # Plain mode: control characters are not escaped
        "shc:/5676290952432060346029243740",
    ],
)
def test_generated_texts_decode_exactly(decoder: QrDecoder, text: str) -> None:
    assert decoder.decode(qr_image(text)) == [text]


def test_dcc_sized_code_decodes(decoder: QrDecoder, dcc_text: str) -> None:
    image = qr_image(dcc_text, px=3)
    assert qr_modules(dcc_text).shape[0] >= 65
    assert decoder.decode(image) == [dcc_text]


def test_binary_content_is_returned_as_decoded_not_raised(decoder: QrDecoder) -> None:
    payload = b"\xff\xfe\x00\x01binary\x80\x81\xc3("
    texts = decoder.decode(qr_image(payload))
    assert len(texts) == 1
    # One character per byte: the content is not lost, and invalid UTF-8 does not crash.
    assert texts[0].encode("latin-1") == payload


def test_two_codes_in_one_image_both_found_once(decoder: QrDecoder) -> None:
    left, right = qr_image("KP1:first", px=5), qr_image("KP1:second", px=5)
    canvas = np.full((400, 700), 255, dtype=np.uint8)
    canvas = place(place(canvas, left, 20, 20), right, 380, 20)
    assert sorted(decoder.decode(canvas)) == ["KP1:first", "KP1:second"]


def _degrade(name: str, base: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    if name == "scaled_down_3px":
        return resize(base, 3 / 6)
    if name == "blurred":
        return blur(resize(base, 4 / 6), 0.9)
    if name == "rotated_17":
        return rotate(base, 17)
    if name == "rotated_90":
        return np.ascontiguousarray(np.rot90(base))
    if name == "upside_down":
        return np.ascontiguousarray(base[::-1, ::-1])
    if name == "noisy":
        return add_noise(base, rng, 25.0)
    if name == "webcam_frame":
        small = add_noise(blur(resize(base, 4 / 6), 0.6), rng, 5.0)
        return place(scene(rng), small, 520, 140)
    if name == "webcam_frame_tilted":
        small = rotate(resize(base, 4 / 6), -8)
        return place(scene(rng), small, 300, 40)
    if name == "inverted":
        return 255 - base
    raise AssertionError(name)


@pytest.mark.parametrize(
    "degradation",
    [
        "scaled_down_3px",
        "blurred",
        "rotated_17",
        "rotated_90",
        "upside_down",
        "noisy",
        "webcam_frame",
        "webcam_frame_tilted",
        "inverted",
    ],
)
def test_degraded_images_still_decode(decoder: QrDecoder, dcc_text: str, degradation: str) -> None:
    image = _degrade(degradation, qr_image(dcc_text, px=6), np.random.default_rng(11))
    assert decoder.decode(image) == [dcc_text]


def test_retry_recovers_blurred_small_codes_the_first_pass_misses(decoder: QrDecoder) -> None:
    first_pass = retried = 0
    for seed in range(3):
        rng = np.random.default_rng(seed)
        text = dcc_like_text(random.Random(seed))
        base = render(qr_modules(text), px=4)
        background = scene(rng)
        for px in (2.4, 2.8, 3.2):
            for sigma in (1.2, 1.6):
                frame = place(background, add_noise(blur(resize(base, px / 4), sigma), rng, 4.0), 300, 100)
                plain = text in decoder.scan(frame, retry_variants=()).texts
                full = text in decoder.decode(frame)
                assert full or not plain  # the retry never loses what the first pass found
                first_pass += plain
                retried += full
    assert retried > first_pass


def test_garbled_beyond_error_correction_gives_no_text(decoder: QrDecoder) -> None:
    rng = np.random.default_rng(5)
    modules = qr_modules("KP1:" + "x" * 120, error="l")
    assert decoder.decode(render(modules)) == ["KP1:" + "x" * 120]  # control: intact code reads
    assert decoder.decode(render(garble(modules, rng, 0.3))) == []


def test_noise_and_blank_images_give_no_text(decoder: QrDecoder) -> None:
    rng = np.random.default_rng(9)
    noise = rng.integers(0, 256, size=(720, 1280), dtype=np.uint8)
    assert decoder.decode(noise) == []
    assert decoder.decode(np.full((720, 1280), 255, dtype=np.uint8)) == []
    assert decoder.decode(scene(rng)) == []


def test_bgr_frames_are_accepted(decoder: QrDecoder) -> None:
    gray = qr_image("KP1:colour")
    bgr = np.dstack([gray, gray, gray])
    assert decoder.decode(bgr) == ["KP1:colour"]


@pytest.mark.parametrize(
    "bad",
    [np.zeros((10, 10), dtype=np.float32), np.zeros((10, 10, 2), dtype=np.uint8), np.zeros((0, 0), np.uint8)],
)
def test_unusable_arrays_are_rejected(decoder: QrDecoder, bad: np.ndarray) -> None:
    with pytest.raises(TypeError):
        decoder.decode(bad)


class RecordingBackend:
    """The real zxing backend, recording the size of every image it is asked to read."""

    name = "recording"

    def __init__(self) -> None:
        self._inner = ZxingBackend()
        self.calls: list[list[tuple[int, int]]] = []

    def start_frame(self) -> None:
        self.calls.append([])

    def read(self, gray: np.ndarray) -> list[RawCode]:
        self.calls[-1].append(gray.shape[:2])
        return self._inner.read(gray)


def test_stream_retries_only_every_nth_empty_frame_rotating_variants() -> None:
    backend = RecordingBackend()
    decoder = QrDecoder(DecoderSettings(retry_every_n_frames=3), backend=backend, second=backend)
    empty = scene(np.random.default_rng(3), 320, 240)
    for _ in range(25):
        backend.start_frame()
        assert decoder.decode_frame(empty) == []
    passes = [len(calls) for calls in backend.calls]
    assert passes == [1] + [1, 1, 2] * 8
    retry_sizes = [calls[1] for calls in backend.calls if len(calls) == 2]
    # The guide is 133 px of a 240-line frame. Sharpened (whole frame), the guide 2.5x, the
    # guide's CLAHE, the guide normalised and 2x, the guide for the second decoder, the guide
    # 3x, the guide normalised for the second decoder, then again.
    assert retry_sizes == [
        (240, 320),
        (332, 332),
        (133, 133),
        (266, 266),
        (133, 133),
        (399, 399),
        (266, 266),
        (240, 320),
    ]


def test_stream_counter_restarts_after_a_hit() -> None:
    backend = RecordingBackend()
    decoder = QrDecoder(DecoderSettings(retry_every_n_frames=2), backend=backend)
    empty = np.full((200, 200), 255, dtype=np.uint8)
    code = qr_image("KP1:hit")
    frames = [empty, empty, code, empty, empty]
    results = []
    for frame in frames:
        backend.start_frame()
        results.append(decoder.decode_frame(frame))
    assert results == [[], [], ["KP1:hit"], [], []]
    assert [len(calls) for calls in backend.calls] == [1, 1, 1, 1, 1]


def test_still_images_always_retry_when_nothing_is_found() -> None:
    backend = RecordingBackend()
    decoder = QrDecoder(DecoderSettings(retry_every_n_frames=100), backend=backend, second=backend)
    backend.start_frame()
    assert decoder.decode(np.full((100, 100), 255, dtype=np.uint8)) == []
    # Whole image: plain, sharpened, 2x; then the guide (56 px): CLAHE, normalised 2x, the
    # second decoder on the guide, then on the guide normalised 2x.
    assert backend.calls[-1] == [
        (100, 100),
        (100, 100),
        (200, 200),
        (56, 56),
        (112, 112),
        (56, 56),
        (112, 112),
    ]


def test_upscale_is_skipped_for_images_too_large_to_double() -> None:
    backend = RecordingBackend()
    settings = DecoderSettings(max_upscaled_pixels=1_000_000)
    decoder = QrDecoder(settings, backend=backend, second=backend)
    backend.start_frame()
    decoder.decode(np.full((720, 1280), 255, dtype=np.uint8))
    # The whole frame 2x (3.7 MP) is skipped; the guide's square 2x (0.64 MP) is not.
    assert backend.calls[-1] == [(720, 1280), (720, 1280), (400, 400), (800, 800), (400, 400), (800, 800)]


def test_settings_are_validated() -> None:
    with pytest.raises(ValueError):
        DecoderSettings(retry_every_n_frames=0)
    with pytest.raises(ValueError):
        DecoderSettings(retries=("sepia",))


def test_default_backend_is_zxing() -> None:
    assert default_backend().name == "zxing-cpp"


def test_no_decoder_installed_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes `import` raise ImportError, as a broken install would.
    monkeypatch.setitem(sys.modules, "zxingcpp", None)
    monkeypatch.setitem(sys.modules, "pyzbar", None)
    monkeypatch.setitem(sys.modules, "pyzbar.pyzbar", None)
    with pytest.raises(DecoderUnavailableError) as caught:
        default_backend()
    assert caught.value.key == "camera.no_decoder"


def test_pyzbar_fallback_decodes_when_available(monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        backend = PyzbarBackend()
    except ImportError:
        pytest.skip("pyzbar (and the zbar system library) not installed: optional fallback not tested here")
    monkeypatch.setitem(sys.modules, "zxingcpp", None)
    assert default_backend().name == "pyzbar"
    assert QrDecoder(backend=backend).decode(qr_image("KP1:zbar")) == ["KP1:zbar"]


def test_as_gray_passes_grayscale_through() -> None:
    gray = np.arange(12, dtype=np.uint8).reshape(3, 4)
    assert np.array_equal(as_gray(gray), gray)
