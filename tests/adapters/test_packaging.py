"""Distributions, dependencies, import cost and notebooks hygiene."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORKS = ("langchain", "langchain_core", "langgraph", "llama_index.core")


def loaded_after(statement: str) -> set[str]:
    """Top modules of the frameworks imported by `statement`, in a fresh interpreter."""
    probe = f"import json, sys; {statement}; print(json.dumps(sorted(sys.modules)))"
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    modules = json.loads(output)
    return {name for name in FRAMEWORKS for module in modules if module == name or module.startswith(name + ".")}


def test_the_core_imports_no_framework() -> None:
    assert loaded_after("import fluxtools") == set()


@pytest.mark.parametrize("module", ["langchain_fluxcd", "llama_index.tools.fluxcd"])
def test_adapters_load_their_framework_on_first_use(module: str) -> None:
    assert loaded_after(f"import {module}") == set()


def test_adapters_load_their_framework_when_used() -> None:
    assert "langchain_core" in loaded_after("from langchain_fluxcd import FluxToolkit")
    assert "llama_index.core" in loaded_after("from llama_index.tools.fluxcd import FluxToolSpec")


def dependencies(pyproject: Path) -> list[str]:
    return tomllib.loads(pyproject.read_text())["project"]["dependencies"]


def test_distributions_and_dependencies() -> None:
    core = " ".join(dependencies(ROOT / "pyproject.toml"))
    assert not any(name in core for name in ("langchain", "llama", "vcrpy"))
    langchain = tomllib.loads((ROOT / "adapters/langchain-fluxcd/pyproject.toml").read_text())["project"]
    llama = tomllib.loads((ROOT / "adapters/llama-index-tools-fluxcd/pyproject.toml").read_text())["project"]
    assert langchain["name"] == "langchain-fluxcd"
    assert langchain["dependencies"] == ["fluxtools>=0.1", "langchain-core>=1.8"]
    assert llama["name"] == "llama-index-tools-fluxcd"
    assert llama["dependencies"] == ["fluxtools>=0.1", "llama-index-core>=0.14"]


def test_the_namespace_package_stays_a_namespace() -> None:
    package = ROOT / "adapters/llama-index-tools-fluxcd/llama_index"
    assert not (package / "__init__.py").exists() and not (package / "tools/__init__.py").exists()
    assert (package / "tools/fluxcd/__init__.py").exists()


def test_three_notebooks() -> None:
    names = {path.stem for path in (ROOT / "notebooks").glob("*.ipynb")}
    assert names == {"quickstart", "langchain_agent", "llamaindex_workflow"}
