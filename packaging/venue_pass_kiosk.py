"""The bundle's entry point: the same `kiosk` command line, frozen by PyInstaller (kiosk.spec)."""

import multiprocessing

from kiosk.cli import main

if __name__ == "__main__":
    # The fleet simulation runs its policies in worker processes; a frozen program must let
    # a child it spawned run the worker instead of the command line again.
    multiprocessing.freeze_support()
    raise SystemExit(main())
