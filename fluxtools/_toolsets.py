"""Toolsets: named groups of tools, so a configuration offers only what its agent needs.

`toolsets: [read, diagnose]` in the configuration (`--toolsets` on the command line and the MCP
server, `toolsets=` on both adapters) offers the tools of those groups and refuses the others.
Without it every tool is offered. `fleet` is the tools that answer for several clusters at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

GROUPS: dict[str, tuple[str, ...]] = {
    "read": (
        "flux_kustomization_list",
        "flux_kustomization_get",
        "flux_helmrelease_list",
        "flux_helmrelease_get",
        "flux_values",
        "flux_get_all",
        "flux_stats",
        "flux_export",
    ),
    "operate": ("flux_reconcile", "flux_suspend", "flux_resume"),
    "diagnose": ("flux_diagnose", "flux_logs", "flux_events", "flux_tree", "flux_trace", "flux_check"),
    "sources": ("flux_source_list", "flux_source_get"),
    "images": ("flux_image_list",),
}
"""Every group but `fleet`, whose tools are the ones the fleet answers for (the layer above one cluster's
path knows them: `fluxtools._published.toolsets`)."""
NAMES: tuple[str, ...] = (*GROUPS, "fleet")


def check_toolsets(names: Iterable[str]) -> list[str]:
    """The toolset names, once each (`read,diagnose` counts as two); ValueError naming an unknown one."""
    from fluxtools._suggestions import closest

    chosen = [part.strip() for name in names for part in str(name).split(",") if part.strip()]
    for name in chosen:
        if name not in NAMES:
            guess = closest(name, NAMES)
            near = f" (did you mean '{guess}'?)" if guess else ""
            raise ValueError(f"unknown toolset '{name}'{near}; toolsets: {', '.join(NAMES)}")
    return list(dict.fromkeys(chosen))


def offered(chosen: Sequence[str], fleet: Sequence[str]) -> set[str] | None:
    """The tool names the chosen toolsets offer (`fleet`: the fleet's tools); None (every tool) when none is."""
    if not chosen:
        return None
    groups = {**GROUPS, "fleet": tuple(fleet)}
    return {tool for name in chosen for tool in groups[name]}
