"""SQL stays in the store: the window, the pass formats, verification and the upstream client
read and write the data file only through `kiosk/store` functions."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

KIOSK = Path(__file__).resolve().parents[1] / "kiosk"
NO_SQL_PACKAGES = ("ui", "passes", "verify", "upstream")
# Statements are written in capitals here (a sentence such as "Update now" is not one); a
# lower-case statement still needs one of the calls below to run.
SQL_TEXT = re.compile(r"\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA|BEGIN)(\s|$)")
# Database, sqlite3.Connection and sqlite3.Cursor methods that run a statement.
SQL_CALLS = frozenset({"execute", "executemany", "executescript", "query", "query_dicts", "scalar"})


def sql_in(source: str) -> list[tuple[int, str]]:
    """(line, what) for each SQL text or statement call in a module's source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_TEXT.match(node.value):
            found.append((node.lineno, f"SQL text {node.value.strip()[:40]!r}"))
        elif isinstance(node, ast.Call) and isinstance(f := node.func, ast.Attribute) and f.attr in SQL_CALLS:
            found.append((node.lineno, f"call to .{f.attr}()"))
    return sorted(found)


def test_the_scan_finds_sql_text_and_statement_calls() -> None:
    source = (
        'rows = db.query(f"SELECT {column} FROM visits")\n'
        'with db.transaction() as conn:\n    conn.execute("update outbox set state = ?", (s,))\n'
        'db.scalar(COUNT)\n'
        'STATEMENT = """\n  DELETE FROM meta"""\n'
        'TEXT = "Update now"  # words, not a statement\n'
        'PEM = "-----BEGIN CERTIFICATE-----"\n'
    )
    assert sql_in(source) == [
        (1, "SQL text 'SELECT'"),
        (1, "call to .query()"),
        (3, "call to .execute()"),
        (4, "call to .scalar()"),
        (5, "SQL text 'DELETE FROM meta'"),
    ]


@pytest.mark.parametrize("package", NO_SQL_PACKAGES)
def test_no_sql_outside_the_store(package: str) -> None:
    problems = [
        f"{path.relative_to(KIOSK.parent)}:{line}: {what}"
        for path in sorted((KIOSK / package).rglob("*.py"))
        for line, what in sql_in(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "SQL belongs in kiosk/store:\n" + "\n".join(problems)
