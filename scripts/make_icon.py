"""Writes packaging/windows/venue-pass-kiosk.ico from packaging/venue-pass-kiosk.svg.

Run it again after changing the SVG, and commit both: the Windows installer and its Start-menu
entries carry the .ico (`makensis` cannot read an SVG). Each size is drawn from the SVG and
stored as PNG, which Windows reads in an .ico since Vista.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

PACKAGING = Path(__file__).resolve().parents[1] / "packaging"
SVG = PACKAGING / "venue-pass-kiosk.svg"
ICO = PACKAGING / "windows" / "venue-pass-kiosk.ico"
# The sizes Explorer, the taskbar, the Start menu and "Apps & features" ask for.
SIZES = (16, 24, 32, 48, 256)


def png(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico(images: dict[int, bytes]) -> bytes:
    """ICONDIR, one ICONDIRENTRY per size, then the PNGs (a width of 0 means 256)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, blob in images.items():
        side = size % 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset + len(blobs))
        blobs += blob
    return header + entries + blobs


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"make_icon: {SVG} is not a valid SVG", file=sys.stderr)
        return 2
    ICO.write_bytes(ico({size: png(renderer, size) for size in SIZES}))
    print(f"make_icon: wrote {ICO} ({ICO.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
