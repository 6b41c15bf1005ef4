"""What kind of pass a scanned text is, from its prefix alone."""

from __future__ import annotations

from kiosk.verify.decision import PassKind

_PREFIXES: tuple[tuple[str, PassKind], ...] = (("HC1:", PassKind.DCC), ("KP1:", PassKind.TOKEN))


def classify(text: str) -> PassKind:
    """DCC for `HC1:`, TOKEN for `KP1:`, UNKNOWN otherwise (a DCC without prefix is "not a pass")."""
    body = text.strip()
    for prefix, kind in _PREFIXES:
        if body.startswith(prefix):
            return kind
    return PassKind.UNKNOWN
