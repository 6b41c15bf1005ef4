from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.camera.decoder import QrDecoder
from kiosk.camera.scan_cli import exit_code, format_text, scan_images
from kiosk.cli import main
from kiosk.clock import ManualClock
from tests.camera.qrimages import qr_image


def test_scan_images_reports_each_file_and_errors(tmp_path: Path) -> None:
    good = tmp_path / "pass.png"
    ok, buffer = cv2.imencode(".png", qr_image("KP1:cli"))
    assert ok
    buffer.tofile(good)
    text_file = tmp_path / "notes.png"
    text_file.write_text("not an image", encoding="utf-8")
    missing = tmp_path / "missing.png"

    results = scan_images([good, missing, text_file], decoder=QrDecoder(), clock=ManualClock())

    assert [r["file"] for r in results] == [str(good), str(missing), str(text_file)]
    assert results[0] == {"file": str(good), "texts": ["KP1:cli"], "ms": 0.0}
    assert results[1]["texts"] == [] and "not found" in results[1]["error"]
    assert results[2]["texts"] == [] and "Not a readable image" in results[2]["error"]
    assert json.loads(json.dumps(results)) == results
    assert exit_code(results) == 2
    assert exit_code(results[:1]) == 0


def test_ms_is_measured(tmp_path: Path) -> None:
    good = tmp_path / "blank.png"
    ok, buffer = cv2.imencode(".png", qr_image("KP1:x"))
    assert ok
    buffer.tofile(good)
    (result,) = scan_images([good])
    assert result["ms"] > 0


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        ([{"file": "a.png", "texts": ["KP1:1", "KP1:2"], "ms": 1.0}], "a.png: KP1:1\na.png: KP1:2"),
        ([{"file": "b.png", "texts": [], "ms": 1.0}], "b.png: no QR code found"),
        ([{"file": "c.png", "texts": [], "ms": 1.0, "error": "Image file is empty: c.png"}],
         "c.png: error: Image file is empty: c.png"),
    ],
)
def test_format_text(results: list[dict], expected: str) -> None:
    assert format_text(results) == expected


def test_the_command_prints_with_the_tested_formatter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "pass.png"
    assert cv2.imwrite(str(good), qr_image("KP1:cmd"))
    blank = tmp_path / "blank.png"
    assert cv2.imwrite(str(blank), np.full((200, 200), 255, dtype=np.uint8))
    missing = tmp_path / "missing.png"

    code = main(["scan", str(good), str(blank), str(missing)])

    out = capsys.readouterr().out
    assert code == 2  # one image was unusable
    assert out.splitlines() == [
        f"{good}: KP1:cmd",
        f"{blank}: no QR code found",
        f"{missing}: error: Image file not found: {missing}",
    ]
    assert out == format_text(scan_images([good, blank, missing])) + "\n"

    assert main(["scan", "--json", str(good)]) == 0
    [row] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (row["file"], row["texts"]) == (str(good), ["KP1:cmd"])
