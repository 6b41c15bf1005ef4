"""Whether a data file has exactly the app's own schema, and nothing else.

A data file from elsewhere (a backup on a USB stick, a file someone edited) can carry
SQL that runs inside the kiosk: a trigger that silently drops every visit or keeps the
PIN lockout from counting, a view, a table the app never made. The reference is what
this version's own migrations make of an empty database, migrated to the version the
file declares; the file must have exactly its tables, columns, indexes and foreign keys
(read through SQLite's catalogue pragmas, not the DDL text, so the same schema written
by another version of sqlite-utils still matches) and no other object at all.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from dataclasses import dataclass

from kiosk.store.database import Database
from kiosk.store.migrations import MIGRATIONS, SCHEMA_VERSION, apply_migrations

_NAME_CHARS = 40
_VERSION_TEXT = re.compile(r"-?[0-9]{1,6}")


@dataclass(frozen=True, slots=True)
class SchemaReport:
    version: int | None  # the version the file declares; None when it declares none readable
    problems: tuple[str, ...]  # one short sentence each, naming objects only (never row contents)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def newer(self) -> bool:
        return self.version is not None and self.version > SCHEMA_VERSION


@dataclass(frozen=True, slots=True)
class _Shape:
    objects: frozenset[tuple[str, str, str]]  # (type, name, table) of every schema object
    tables: tuple[tuple[str, tuple[object, ...]], ...]  # name -> columns, keys, indexes, layout
    indexes: tuple[tuple[str, tuple[object, ...]], ...]  # name -> its columns


def _affinity(declared: str) -> str:
    # SQLite's own rules (datatype3.html 3.1): FLOAT and REAL store alike, so they match.
    text = declared.upper()
    if "INT" in text:
        return "INTEGER"
    if any(word in text for word in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in text or not text:
        return "BLOB"
    if any(word in text for word in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def _table_shape(conn: sqlite3.Connection, table: str) -> tuple[object, ...]:
    columns = tuple(
        (cid, name, _affinity(str(kind or "")), notnull, default, pk, hidden)
        for cid, name, kind, notnull, default, pk, hidden in conn.execute(
            "SELECT cid, name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?)", (table,)
        )
    )
    keys = tuple(conn.execute(
        "SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete, \"match\" "
        "FROM pragma_foreign_key_list(?) ORDER BY id, seq", (table,)
    ))
    indexes = tuple(conn.execute(
        "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?) ORDER BY name", (table,)
    ))
    return columns, keys, indexes, _layout(conn, table)


def _layout(conn: sqlite3.Connection, table: str) -> tuple[object, ...]:
    # WITHOUT ROWID and STRICT change how rows are stored; SQLite before 3.37 cannot say.
    try:
        return tuple(conn.execute(
            "SELECT type, ncol, wr, strict FROM pragma_table_list WHERE schema = 'main' AND name = ?",
            (table,),
        ))
    except sqlite3.OperationalError:
        return ()


def _shape(conn: sqlite3.Connection) -> _Shape:
    objects = frozenset(
        (str(kind), str(name), str(table))
        for kind, name, table in conn.execute("SELECT type, name, tbl_name FROM sqlite_master")
    )
    tables = tuple(sorted(
        (name, _table_shape(conn, name)) for kind, name, _t in objects if kind == "table"
    ))
    indexes = tuple(sorted(
        (name, tuple(conn.execute(
            "SELECT seqno, cid, name, \"desc\", coll, \"key\" FROM pragma_index_xinfo(?)", (name,)
        )))
        for kind, name, _t in objects if kind == "index"
    ))
    return _Shape(objects, tables, indexes)


@functools.cache
def _reference(version: int) -> _Shape:
    """The schema this version's migrations make at `version`, from an empty database."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        apply_migrations(conn, MIGRATIONS[:version])
        return _shape(conn)
    finally:
        conn.close()


def _quoted(name: str) -> str:
    shown = name if len(name) <= _NAME_CHARS else name[:_NAME_CHARS] + "…"
    return "'" + "".join(c if c.isprintable() else "?" for c in shown) + "'"


def _extra(kind: str, name: str, table: str) -> str:
    if kind == "trigger":
        return f"a trigger {_quoted(name)} on {_quoted(table)} (the app makes no triggers)"
    if kind == "view":
        return f"a view {_quoted(name)} (the app makes no views)"
    if kind == "index":
        return f"an index {_quoted(name)} on {_quoted(table)} that the app does not make"
    return f"a {kind} {_quoted(name)} that the app does not make"


def _differences(expected: _Shape, actual: _Shape) -> list[str]:
    problems = [_extra(*obj) for obj in sorted(actual.objects - expected.objects)]
    problems += [f"no {kind} {_quoted(name)}" for kind, name, _t in sorted(expected.objects - actual.objects)]
    found_tables, found_indexes = dict(actual.tables), dict(actual.indexes)
    for name, shape in expected.tables:
        if name in found_tables and found_tables[name] != shape:
            problems.append(
                f"the table {_quoted(name)} differs from this version's (columns, keys or indexes)"
            )
    for name, shape in expected.indexes:
        if name in found_indexes and found_indexes[name] != shape:
            problems.append(f"the index {_quoted(name)} is not this version's")
    return problems


def _declared_version(conn: sqlite3.Connection) -> tuple[int | None, str]:
    kind = conn.execute("SELECT type FROM sqlite_master WHERE name = 'meta'").fetchone()
    if kind is None or kind[0] != "table":
        return None, "no schema version (no meta table)"
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.Error:
        return None, "no readable schema version"
    text = str(row[0]) if row else ""
    if not _VERSION_TEXT.fullmatch(text):
        return None, "no readable schema version"
    version = int(text)
    if version < 1:
        return version, f"schema version {version}, which no version of the app writes"
    return version, ""


def inspect_schema(conn: sqlite3.Connection) -> SchemaReport:
    """Compare the open file's schema with this version's at the version the file declares.

    A version newer than this app's comes back with `newer` set and nothing else
    compared: only that newer app knows its schema.
    """
    version, problem = _declared_version(conn)
    if problem:
        return SchemaReport(version, (problem,))
    assert version is not None
    if version > SCHEMA_VERSION:
        return SchemaReport(version, (f"schema version {version}, newer than this app's {SCHEMA_VERSION}",))
    return SchemaReport(version, tuple(_differences(_reference(version), _shape(conn))))


def inspect_database(db: Database, *, wait_s: float) -> SchemaReport:
    """`inspect_schema` of an open data file, on its connection (under its write lock, held briefly)."""
    with db.transaction(wait_s=wait_s) as conn:
        return inspect_schema(conn)
