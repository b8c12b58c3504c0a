"""Adapter tests: unit ones run on ScriptedRunner; `demo` ones run on the recorded demo cluster."""

from __future__ import annotations

import importlib.util

import pytest

MISSING = [
    name
    for name in ("langchain_fluxcd", "llama_index.tools.fluxcd", "langchain_tests", "langchain")
    if importlib.util.find_spec(name.split(".")[0]) is None
    or (name == "llama_index.tools.fluxcd" and importlib.util.find_spec("llama_index.tools") is None)
]
if MISSING:  # test_installed.py fails with the reason; nothing else here can be collected
    collect_ignore_glob = ["test_[!i]*.py"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "demo: runs the real tools on the embedded recorded demo cluster (fails, never skips, without it)",
    )
