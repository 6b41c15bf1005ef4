"""PySide6 prints exceptions raised in slots and goes on, so pytest-qt cannot see them: collect them."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType


@contextmanager
def fail_on_slot_errors() -> Iterator[None]:
    errors: list[BaseException] = []

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        errors.append(value)

    previous, sys.excepthook = sys.excepthook, hook
    try:
        yield
    finally:
        sys.excepthook = previous
    if errors:
        raise AssertionError(f"exception in a Qt slot: {errors[0]!r}") from errors[0]
