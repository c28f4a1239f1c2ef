"""The architecture holds: data flows one way, each job has one home, modules stay small.

Read from the source itself (every import in a file counts, deferred ones too), so a
change that reaches the wrong way fails here, naming the file and what it imports:

file or form -> ingest -> store -> calc -> report -> services -> CLI, dashboard.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("rba", "dashboards")
#: What the front ends (the CLI and the dashboard) may use of the library: the services,
#: and the values and words everything shares.
FRONT_END_ALLOWED = ("rba.services", "rba.i18n", "rba.messages", "rba.refusals",
                     "rba.config", "rba.dimensions")
#: Layers and the rba packages each must not import.
FORBIDDEN = {
    "rba.calc": ("rba.store", "rba.ingest", "rba.report", "rba.i18n", "rba.services",
                 "rba.cli", "rba.workbook", "rba.models", "sqlalchemy"),
    "rba.store": ("rba.ingest", "rba.workbook", "rba.report", "rba.cli", "rba.services",
                  "rba.i18n"),
    "rba.report": ("rba.store", "rba.ingest", "rba.workbook", "rba.services", "rba.cli",
                   "rba.models", "sqlalchemy"),
    "rba.workbook": ("rba.store", "rba.ingest", "rba.report", "rba.services", "rba.cli",
                     "sqlalchemy"),
    "rba.ingest": ("rba.report", "rba.services", "rba.cli"),
    "rba.services": ("rba.cli",),
    "rba.plan": ("rba.store", "rba.ingest", "rba.workbook"),
    "rba.sheets": ("rba.store", "rba.ingest", "rba.workbook"),
    "rba.messages": ("rba",),
}
#: Outside the store and the models, SQLAlchemy appears only as these names: a session is
#: passed along, never used to query.
SQLALCHEMY_NAMES = {("sqlalchemy.orm", "Session"), ("sqlalchemy.orm", "sessionmaker"),
                    ("sqlalchemy.exc", "SQLAlchemyError")}
QUERYING = {"execute", "scalar", "scalars", "query", "get_bind", "connection"}
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[module_name(path)] = path
    return found


@cache
def tree(name: str) -> ast.Module:
    return ast.parse(modules()[name].read_text(encoding="utf-8"))


def imports(name: str) -> Iterator[tuple[str, str | None, int]]:
    """(module, imported name or None, line) of every import in a module, deferred too."""
    for node in ast.walk(tree(name)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                if not str(modules()[name]).endswith("__init__.py"):
                    base = base[:-1]
                base = base[:len(base) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            for alias in node.names:
                yield module, alias.name, node.lineno


def local_targets(name: str) -> set[str]:
    """The rba and dashboards modules a module imports (a name imported from a package
    counts as its submodule when there is one)."""
    targets = set()
    for module, imported, _line in imports(name):
        candidates = [f"{module}.{imported}", module] if imported else [module]
        for candidate in candidates:
            while candidate and candidate not in modules() and "." in candidate:
                candidate = candidate.rsplit(".", 1)[0]
            if candidate in modules() and candidate != name:
                targets.add(candidate)
                break
    return targets


def inside(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_no_import_cycles() -> None:
    graph = {name: local_targets(name) for name in modules()}
    cycles, index, low, stack, on_stack = [], {}, {}, [], set()

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in graph:
        if node not in index:
            visit(node)
    assert cycles == []


def violations(rule: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for name in modules():
        if not inside(name, rule):
            continue
        for module, _imported, line in imports(name):
            if any(inside(module, f) for f in forbidden) and not inside(module, rule):
                found.append(f"{modules()[name].relative_to(ROOT)}:{line} imports {module}")
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layers_import_only_downwards(layer: str) -> None:
    assert violations(layer, FORBIDDEN[layer]) == []


def test_the_library_never_imports_the_dashboard() -> None:
    found = violations("rba", ("dash", "dash_bootstrap_components", "dash_ag_grid",
                               "dashboards", "flask", "flask_login"))
    for name in modules():  # nor by a module name in a string
        if not inside(name, "rba"):
            continue
        for node in ast.walk(tree(name)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                    node.value == "dashboards" or node.value.startswith("dashboards.")):
                found.append(f"{modules()[name].relative_to(ROOT)}:{node.lineno} names "
                             f"{node.value!r}")
    assert found == []


@pytest.mark.parametrize("front_end", ["rba.cli", "dashboards"])
def test_front_ends_call_services_and_nothing_below(front_end: str) -> None:
    found = []
    for name in modules():
        if not inside(name, front_end):
            continue
        for module, _imported, line in imports(name):
            if (inside(module, "rba") and not inside(module, front_end)
                    and not any(inside(module, a) for a in FRONT_END_ALLOWED)):
                found.append(f"{modules()[name].relative_to(ROOT)}:{line} imports {module}")
    assert found == []


def test_only_the_store_queries() -> None:
    found = []
    for name in modules():
        if inside(name, "rba.store") or inside(name, "rba.models"):
            continue
        where = modules()[name].relative_to(ROOT)
        for module, imported, line in imports(name):
            if inside(module, "sqlalchemy") and (module, imported) not in SQLALCHEMY_NAMES:
                found.append(f"{where}:{line} imports {module}.{imported or ''}")
        for node in ast.walk(tree(name)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in QUERYING and isinstance(node.func.value, ast.Name)
                    and node.func.value.id in ("session", "s", "connection")):
                found.append(f"{where}:{node.lineno} calls session.{node.func.attr}()")
    assert found == []


def test_the_environment_is_read_only_in_config() -> None:
    found = []
    for name in modules():
        if name == "rba.config":
            continue
        for node in ast.walk(tree(name)):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv") and \
                    isinstance(node.value, ast.Name) and node.value.id == "os":
                found.append(f"{modules()[name].relative_to(ROOT)}:{node.lineno} reads "
                             f"os.{node.attr}")
    assert found == []


def test_modules_stay_readable_in_one_sitting() -> None:
    paths = [*modules().values(), *sorted((ROOT / "data").rglob("*.py"))]
    long = {str(p.relative_to(ROOT)): n for p in paths
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_python_dash_m_rba_is_the_rba_command() -> None:
    module = subprocess.run([sys.executable, "-m", "rba", "--help"], capture_output=True,
                            text=True, check=True, cwd=ROOT)
    script = Path(sys.executable).with_name("rba")
    command = subprocess.run([str(script), "--help"], capture_output=True, text=True,
                             check=True, cwd=ROOT)
    assert module.stdout == command.stdout
    assert "serve" in module.stdout and "scorecard" in module.stdout


def test_no_test_imports_another_test_module() -> None:
    tests = {p.stem for p in (ROOT / "tests").rglob("test_*.py")}
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.relative_to(ROOT)}:{node.lineno} imports {n}" for n in names
                      if n.split(".")[-1] in tests]
    assert found == []
