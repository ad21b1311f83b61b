"""Modules of matching import each other without a cycle, and the engine never imports Django.

Imports are read with `ast`, at the top of a module and inside functions alike, so a cycle
hidden behind a function-level import is found too.
"""

import ast
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[1]
APP = ENGINE.parent
REPOSITORY = APP.parents[1]
ENGINE_PACKAGE = "cairn.matching.engine"


def module_name(path: Path) -> str:
    """Return the dotted name of the module at ``path``."""
    parts = path.relative_to(REPOSITORY).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Return every module ``path`` imports, and every name it imports from one, in full."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def modules(root: Path) -> dict[str, Path]:
    """Return the modules under ``root`` by dotted name, tests and migrations left out."""
    return {
        module_name(p): p
        for p in root.rglob("*.py")
        if not {"tests", "migrations"} & set(p.relative_to(root).parts)
    }


def import_graph(root: Path) -> dict[str, set[str]]:
    """Return, for each module under ``root``, the other modules under ``root`` it imports."""
    found = modules(root)
    return {name: (imported(path) & found.keys()) - {name} for name, path in found.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """Return one import cycle of ``graph`` (first module repeated at the end), or []."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = "done"
        stack.pop()
        return []

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return []


def test_find_cycle_finds_one_and_only_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


def test_relative_and_function_level_imports_are_seen():
    graph = import_graph(ENGINE)
    assert "cairn.matching.engine.index" in graph["cairn.matching.engine.reasons"]
    assert "cairn.matching.engine.reasons" in graph["cairn.matching.engine.recommend"]
    assert "cairn.matching.adapter" in import_graph(APP)["cairn.matching.views"]


@pytest.mark.parametrize("root", [ENGINE, APP], ids=["engine", "app"])
def test_modules_import_each_other_without_a_cycle(root):
    assert find_cycle(import_graph(root)) == []


@pytest.mark.parametrize("name", sorted(modules(ENGINE)))
def test_the_engine_imports_neither_django_nor_the_app(name):
    names = imported(modules(ENGINE)[name])
    outside = {n for n in names if n.split(".")[0] == "django"}
    outside |= {n for n in names if n.startswith("cairn.") and not n.startswith(ENGINE_PACKAGE)}
    assert outside == set()
