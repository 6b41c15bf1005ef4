"""The `kiosk` command: a thin shell over the library.

Exit codes: 0 ran, 1 a check failed (doctor), 2 usage or input error (message on
stderr, never a traceback), 70 internal error (one line; KIOSK_DEBUG=1 shows details),
130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kiosk import __version__
from kiosk.errors import KioskError
from kiosk.logsetup import configure_cli_logging

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exits with 2 too; keep its usage line
        self.print_usage(sys.stderr)
        raise SystemExit(f"kiosk: {message}") from None


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, help="config file (default: the per-user config.toml)")
    p.add_argument("--data", type=Path, help="data folder (default: the per-user data folder)")


def build_parser() -> argparse.ArgumentParser:
    from kiosk.commands import camera, demo, doctor, run, scan, simulate, simulator, sync, trust, verify
    from kiosk.commands.owner import register_all as register_owner_commands

    parser = _Parser(prog="kiosk", description="Venue Pass Kiosk: verify QR passes at the entrance.")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for module in (run, verify, scan, trust, doctor, camera, sync, demo, simulator, simulate):
        module.register(sub, _common)
    register_owner_commands(sub, _common)
    return parser


def _tolerant_stdout() -> None:
    # Text that came from bytes which were not UTF-8 (a file name in argv, a stdin line)
    # holds U+DC80..U+DCFF; writing those back as the original bytes beats a crash.
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        # A stream that cannot change its error handler keeps its own.
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="surrogateescape")


def main(argv: Sequence[str] | None = None) -> int:
    configure_cli_logging()
    _tolerant_stdout()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        handler: Handler = args.handler
        return handler(args)
    except KioskError as exc:
        print(f"kiosk: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("kiosk: interrupted", file=sys.stderr)
        return 130
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
            return 2
        return int(exc.code or 0)
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last line of defence: a user never sees a traceback
        logging.getLogger("kiosk").debug("unexpected error", exc_info=True)
        print(
            f"kiosk: internal error ({type(exc).__name__}); nothing was lost. "
            "Run again with KIOSK_DEBUG=1 for details to send to support.",
            file=sys.stderr,
        )
        return 70
