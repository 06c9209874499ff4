"""The layout keeps its promises: layers, no cycles, SQL in storage, small modules."""

from __future__ import annotations

import re
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "handlers", "storage")
# Data tables may run long; code may not.
DATA_MODULES = {"bot/judgement/lexicon.py"}
MAX_LINES = 400


def _modules() -> list[Path]:
    return sorted(
        p
        for package in PACKAGES
        for p in (ROOT / package).rglob("*.py")
        if "migrations/versions" not in p.as_posix()
    )


def _strongly_connected(graph: grimp.ImportGraph) -> list[set[str]]:
    """Tarjan's algorithm over every import grimp sees (those inside functions too)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.find_modules_directly_imported_by(node):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_module_takes_part_in_an_import_cycle() -> None:
    graph = grimp.build_graph(*PACKAGES)
    assert _strongly_connected(graph) == []


def test_only_the_composition_root_of_bot_imports_handlers() -> None:
    graph = grimp.build_graph(*PACKAGES)
    offenders = {
        (importer, imported)
        for importer in graph.find_children("bot") | graph.find_descendants("bot")
        if not importer.startswith("bot.app")
        for imported in graph.find_modules_directly_imported_by(importer)
        if imported.startswith("handlers")
    }
    assert offenders == set()


def test_all_sql_lives_in_storage() -> None:
    query = re.compile(r"\bsession\.(exec|execute)\(")
    outside = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in _modules()
        if not p.relative_to(ROOT).as_posix().startswith("storage/")
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if query.search(line)
    ]
    assert outside == []


def test_no_code_module_is_over_four_hundred_lines() -> None:
    long = {
        p.relative_to(ROOT).as_posix(): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
        and p.relative_to(ROOT).as_posix() not in DATA_MODULES
    }
    assert long == {}
