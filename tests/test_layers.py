"""The import graph follows the layer order written in docs/architecture.md, and has no loops.

Every runtime import (module level or inside a function; not under `if TYPE_CHECKING:`)
must point to its own rank or lower, every top-level part of `kiosk/` must have a rank,
and no chain of runtime imports may lead back to where it started. The table is read
from the document, so the document and the code cannot drift apart.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "kiosk"
ARCHITECTURE = REPO / "docs" / "architecture.md"
_ROW = re.compile(r"^\|\s*(\d+)\s*\|(.+)\|\s*$")
_NAME = re.compile(r"`([a-z_]+)`")
OUTSIDE_THE_TABLE = {"__init__", "__main__"}


def layer_ranks(text: str) -> dict[str, int]:
    """`{part: rank}` from the document's `| rank | modules |` table."""
    ranks: dict[str, int] = {}
    for line in text.splitlines():
        row = _ROW.match(line.strip())
        if row is None:
            continue
        for name in _NAME.findall(row.group(2)):
            ranks[name] = int(row.group(1))
    return ranks


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                skipped.update(id(n) for n in ast.walk(child))
    return skipped


def runtime_imports(text: str, here: str, *, is_package: bool, modules: set[str]) -> list[tuple[int, str]]:
    """(line, imported kiosk module) for every runtime import in module `here`'s source."""
    tree = ast.parse(text)
    package = here if is_package else here.rpartition(".")[0]
    skipped = _type_checking_nodes(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # `from kiosk.ui import model` imports a module; `from kiosk.x import Name` its package.
                target = f"{base}.{alias.name}"
                found.append((node.lineno, target if target in modules else base))
    kept = [(line, target) for line, target in found if target == "kiosk" or target.startswith("kiosk.")]
    return sorted(set(kept))


def part_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


@pytest.fixture(scope="module")
def graph() -> dict[str, list[tuple[int, str]]]:
    files = sorted(p for p in PACKAGE.rglob("*.py") if "assets" not in p.parts)
    modules = {module_name(p) for p in files}
    return {
        module_name(p): runtime_imports(
            p.read_text(encoding="utf-8"), module_name(p), is_package=p.name == "__init__.py", modules=modules
        )
        for p in files
    }


def test_the_document_has_the_layer_table() -> None:
    ranks = layer_ranks(ARCHITECTURE.read_text(encoding="utf-8"))
    assert ranks.get("clock") == 0 and ranks.get("cli") == max(ranks.values()), ranks


def test_every_part_of_the_package_has_a_rank() -> None:
    ranks = layer_ranks(ARCHITECTURE.read_text(encoding="utf-8"))
    parts = {p.stem for p in PACKAGE.glob("*.py")} | {
        p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()
    }
    missing = sorted(parts - set(ranks) - OUTSIDE_THE_TABLE)
    assert not missing, f"give these a rank in docs/architecture.md: {missing}"


def test_every_runtime_import_points_to_its_own_rank_or_lower(graph) -> None:  # type: ignore[no-untyped-def]
    ranks = layer_ranks(ARCHITECTURE.read_text(encoding="utf-8"))
    upward = []
    for source, imports in graph.items():
        here = part_of(source)
        if here in OUTSIDE_THE_TABLE:
            continue
        for line, target in imports:
            there = part_of(target)
            if there in OUTSIDE_THE_TABLE:
                continue
            if ranks[there] > ranks[here]:
                upward.append(f"{source}:{line} -> {target} ({here} {ranks[here]} -> {there} {ranks[there]})")
    assert not upward, "imports pointing up the layers:\n" + "\n".join(upward)


def find_loops(graph: dict[str, list[tuple[int, str]]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    edges = {m: sorted({t for _, t in imports if t in graph and t != m}) for m, imports in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                loops.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return loops


def test_no_runtime_import_loops(graph) -> None:  # type: ignore[no-untyped-def]
    assert find_loops(graph) == []


def test_the_checks_see_a_loop_a_late_import_and_skip_type_checking() -> None:
    assert find_loops({"a": [(1, "b")], "b": [(1, "a")], "c": [(1, "a")]}) == [["a", "b"]]
    ranks = layer_ranks("| rank | modules |\n|---|---|\n| 0 | `clock`, `errors` |\n| 3 | `store` |\n")
    assert ranks == {"clock": 0, "errors": 0, "store": 3}
    text = (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import kiosk.config\n"
        "def f():\n    from kiosk.store.visits import x\n    from . import journal\n"
    )
    modules = {"kiosk.store", "kiosk.store.visits", "kiosk.store.journal"}
    found = runtime_imports(text, "kiosk.store.database", is_package=False, modules=modules)
    assert found == [(5, "kiosk.store.visits"), (6, "kiosk.store.journal")]
