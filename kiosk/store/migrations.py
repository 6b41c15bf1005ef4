"""Schema migrations: an ordered list, each applied in its own transaction.

The schema version lives in the `meta` table. A data file written by a newer
version of the app is refused rather than guessed at: downgrading the app must
never silently damage the owner's records.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

import sqlite_utils

from kiosk.store.errors import NewerSchemaError, NotADatabaseError

Migration = Callable[[sqlite_utils.Database], None]


def _m001_initial(db: sqlite_utils.Database) -> None:
    db.create_table(
        "visits",
        {
            "id": str,  # UUIDv7: time-ordered, so the primary key is also the scan order
            "scanned_at": float,
            "kind": str,
            "pass_hash": str,
            "uci_hash": str,
            "holder_masked": str,
            "decision": str,
            "reason": str,
            "verified_by": str,
            "upstream_state": str,
            "reconciliation": str,
            "kiosk_id": str,
        },
        pk="id",
        not_null={
            "scanned_at", "kind", "pass_hash", "decision", "reason", "verified_by", "upstream_state",
            "kiosk_id",
        },
        defaults={"upstream_state": "pending"},
    )
    db["visits"].create_index(["scanned_at"], index_name="idx_visits_scanned_at")
    db["visits"].create_index(["uci_hash"], index_name="idx_visits_uci_hash")

    db.create_table(
        "outbox",
        {
            "visit_id": str,
            "attempts": int,
            "next_attempt_at": float,
            "last_error": str,
            "state": str,
        },
        pk="visit_id",
        foreign_keys=[("visit_id", "visits", "id")],
        not_null={"attempts", "next_attempt_at", "state"},
        defaults={"attempts": 0, "state": "pending"},
    )
    db["outbox"].create_index(["state", "next_attempt_at"], index_name="idx_outbox_state_due")

    db.create_table(
        "manual_entries",
        {"visit_id": str, "sealed": bytes},
        pk="visit_id",
        foreign_keys=[("visit_id", "visits", "id")],
        not_null={"sealed"},
    )

    # Keyed by the certificate's own SHA-256, not by kid: a kid is only 8 bytes and
    # real trust lists contain collisions, which is why lookups return a list.
    db.create_table(
        "trust_certs",
        {
            "cert_sha256": str,
            "kid": str,
            "country": str,
            "subject": str,
            "der": bytes,
            "key_usage": str,
            "fetched_at": float,
        },
        pk="cert_sha256",
        not_null={"kid", "subject", "der", "fetched_at"},
    )
    db["trust_certs"].create_index(["kid"], index_name="idx_trust_certs_kid")

    db.create_table("revocations", {"uci_hash": str, "added_at": float}, pk="uci_hash", not_null={"added_at"})

    db.create_table(
        "health_events",
        {"id": int, "at": float, "state": str, "cause": str},
        pk="id",
        not_null={"at", "state"},
    )
    db["health_events"].create_index(["at"], index_name="idx_health_events_at")

    db.create_table(
        "audit_log",
        {"id": int, "at": float, "actor": str, "action": str, "detail": str},
        pk="id",
        not_null={"at", "actor", "action"},
    )
    db["audit_log"].create_index(["at"], index_name="idx_audit_log_at")


def _m002_owner(db: sqlite_utils.Database) -> None:
    # One row (id = 1): the owner's PIN hash, public key, the private key wrapped under
    # the PIN and under the recovery code, and the PIN lockout state. It lives in the
    # kiosk's single data file so that a restart cannot reset the lockout.
    db.execute(
        """
        CREATE TABLE owner (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            pin_hash TEXT NOT NULL,
            recovery_hash TEXT NOT NULL,
            public_key BLOB NOT NULL,
            key_by_pin BLOB,
            key_by_recovery BLOB,
            failed_tries INTEGER NOT NULL DEFAULT 0,
            locked_at REAL,
            lock_s REAL NOT NULL DEFAULT 0,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        )
        """
    )


def _m003_trust_issuers(db: sqlite_utils.Database) -> None:
    # Issuer trust for NZ COVID Passes (DID documents) and SMART Health Cards (JWKS and
    # revocation lists per key), beside the DCC signer certificates of `trust_certs`.
    # The documents are stored as fetched and parsed again on load, so a stricter parser
    # in a later version applies to what is already stored.
    db.execute(
        """
        CREATE TABLE trust_issuers (
            issuer TEXT PRIMARY KEY,
            format TEXT NOT NULL CHECK (format IN ('did', 'jwks')),
            document TEXT NOT NULL,
            crls TEXT NOT NULL DEFAULT '{}',
            source TEXT NOT NULL,
            fetched_at REAL NOT NULL
        )
        """
    )


def _m004_staff_pin(db: sqlite_utils.Database) -> None:
    # The staff PIN that guards answering staff checks: one row, set by the owner. Its own
    # try counter and lockout (at most a minute, lifted by the owner PIN), apart from the
    # owner's, so a guess at the door never locks the owner out.
    db.execute(
        """
        CREATE TABLE staff_pin (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            pin_hash TEXT NOT NULL,
            failed_tries INTEGER NOT NULL DEFAULT 0,
            locked_at REAL,
            lock_s REAL NOT NULL DEFAULT 0,
            updated_at REAL NOT NULL
        )
        """
    )


def _m005_lookup_indexes(db: sqlite_utils.Database) -> None:
    # Reconciliation asks for the oldest unreconciled offline admission at every maintenance
    # round; walking the scan-time index reached it only past every other visit (all of them
    # when there is none). The engine asks for the trust list's age at every offline
    # verdict, which read every stored certificate. Partial: only the rows the question is about.
    db.execute(
        "CREATE INDEX idx_visits_unreconciled ON visits (scanned_at) "
        "WHERE verified_by = 'offline' AND decision = 'admit' AND reconciliation IS NULL"
    )
    db.execute("CREATE INDEX idx_trust_certs_fetched_at ON trust_certs (fetched_at)")


MIGRATIONS: tuple[Migration, ...] = (
    _m001_initial, _m002_owner, _m003_trust_issuers, _m004_staff_pin, _m005_lookup_indexes
)
SCHEMA_VERSION = len(MIGRATIONS)


def _read_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    try:
        version = int(row[0]) if row else 0
    except (TypeError, ValueError):
        version = -1
    if version < 0:
        # Never an index from the end of the list: -1 would run the newest migration again.
        raise NotADatabaseError("this file's schema version is not one the app ever writes")
    return version


def apply_migrations(
    conn: sqlite3.Connection,
    migrations: Sequence[Migration] = MIGRATIONS,
    *,
    before_upgrade: Callable[[sqlite3.Connection, int], object] | None = None,
) -> int:
    """Bring the schema up to `len(migrations)`; returns the version reached.

    `conn` must be in autocommit mode (isolation_level=None). Each migration and its
    version bump commit together, so an interrupted upgrade resumes where it stopped.
    `before_upgrade(conn, version)` runs once before the first step when a file that
    already holds a schema is upgraded (not for a new file).
    """
    target = len(migrations)
    utils = sqlite_utils.Database(conn, execute_plugins=False)
    conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    version = _read_version(conn)
    if version > target:
        raise NewerSchemaError(
            f"this kiosk data file was written by a newer version of the app (schema {version}; "
            f"this version understands up to {target}); update the app"
        )
    if before_upgrade is not None and 0 < version < target:
        before_upgrade(conn, version)
    while version < target:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read under the write lock: another process may have migrated meanwhile.
            version = _read_version(conn)
            if version >= target:
                conn.execute("ROLLBACK")
                break
            migrations[version](utils)
            version += 1
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (str(version),),
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return version
