"""`kiosk sync`: upload pending visits now, and say why when nothing could be sent.

Exit codes: 0 when every due visit went (or nothing was due: then the output says what
holds the rest back and until when), 2 when an upload failed (upstream down, slow,
throttling, or rejecting the key): the visits stay queued either way.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
from collections.abc import Callable
from datetime import datetime

from kiosk.clock import SystemClock
from kiosk.context import open_context
from kiosk.errors import InputError, KioskError
from kiosk.paths import COMMAND


class UpstreamUnavailable(KioskError):
    key = "sync.upstream_unavailable"


# What a stored failure cause (outbox.last_error, FailureCause values) means to an owner.
_CAUSES = {
    "429": "upstream asked the kiosk to slow down (HTTP 429)",
    "5xx": "upstream was failing (HTTP 5xx)",
    "auth": "upstream rejects this kiosk's key; set [upstream] api_key in config.toml",
    "timeout": "upstream did not answer in time",
    "refused": "upstream could not be reached (connection refused)",
    "dns": "upstream's host name could not be resolved",
    "reset": "upstream dropped the connection",
    "tls": "the TLS handshake with upstream failed",
    "bad-body": "upstream answered something that is not its API",
    "4xx": "upstream refused the request (HTTP 4xx)",
    "not acknowledged": "upstream's last answer left these visits out",
}


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("sync", help="upload pending visits to the upstream service now")
    common(p)
    p.add_argument("--max-batches", type=int, default=100, help="stop after this many batches")
    p.add_argument(
        "--now",
        action="store_true",
        help="send visits held back by a local wait (backoff, upstream's Retry-After) now",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.store import outbox
    from kiosk.upstream.uploader import StopReason, Uploader
    from kiosk.wiring import build_client, uploader_settings

    ctx = open_context(args.config, args.data)
    try:
        if not ctx.config.upstream.url:
            raise InputError("no upstream configured: set [upstream] url in config.toml")
        clock, rng = SystemClock(), random.Random()
        db = ctx.db()
        if args.now:
            outbox.release_holds(db, clock.now())
        client = build_client(ctx, clock=clock, rng=rng)
        # The owner asked for it now: no waiting for a fuller batch.
        settings = dataclasses.replace(uploader_settings(ctx.config), gather_s=0.0)
        uploader = Uploader(db, client, clock, rng, settings)
        sent = 0
        report = None
        try:
            for _ in range(args.max_batches):
                report = uploader.run_once(clock.now())
                sent += report.sent
                if report.stopped is StopReason.RATE_LIMITED:
                    clock.sleep(1 / uploader.settings.max_requests_per_s)
                elif report.stopped is not StopReason.ROUND_LIMIT:
                    break
        finally:
            client.close()
        pending = outbox.pending_count(db)
        print(f"uploaded {sent} visits; {pending} still pending")
        if report is not None and report.stopped is StopReason.FAILED:
            why = _CAUSES.get(str(report.last_cause), f"the upload failed ({report.last_cause})")
            when = ""
            if report.retry_at is not None:
                when = f"; the next automatic try is after {_local_time(report.retry_at)}"
            raise UpstreamUnavailable(f"upload failed: {why}{when}. The visits stay queued.")
        hold = outbox.earliest_hold(db, clock.now())
        if hold is not None:
            why = _CAUSES.get(hold.last_error or "", f"an earlier upload failed ({hold.last_error})")
            print(
                f"{hold.count} visits are held until {_local_time(hold.until)} (local time): {why}. "
                f"Run `{COMMAND} sync --now` to send them now."
            )
        return 0
    finally:
        ctx.close()


def _local_time(at: float) -> str:
    moment = datetime.fromtimestamp(at).astimezone()
    if moment.date() == datetime.now().astimezone().date():
        return moment.strftime("%H:%M")
    return moment.strftime("%Y-%m-%d %H:%M")
