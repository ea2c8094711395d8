"""The layering of the ``pipeline`` package, read from its source with :mod:`ast`: arrows go one way.

Every import counts, at module level or inside a function (a lazy import is still a dependency);
only imports under ``if TYPE_CHECKING:`` (annotations) are left out. The layers, low to high:

    errors, files, progress, store, document, lexicon, english, demonyms
      -> correction -> names -> context -> stages -> config -> api
      -> tei -> export -> review (decisions, view, report, apply) -> executors, batch
      -> evaluation, reports, review (app, source) -> cli
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Everything above the document model.
_ABOVE_MODEL = ("pipeline.correction", "pipeline.names", "pipeline.context", "pipeline.stages", "pipeline.config",
                "pipeline.api", "pipeline.tei", "pipeline.export", "pipeline.review", "pipeline.executors",
                "pipeline.batch", "pipeline.evaluation", "pipeline.evaluate", "pipeline.reports", "pipeline.cli",
                "pipeline.restore", "pipeline.reading")
_RUNNERS = ("pipeline.api", "pipeline.batch", "pipeline.executors", "pipeline.evaluation", "pipeline.evaluate",
            "pipeline.reports", "pipeline.cli")
_OUTPUTS = ("pipeline.tei", "pipeline.export", "pipeline.restore")

#: module prefix -> module prefixes it must not import.
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "pipeline.errors": _ABOVE_MODEL + ("pipeline.document", "pipeline.lexicon"),
    "pipeline.files": _ABOVE_MODEL + ("pipeline.document", "pipeline.lexicon"),
    "pipeline.progress": _ABOVE_MODEL + ("pipeline.document", "pipeline.lexicon"),
    "pipeline.store": _ABOVE_MODEL + ("pipeline.document", "pipeline.lexicon"),
    "pipeline.document": _ABOVE_MODEL,
    "pipeline.lexicon": _ABOVE_MODEL,
    "pipeline.english": _ABOVE_MODEL + ("pipeline.document", "pipeline.lexicon"),
    "pipeline.demonyms": _ABOVE_MODEL + ("pipeline.document", "pipeline.lexicon"),
    "pipeline.foreign": _ABOVE_MODEL + ("pipeline.document", "pipeline.lexicon"),
    "pipeline.correction": ("pipeline.names", "pipeline.context", "pipeline.stages", "pipeline.config",
                            "pipeline.review", "pipeline.reports", "pipeline.api", "pipeline.batch",
                            "pipeline.executors", "pipeline.cli", *_OUTPUTS),
    "pipeline.names": ("pipeline.context", "pipeline.stages", "pipeline.config", "pipeline.review",
                       "pipeline.evaluation", "pipeline.evaluate", *_RUNNERS, *_OUTPUTS),
    "pipeline.context": ("pipeline.names", "pipeline.stages", "pipeline.config", "pipeline.review",
                         *_RUNNERS, *_OUTPUTS),
    "pipeline.stages": ("pipeline.config", "pipeline.review", "pipeline.reading", *_RUNNERS, *_OUTPUTS),
    # reading an input in chunks: the decode stage's decisions and the lexicon's counts, for the runners
    "pipeline.reading": ("pipeline.correction", "pipeline.names", "pipeline.context", "pipeline.config",
                         "pipeline.review", *_RUNNERS, *_OUTPUTS),
    "pipeline.config": ("pipeline.review", *_RUNNERS, *_OUTPUTS),
    "pipeline.tei": ("pipeline.correction", "pipeline.names", "pipeline.context", "pipeline.stages",
                     "pipeline.config", "pipeline.export", "pipeline.review", "pipeline.lexicon", *_RUNNERS),
    "pipeline.export": ("pipeline.correction", "pipeline.names", "pipeline.context", "pipeline.stages",
                        "pipeline.config", "pipeline.review", *_RUNNERS),
    "pipeline.api": ("pipeline.batch", "pipeline.executors", "pipeline.evaluation", "pipeline.evaluate",
                     "pipeline.reports", "pipeline.cli", "pipeline.review", *_OUTPUTS),
    "pipeline.review.decisions": ("pipeline.stages", *_RUNNERS),
    "pipeline.review.view": ("pipeline.stages", *_RUNNERS),
    "pipeline.review.diff": ("pipeline.stages", *_RUNNERS),
    "pipeline.review.report": ("pipeline.stages", *_RUNNERS),
    "pipeline.review.apply": ("pipeline.stages", *_RUNNERS),
    "pipeline.executors": ("pipeline.batch", "pipeline.evaluation", "pipeline.reports", "pipeline.cli"),
    "pipeline.batch": ("pipeline.evaluation", "pipeline.reports", "pipeline.cli"),
    "pipeline.evaluation": ("pipeline.reports", "pipeline.cli"),
    "pipeline.reports": ("pipeline.evaluation", "pipeline.cli"),
    "pipeline.review": ("pipeline.reports", "pipeline.cli"),
}


def _modules(root: Path) -> dict[str, Path]:
    """Every module of the ``pipeline`` package under ``root`` by dotted name (a package by its own name)."""
    out = {}
    for path in sorted((root / "pipeline").rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            found.update(id(sub) for stmt in node.body for sub in ast.walk(stmt))
    return found


def _imported(name: str, path: Path, known: Iterable[str]) -> set[str]:
    """The ``pipeline`` modules ``name`` imports (the longest known module of each dotted name)."""
    known = set(known)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_nodes(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                out.add(target)
    return out


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the ``pipeline`` modules it imports (outside ``TYPE_CHECKING`` blocks)."""
    modules = _modules(root)
    return {name: _imported(name, path, modules) for name, path in modules.items()}


def _under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def violations(graph: dict[str, set[str]]) -> list[str]:
    """``a -> b`` for every import of a forbidden (higher) layer; the most specific rule of ``a`` applies."""
    out = []
    for module, targets in sorted(graph.items()):
        rules = [p for p in FORBIDDEN if _under(module, p)]
        if not rules:
            continue
        forbidden = FORBIDDEN[max(rules, key=len)]
        for target in sorted(targets):
            if any(_under(target, f) for f in forbidden) and not _under(target, module):
                out.append(f"{module} -> {target}")
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import loops: strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_lower_layer_imports_a_higher_one() -> None:
    assert violations(import_graph()) == []


def test_no_import_loops() -> None:
    assert cycles(import_graph()) == []


def test_only_the_entry_point_imports_the_cli() -> None:
    graph = import_graph()
    assert sorted(m for m, targets in graph.items() if "pipeline.cli" in targets) == ["pipeline.__main__"]


def test_every_package_has_a_rule() -> None:
    """A new package must be placed in the layering (a module under no rule is unchecked)."""
    unplaced = sorted(m for m in import_graph() if m.count(".") == 1 and not any(_under(m, p) for p in FORBIDDEN)
                      and m not in {"pipeline.__main__", "pipeline.cli", "pipeline.evaluate", "pipeline.restore"})
    assert unplaced == []


@pytest.fixture
def toy(tmp_path: Path) -> Path:
    """A package with one upward import (document -> stages), a lazy one and a loop (a <-> b)."""
    pkg = tmp_path / "pipeline"
    (pkg / "stages").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "stages" / "__init__.py").write_text("from pipeline import document\n")
    (pkg / "document.py").write_text("def f():\n    from pipeline.stages import x\n    return x\n")
    (pkg / "lexicon.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                    "    from pipeline.cli import main\n")
    (pkg / "a.py").write_text("from . import b\n")
    (pkg / "b.py").write_text("import pipeline.a\n")
    return tmp_path


def test_the_checks_find_upward_imports_and_loops(toy: Path) -> None:
    graph = import_graph(toy)
    assert violations(graph) == ["pipeline.document -> pipeline.stages"]  # lexicon's is TYPE_CHECKING only
    assert sorted(cycles(graph)) == [["pipeline.a", "pipeline.b"], ["pipeline.document", "pipeline.stages"]]
