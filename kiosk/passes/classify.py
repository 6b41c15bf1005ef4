"""What kind of pass a scanned text is, from its prefix alone."""

from __future__ import annotations

from kiosk.decision import PassKind

PREFIXES: tuple[tuple[str, PassKind], ...] = (
    ("HC1:", PassKind.DCC),
    ("NZCP:/", PassKind.NZCP),
    ("shc:/", PassKind.SHC),
    ("KP1:", PassKind.TOKEN),
)


def classify(text: str) -> PassKind:
    """DCC for `HC1:`, NZCP for `NZCP:/`, SHC for `shc:/`, TOKEN for `KP1:`, UNKNOWN otherwise.

    Prefixes are matched as their specifications spell them (a DCC without prefix is
    "not a pass"); a wrong version or body is the format's own decode failure.
    """
    body = text.strip()
    for prefix, kind in PREFIXES:
        if body.startswith(prefix):
            return kind
    return PassKind.UNKNOWN
