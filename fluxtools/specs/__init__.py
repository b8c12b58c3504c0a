"""The spec table: every tool fluxtools offers, found in the modules of this package.

A tool is a module-level `ToolSpec` in any module here; nothing else registers
it. `TABLE_ORDER` only places tools in the tables and tool lists (README, MCP,
adapters); a tool it does not name comes after those it names.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence

from fluxtools._errors import UnknownTool
from fluxtools._suggestions import closest
from fluxtools.specs.base import TIMEOUTS, Operation, ToolArgs, ToolSpec

SEED_TOOLS = (
    "flux_kustomization_list",
    "flux_kustomization_get",
    "flux_helmrelease_list",
    "flux_helmrelease_get",
    "flux_reconcile",
    "flux_suspend",
    "flux_resume",
    "flux_logs",
)
"""The tools of the specification, in its order."""
TABLE_ORDER = (
    *SEED_TOOLS,
    "flux_diagnose",
    "flux_source_list",
    "flux_source_get",
    "flux_values",
    "flux_image_list",
    "flux_get_all",
    "flux_stats",
    "flux_events",
    "flux_tree",
    "flux_trace",
    "flux_export",
    "flux_check",
)


def discover() -> list[ToolSpec]:
    """Every module-level ToolSpec of this package's modules, each once, in module order."""
    found: dict[str, ToolSpec] = {}
    for module in pkgutil.iter_modules(__path__):
        for value in vars(importlib.import_module(f"{__name__}.{module.name}")).values():
            if isinstance(value, ToolSpec):
                if found.get(value.name, value) is not value:
                    raise ValueError(f"two tools are named {value.name}")
                found[value.name] = value
    return list(found.values())


def _position(spec: ToolSpec) -> int:
    return TABLE_ORDER.index(spec.name) if spec.name in TABLE_ORDER else len(TABLE_ORDER)


ALL_SPECS: tuple[ToolSpec, ...] = tuple(sorted(discover(), key=_position))
REGISTRY: dict[str, ToolSpec] = {spec.name: spec for spec in ALL_SPECS}
SEED_SPECS: tuple[ToolSpec, ...] = tuple(REGISTRY[name] for name in SEED_TOOLS)


def get_spec(name: str) -> ToolSpec:

    try:
        return REGISTRY[name]
    except (KeyError, TypeError):
        raise unknown_tools([name]) from None


def unknown_tools(names: Sequence[str]) -> UnknownTool:
    """UnknownTool naming each unknown name with the closest tool names, not the whole table."""
    guesses = []
    for name in map(str, names):
        match = closest(name, REGISTRY, prefix="flux_")  # the shared prefix would make every name look close
        guesses.append(f"'{name}' (did you mean {match}?)" if match else f"'{name}'")
    return UnknownTool(
        f"Unknown fluxtools tool{'s' if len(guesses) > 1 else ''}: {', '.join(guesses)}",
        hint=f"fluxtools has {len(REGISTRY)} tools, all named flux_*; `fluxtools tools` lists them.",
    )


def specs_for(read_only: bool = False) -> list[ToolSpec]:
    """The tools to offer: without mutating ones in read-only mode."""
    return [spec for spec in ALL_SPECS if not (read_only and spec.mutating)]


__all__ = [
    "ALL_SPECS",
    "REGISTRY",
    "SEED_SPECS",
    "SEED_TOOLS",
    "TABLE_ORDER",
    "TIMEOUTS",
    "Operation",
    "ToolArgs",
    "ToolSpec",
    "discover",
    "get_spec",
    "specs_for",
    "unknown_tools",
]
