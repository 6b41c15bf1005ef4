"""Opening the data file as the app does: connect, migrate, then merge the visit journal.

Kept apart from `database.py` because the journal builds on the database module: the
code that opens the store is the one place that needs both.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from kiosk.errors import StoreError
from kiosk.store.database import DEFAULT_BUSY_TIMEOUT_S, Database, connect_database
from kiosk.store.errors import DatabaseBusyError
from kiosk.store.journal import merge_journal
from kiosk.store.migrations import MIGRATIONS, Migration

log = logging.getLogger(__name__)


def open_database(
    path: Path | str,
    *,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT_S,
    migrations: Sequence[Migration] = MIGRATIONS,
    cached_statements: int = 128,
) -> Database:
    """Open (creating if needed) and migrate the kiosk data file at `path`, then merge its journal.

    Raises a specific StoreError for a missing/unwritable folder, a file that is not
    SQLite, a damaged file, a full disk, a file locked too long, or a newer schema; never
    because of the journal (its files stay for the next merge, `doctor` reports them).
    """
    db = connect_database(
        path, busy_timeout=busy_timeout, migrations=migrations, cached_statements=cached_statements
    )
    try:
        merge_journal(db, wait_s=0.0)
    except DatabaseBusyError:
        log.info("visit journal not merged at open: the data file is still locked")
    except StoreError as exc:
        log.warning("visit journal not merged at open: %s", exc.message)
    except BaseException:
        db.close()
        raise
    return db
