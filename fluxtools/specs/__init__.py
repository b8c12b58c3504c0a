"""The spec table: every tool fluxtools offers, in one registry."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import UnknownTool
from ..suggestions import closest
from .actions import RECONCILE, RESUME, SUSPEND
from .base import TIMEOUTS, Operation, ToolArgs, ToolSpec
from .check import CHECK
from .diagnose import DIAGNOSE
from .events import EVENTS
from .export import EXPORT
from .logs import LOGS
from .overview import GET_ALL, STATS
from .reads import HELMRELEASE_GET, HELMRELEASE_LIST, KUSTOMIZATION_GET, KUSTOMIZATION_LIST
from .sources import IMAGE_LIST, SOURCE_GET, SOURCE_LIST
from .tree import TRACE, TREE

SEED_SPECS: tuple[ToolSpec, ...] = (
    KUSTOMIZATION_LIST,
    KUSTOMIZATION_GET,
    HELMRELEASE_LIST,
    HELMRELEASE_GET,
    RECONCILE,
    SUSPEND,
    RESUME,
    LOGS,
)
MORE_SPECS: tuple[ToolSpec, ...] = (
    SOURCE_LIST,
    SOURCE_GET,
    IMAGE_LIST,
    GET_ALL,
    STATS,
    EVENTS,
    TREE,
    TRACE,
    EXPORT,
    CHECK,
)
ALL_SPECS: tuple[ToolSpec, ...] = (*SEED_SPECS, DIAGNOSE, *MORE_SPECS)
REGISTRY: dict[str, ToolSpec] = {spec.name: spec for spec in ALL_SPECS}


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
    "TIMEOUTS",
    "Operation",
    "ToolArgs",
    "ToolSpec",
    "get_spec",
    "specs_for",
    "unknown_tools",
]
