"""The package's layers, read from its imports: one cluster's path imports nothing of the fleet, and no
module imports itself back through others."""

from __future__ import annotations

import ast
from pathlib import Path

import fluxtools

PACKAGE = Path(fluxtools.__file__).parent
ONE_CLUSTER_PATH = (
    "fluxtools._pipeline",
    "fluxtools._arguments",
    "fluxtools._envelope",
    "fluxtools._config",
    "fluxtools._policy",
    "fluxtools._shape",
    "fluxtools._budget",
    "fluxtools._cache",
    "fluxtools._ratelimit",
    "fluxtools._approval",
    "fluxtools._audit",
    "fluxtools._masking",
    "fluxtools._errors",
    "fluxtools._validation",
    "fluxtools._metrics",
    "fluxtools.specs",
    "fluxtools._process",
    "fluxtools._flux",
    "fluxtools.diagnosis",
)
"""The executor, configuration, policy, shape, tools, process, Flux knowledge and diagnosis."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def type_only(tree: ast.Module) -> set[ast.AST]:
    """The statements under `if TYPE_CHECKING:`: annotations only, never run."""
    blocks = [node for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)]
    return {inner for block in blocks for statement in block.body for inner in ast.walk(statement)}


def imported(name: str, path: Path) -> set[str]:
    """The fluxtools modules `name` imports, anywhere in it (lazy imports inside functions too; not type-only
    imports)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = type_only(tree)
    found = set()
    for node in ast.walk(tree):
        if node in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([package.rsplit(".", node.level - 1)[0], base]).rstrip(".")
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in MODULES else base)
    return {module for module in found if module in MODULES}


GRAPH = {name: imported(name, path) for name, path in MODULES.items()}


def reached(start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for module in GRAPH[todo.pop()] - seen:
            seen.add(module)
            todo.append(module)
    return seen


def in_layer(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def test_the_graph_is_read_from_the_package():
    assert "fluxtools._entry" in GRAPH["fluxtools"] and "fluxtools.fleet.clusters" in GRAPH["fluxtools._entry"]
    assert "fluxtools._pipeline" in GRAPH["fluxtools.fleet.clusters"]


def test_no_module_of_one_clusters_path_reaches_the_fleet():
    path = [name for name in MODULES if in_layer(name, ONE_CLUSTER_PATH)]
    assert len(path) > 50
    reaching = {name: sorted(m for m in reached(name) if in_layer(m, ("fluxtools.fleet",))) for name in path}
    assert {name: fleet for name, fleet in reaching.items() if fleet} == {}


def test_no_module_imports_itself_back():
    """No cycle, counting lazy imports: each layer only looks down."""
    cycles = sorted(name for name in MODULES if name in reached(name))
    assert cycles == []
