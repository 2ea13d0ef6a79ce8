"""No import cycles among the modules that ship, under the names they are installed as.

Python tolerates a cycle hidden in a function body or an ``if TYPE_CHECKING:`` block, but a reader,
a type checker and a structure tool all follow it: two modules that import each other are one
module in two files. So every import counts here: at load time, under ``TYPE_CHECKING``, and inside
functions. ``checks/``, ``reports/`` and ``questions/`` are read as ``wa_audit.checks`` and so on,
from pyproject's ``package-dir`` mapping (the one ``tools/typecheck.py`` lays out for mypy).

A submodule's implicit load of its own package is not an edge: every package would otherwise be
in a cycle with the submodules its ``__init__`` re-exports, which is what packages are for.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

import pytest

from tools.typecheck import package_dirs

Graph = dict[str, set[str]]


def module_files(packages: Mapping[str, Path]) -> dict[str, Path]:
    """Each module's import name with its source file (a package is its ``__init__.py``)."""
    files = {}
    for package, folder in packages.items():
        for source in sorted(folder.glob("*.py")):
            name = package if source.stem == "__init__" else f"{package}.{source.stem}"
            files[name] = source
    return files


def _known_prefix(name: str, known: Mapping[str, Path]) -> str | None:
    """The module ``name`` is, or the innermost known package it lies in (None: not ours)."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def _imports_of(name: str, source: Path, known: Mapping[str, Path]) -> set[str]:
    """Every module of ours that ``name`` imports, wherever in the file the import is."""
    package = name if source.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str | None] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"), str(source))):
        if isinstance(node, ast.Import):
            targets |= {_known_prefix(alias.name, known) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:  # `from pkg import module` imports that module
                submodule = f"{base}.{alias.name}"
                targets.add(submodule if submodule in known else _known_prefix(base, known))
    return {target for target in targets if target is not None and target != name}


def import_graph(packages: Mapping[str, Path]) -> Graph:
    known = module_files(packages)
    return {name: _imports_of(name, source, known) for name, source in known.items()}


def find_cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of modules, as a path back to its start."""
    cycles = []
    for group in _strongly_connected(graph):
        if len(group) > 1:
            cycles.append(_path_back(graph, min(group), group))
    return sorted(cycles)


def _strongly_connected(graph: Mapping[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative (import chains are deeper than Python's recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            target = next((t for t in edges if t in graph), None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                groups.append(group)
    return groups


def _path_back(graph: Mapping[str, set[str]], start: str, group: set[str]) -> list[str]:
    """The shortest import path from ``start`` back to itself within its group."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node] & group):
            if target == start:
                return [*paths[node], start]
            if target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    raise AssertionError(f"{start} is not in a cycle")


@pytest.fixture(scope="module")
def shipped() -> Graph:
    return import_graph(package_dirs())


def test_shipped_modules_import_without_cycles(shipped):
    cycles = find_cycles(shipped)
    assert cycles == [], "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_graph_reads_the_installed_names(shipped):
    """checks/ and reports/ appear under wa_audit.*, with their imports of the engine."""
    assert {"wa_audit.checks.reliability", "wa_audit.reports.html_view"} <= set(shipped)
    assert not any(name.startswith(("checks", "reports", "questions")) for name in shipped)
    assert {"wa_audit.context", "wa_audit.quotas.thresholds"} <= shipped[
        "wa_audit.checks.reliability"
    ]
    assert "wa_audit.reports.html_data" in shipped["wa_audit.reports.html_view"]  # `from .x`


def _write(root: Path, files: Mapping[str, str]) -> dict[str, Path]:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return {"pkg": root / "pkg", "pkg.sub": root / "pkg" / "sub"}


@pytest.mark.parametrize(
    ("closing_import", "kind"),
    [
        ("from pkg.a import A\n", "at load time"),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import A\n",
            "typing",
        ),
        ("def later():\n    from pkg import a\n    return a\n", "function-local"),
        ("from .. import a\n", "relative"),
    ],
)
def test_a_cycle_is_found_however_it_is_imported(tmp_path, closing_import, kind):
    packages = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "import json\nfrom pkg.sub.b import B\nA = 1\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/b.py": closing_import + "B = 2\n",
        },
    )
    assert find_cycles(import_graph(packages)) == [["pkg.a", "pkg.sub.b", "pkg.a"]], kind


def test_no_cycle_without_the_closing_import(tmp_path):
    """The implicit load of a submodule's package is not an edge; third-party imports are not."""
    packages = _write(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.a import A\n",
            "pkg/a.py": "import json\nfrom pkg.sub.b import B\nA = 1\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/b.py": "import pkg.sub\nB = 2\n",
        },
    )
    graph = import_graph(packages)
    assert graph == {
        "pkg": {"pkg.a"},
        "pkg.a": {"pkg.sub.b"},
        "pkg.sub": set(),
        "pkg.sub.b": {"pkg.sub"},
    }
    assert find_cycles(graph) == []


def test_cycle_finder_on_a_synthetic_graph():
    graph = {
        "a": {"b"},
        "b": {"c", "x"},
        "c": {"a"},  # a -> b -> c -> a
        "d": {"e"},
        "e": {"d", "a"},  # d <-> e, and a path into the first cycle (not a cycle of its own)
        "x": set(),
    }
    assert find_cycles(graph) == [["a", "b", "c", "a"], ["d", "e", "d"]]
    del graph["c"]
    graph["b"] = {"x"}
    assert find_cycles(graph) == [["d", "e", "d"]]
