"""`kiosk scan IMAGE...`: one result object per image, errors included, never a traceback."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from kiosk.camera.decoder import QrDecoder
from kiosk.camera.images import decode_image_file
from kiosk.clock import Clock, SystemClock
from kiosk.errors import InputError


def scan_images(
    paths: Iterable[str | os.PathLike[str]],
    *,
    decoder: QrDecoder | None = None,
    clock: Clock | None = None,
) -> list[dict[str, Any]]:
    """`{file, texts, ms}` per image, plus `error` (a readable message) when the image was unusable."""
    clock = clock or SystemClock()
    decoder = decoder or QrDecoder()
    results: list[dict[str, Any]] = []
    for path in paths:
        started = clock.monotonic()
        try:
            scan = decode_image_file(path, decoder=decoder, clock=clock)
        except InputError as exc:
            results.append(
                {"file": str(path), "texts": [], "ms": _ms(clock.monotonic() - started), "error": exc.message}
            )
            continue
        results.append({"file": scan.file, "texts": list(scan.texts), "ms": _ms(scan.ms / 1000.0)})
    return results


def format_text(results: Iterable[dict[str, Any]]) -> str:
    """The human form (without --json): one line per QR text, files without any marked."""
    lines: list[str] = []
    for result in results:
        if "error" in result:
            lines.append(f"{result['file']}: error: {result['error']}")
        elif not result["texts"]:
            lines.append(f"{result['file']}: no QR code found")
        else:
            lines.extend(f"{result['file']}: {text}" for text in result["texts"])
    return "\n".join(lines)


def exit_code(results: Iterable[dict[str, Any]]) -> int:
    """0 when every image could be read (even without a QR code), 2 when any was unusable."""
    return 2 if any("error" in result for result in results) else 0


def _ms(seconds: float) -> float:
    return round(seconds * 1000.0, 2)
