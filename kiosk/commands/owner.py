"""The owner commands, registered together so the shared parser changes by one line."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def register_all(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    from kiosk.commands import export, report

    for module in (export, report):
        module.register(sub, common)
