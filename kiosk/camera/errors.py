"""Errors of the camera package that a user (or installer) may see."""

from __future__ import annotations

from kiosk.errors import KioskError


class CameraUnavailableError(KioskError):
    """No usable camera: the UI shows "no camera" with the hint instead of a black preview."""

    key = "camera.unavailable"


class DecoderUnavailableError(KioskError):
    """Neither zxing-cpp nor pyzbar can be imported: the install is broken."""

    key = "camera.no_decoder"


class ScannerUnavailableError(KioskError):
    """The configured serial scanner cannot be opened or stopped answering (unplugged)."""

    key = "scanner.unavailable"
