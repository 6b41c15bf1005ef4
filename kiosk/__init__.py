"""Venue Pass Kiosk: verify QR passes at a venue entrance, degrade gracefully, log every visit."""

__version__ = "0.1.0"
