"""The tools as every face publishes them (adapters, MCP, the command line, the README).

The spec table's tools (`fluxtools.specs`), each as one cluster's pipeline runs it, with the fleet's
parameters added to the tools the fleet answers for. `FluxTools` validates every call against these.
"""

from __future__ import annotations

from collections.abc import Sequence

from fluxtools import specs as table
from fluxtools._config import FluxConfig
from fluxtools._errors import PolicyDenied
from fluxtools._toolsets import GROUPS, offered
from fluxtools.fleet.args import fleet_tools, published
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


def toolsets() -> dict[str, tuple[str, ...]]:
    """Every toolset and its tools (`fleet`: the tools the fleet answers for)."""
    return {**GROUPS, "fleet": tuple(fleet_tools())}


def check_offered(name: str, config: FluxConfig) -> None:
    """Refuse a tool the configured toolsets do not offer, before anything runs."""
    chosen = offered(config.toolsets, fleet_tools())
    if chosen is not None and name not in chosen:
        raise PolicyDenied(
            f"{name} is not in the configured toolsets ({', '.join(config.toolsets)})",
            hint="Use the tools of those toolsets, or add this tool's toolset to toolsets in the configuration.",
        )


def specs_for(read_only: bool = False, toolsets: Sequence[str] = ()) -> list[ToolSpec]:
    """The tools to offer: without mutating ones in read-only mode, only those of the chosen toolsets."""
    chosen = offered(toolsets, fleet_tools())
    return [spec for spec in ALL_SPECS if not (read_only and spec.mutating) and (chosen is None or spec.name in chosen)]
