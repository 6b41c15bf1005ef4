"""The `kiosk` command: a thin shell over the library."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    return 0
