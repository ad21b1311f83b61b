"""The import graph: no cycle between apps, and none between the modules of one app.

Every ``cairn/**/*.py`` outside tests and migrations is read with :mod:`ast`; imports at
module level and inside functions both count (a local import hides a cycle, it does not
break it). Test code is left out: it wires apps together on purpose.
"""

import ast
import graphlib
from collections import defaultdict
from pathlib import Path

import cairn

ROOT = Path(cairn.__file__).parent

#: App-to-app imports that still close a cycle, each to be removed by the work named beside
#: it; delete the line when the import is gone. None are left.
KNOWN_APP_EDGES: dict[tuple[str, str], str] = {}
#: Module cycles inside one app, likewise.
KNOWN_MODULE_EDGES: dict[tuple[str, str], str] = {}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for path in ROOT.rglob("*.py")
        if not {"tests", "migrations"} & set(path.relative_to(ROOT).parts)
    }


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Return the cairn modules that the module imports, anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in modules else base)
    return {m for m in found if m in modules and m != name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _app(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (ROOT / parts[-1]).is_dir() else None


def _app_graph() -> dict[tuple[str, str], list[str]]:
    """Return each app-to-app import with the modules that make it."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for module, targets in _graph().items():
        for target in targets:
            a, b = _app(module), _app(target)
            if a and b and a != b:
                edges[(a, b)].append(module)
    return edges


def _cycle(edges) -> list[str] | None:  # noqa: ANN001
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        return error.args[1][::-1]  # graphlib lists predecessors first: turn to "imports"
    return None


def test_no_cycle_between_apps() -> None:
    edges = _app_graph()
    cycle = _cycle(set(edges) - set(KNOWN_APP_EDGES))
    assert cycle is None, f"apps import each other: {' -> '.join(cycle)}; " + "; ".join(
        f"{a} -> {b} in {', '.join(edges[(a, b)])}" for a, b in zip(cycle, cycle[1:], strict=False)
    )


def test_no_cycle_between_the_modules_of_an_app() -> None:
    edges = {(a, b) for a, targets in _graph().items() for b in targets if _app(a) == _app(b)}
    cycle = _cycle(edges - set(KNOWN_MODULE_EDGES))
    assert cycle is None, f"modules import each other: {' -> '.join(cycle)}"


def test_the_known_cycles_are_still_there_or_are_crossed_off() -> None:
    edges = _app_graph()
    modules = {(a, b) for a, targets in _graph().items() for b in targets}
    gone = [e for e in KNOWN_APP_EDGES if e not in edges]
    gone += [e for e in KNOWN_MODULE_EDGES if e not in modules]
    assert not gone, f"no longer imported, cross them off the known edges: {gone}"


def test_disputes_and_safeguards_never_import_trust() -> None:
    edges = _app_graph()
    assert ("trust", "safeguards") in edges  # trust reads what the safeguards corrected
    for a, b in (("disputes", "trust"), ("safeguards", "trust"), ("trust", "disputes")):
        assert (a, b) not in edges, edges[(a, b)]


def test_it_sees_an_import_hidden_in_a_function_and_a_cycle(tmp_path: Path) -> None:
    module = tmp_path / "late.py"
    module.write_text("def f():\n    from cairn.trust import adapter\n", encoding="utf-8")
    modules = {"cairn.trust.adapter": module, "cairn.trust": module}
    assert _imports("cairn.disputes.late", module, modules) == {"cairn.trust.adapter"}
    edges = {("a", "b"), ("b", "c"), ("c", "a")}
    cycle = _cycle(edges)
    assert cycle is not None and cycle[0] == cycle[-1]
    assert set(zip(cycle, cycle[1:], strict=False)) == edges  # in the direction of the imports
    assert _cycle({("a", "b"), ("b", "c")}) is None
