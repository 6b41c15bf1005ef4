"""`kiosk sync`: upload pending visits now and re-check offline admissions."""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable

from kiosk.clock import SystemClock
from kiosk.context import open_context
from kiosk.errors import InputError, KioskError


class UpstreamUnavailable(KioskError):
    key = "sync.upstream_unavailable"


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("sync", help="upload pending visits to the upstream service now")
    common(p)
    p.add_argument("--max-batches", type=int, default=100, help="stop after this many batches")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.store.outbox import pending_count
    from kiosk.upstream.uploader import StopReason, Uploader
    from kiosk.wiring import build_client, uploader_settings

    ctx = open_context(args.config, args.data)
    try:
        if not ctx.config.upstream.url:
            raise InputError("no upstream configured: set [upstream] url in config.toml")
        clock, rng = SystemClock(), random.Random()
        client = build_client(ctx, clock=clock, rng=rng)
        uploader = Uploader(ctx.db(), client, clock, rng, uploader_settings(ctx.config))
        before = pending_count(ctx.db())
        report = None
        for _ in range(args.max_batches):
            report = uploader.run_once(clock.now())
            if report.stopped is StopReason.RATE_LIMITED:
                clock.sleep(1 / uploader.settings.max_requests_per_s)
            elif report.stopped is not StopReason.ROUND_LIMIT:
                break
        after = pending_count(ctx.db())
        print(f"uploaded {before - after} visits; {after} still pending")
        if report is not None and report.stopped in (StopReason.FAILED, StopReason.BREAKER_OPEN):
            cause = f" ({report.last_cause})" if report.last_cause else ""
            raise UpstreamUnavailable(f"upstream did not accept the upload{cause}; the visits stay queued")
        return 0
    finally:
        ctx.close()
