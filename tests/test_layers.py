"""The code's floors never import upwards, and no module imports itself round a circle.

loaders/ is the bottom floor (contracts, the engine, the raw and audit tables it owns); warehouse/ (the pipeline and
the CLI) stands on it; demo/ (the demo's data and `hub demo`) and tools/ (seed and doc generators, run by hand) stand
beside it, and of the warehouse only the CLI calls the demo (`hub demo`); bench/ is on top of everything. Imports
are read from the source (ast), so nothing is executed, and an import inside a function counts like one at the top
of the module.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from warehouse.paths import PROJECT_DIR

PACKAGES = ("loaders", "warehouse", "demo", "tools", "bench", "tests")

# What each floor may not import, by top-level package.
FORBIDDEN = {
    "loaders": {"warehouse", "demo", "tools", "bench", "tests"},
    "warehouse": {"demo", "tools", "bench", "tests"},
    "demo": {"tools", "bench", "tests"},
    "tools": {"bench", "tests"},
    "bench": {"tests"},
}
# The one way up allowed: `hub demo` runs the demo.
ALLOWED = {("warehouse.cli", "demo")}


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def repo_modules(root: Path) -> dict[str, Path]:
    return {module_name(path, root): path
            for package in PACKAGES if (root / package / "__init__.py").is_file()
            for path in sorted((root / package).rglob("*.py"))}


def imported_modules(name: str, path: Path, modules: dict[str, Path]) -> Iterator[str]:
    """The repo's modules a module imports: `from package import module` names the module, not the package."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


def import_graph(root: Path) -> dict[str, set[str]]:
    modules = repo_modules(root)
    return {name: set(imported_modules(name, path, modules)) for name, path in modules.items()}


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(f"{importer} imports {imported}" for importer, imports in graph.items() for imported in imports
                  if imported.split(".")[0] in FORBIDDEN.get(importer.split(".")[0], set())
                  and (importer, imported.split(".")[0]) not in ALLOWED)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = lowest[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.get(module, ())):
            if imported not in index:
                visit(imported)
                lowest[module] = min(lowest[module], lowest[imported])
            elif imported in on_stack:
                lowest[module] = min(lowest[module], index[imported])
        if lowest[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(found)


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(PROJECT_DIR)


def test_no_floor_imports_a_floor_above_it(graph):
    assert upward_imports(graph) == []


def test_no_modules_import_each_other_round_a_circle(graph):
    assert cycles(graph) == []


def test_the_demo_lives_outside_the_warehouse():
    assert sorted(path.name for path in (PROJECT_DIR / "warehouse").glob("demo*")) == []


def test_every_package_the_installed_code_imports_is_installed(graph):
    """`hub` runs from an install of the packages pyproject.toml names, so whatever they import must be among them."""
    with (PROJECT_DIR / "pyproject.toml").open("rb") as f:
        installed = set(tomllib.load(f)["tool"]["setuptools"]["packages"])
    reached = {imported.split(".")[0] for importer, imports in graph.items() if importer.split(".")[0] in installed
               for imported in imports}
    assert reached <= installed


def test_the_checks_see_an_upward_import_and_a_circle(tmp_path):
    """The checks themselves, on a small tree: a loader importing the warehouse, the warehouse importing the demo
    (allowed to the CLI alone), two modules importing each other (one of them inside a function), and a relative
    import."""
    files = {
        "loaders/__init__.py": "",
        "loaders/engine.py": "from warehouse.paths import HubPaths\n",
        "warehouse/__init__.py": "",
        "warehouse/cli.py": "from demo.run import run_demo\n",
        "warehouse/paths.py": "from demo import data\n",
        "demo/__init__.py": "",
        "demo/data.py": "",
        "demo/run.py": "",
        "warehouse/quality.py": "from . import validation\n",
        "warehouse/validation.py": "def check():\n    from warehouse.quality import report\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    small = import_graph(tmp_path)
    assert upward_imports(small) == ["loaders.engine imports warehouse.paths", "warehouse.paths imports demo.data"]
    assert cycles(small) == [["warehouse.quality", "warehouse.validation"]]
