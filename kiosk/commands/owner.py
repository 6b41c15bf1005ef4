"""The owner commands, registered together so the shared parser changes by one line."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def register_all(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    from kiosk.commands import backup, export, purge, report, restore

    for module in (export, report, purge, backup, restore):
        module.register(sub, common)
