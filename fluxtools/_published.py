"""The tools as every face publishes them (adapters, MCP, the command line, the README).

The spec table's tools (`fluxtools.specs`), each as one cluster's pipeline runs it, with the fleet's
parameters added to the tools the fleet answers for. `FluxTools` validates every call against these.
"""

from __future__ import annotations

from fluxtools import specs as table
from fluxtools.fleet.args import published
from fluxtools.specs import ToolSpec

ALL_SPECS: tuple[ToolSpec, ...] = tuple(published(spec) for spec in table.ALL_SPECS)
REGISTRY: dict[str, ToolSpec] = {spec.name: spec for spec in ALL_SPECS}
SEED_SPECS: tuple[ToolSpec, ...] = tuple(REGISTRY[name] for name in table.SEED_TOOLS)


def get_spec(name: str) -> ToolSpec:
    """The published tool `name`; UnknownTool naming the closest tools otherwise."""
    try:
        return REGISTRY[name]
    except (KeyError, TypeError):
        raise table.unknown_tools([name]) from None


def specs_for(read_only: bool = False) -> list[ToolSpec]:
    """The tools to offer: without mutating ones in read-only mode."""
    return [spec for spec in ALL_SPECS if not (read_only and spec.mutating)]
