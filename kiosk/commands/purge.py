"""`kiosk purge`: delete visits past `[privacy] retention_days`, erased from the file, audited."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("purge", help="delete visits older than [privacy] retention_days (default 28)")
    common(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.clock import SystemClock
    from kiosk.context import open_context
    from kiosk.owner_tools.audit_trail import flush_pending_audit
    from kiosk.owner_tools.busy import OWNER_WAIT_S, busy_is_a_message
    from kiosk.owner_tools.purge import purge_expired
    from kiosk.store.opening import open_database

    ctx = open_context(args.config, args.data)
    days = ctx.config.privacy.retention_days
    with busy_is_a_message("nothing was purged"), open_database(ctx.db_path, busy_timeout=OWNER_WAIT_S) as db:
        flush_pending_audit(db)
        result = purge_expired(db, now=SystemClock().now(), retention_days=days, actor="cli")
    c = result.counts
    kept = f"; {c.kept_unsent} older visits kept until upstream has them" if c.kept_unsent else ""
    print(
        f"purged {c.visits_deleted} visits and {c.manual_entries_deleted} manual entries older than "
        f"{days} days{kept}",
        file=sys.stderr,
    )
    return 0
