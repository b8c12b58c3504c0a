"""The demo walkthrough: what an on-call engineer asks first, answered with the tools."""

from __future__ import annotations

import asyncio
from typing import Any

from .executor import FluxTools

LIST_TOOLS = (
    ("Kustomizations", "flux_kustomization_list", "kustomizations", "flux_kustomization_get"),
    ("HelmReleases", "flux_helmrelease_list", "helmreleases", "flux_helmrelease_get"),
)
LOG_CONTROLLERS = ("kustomize-controller", "helm-controller")


def _table(items: list[dict[str, Any]]) -> list[str]:
    rows = [
        (f"{i['namespace']}/{i['name']}", "suspended" if i["suspended"] else i["ready"], i["status"]) for i in items
    ]
    width = max((len(row[0]) for row in rows), default=10)
    return [
        f"  {name:<{width}}  {state:<9}  {message.splitlines()[0] if message else ''}" for name, state, message in rows
    ]


async def walkthrough(tools: FluxTools) -> str:
    """List both kinds, explain every object that is not Ready, show controller errors."""
    lines: list[str] = []
    lists = await asyncio.gather(*(tools.acall(tool, {}) for _, tool, _, _ in LIST_TOOLS))
    trouble: list[tuple[str, dict[str, Any]]] = []
    for (title, _, key, get_tool), envelope in zip(LIST_TOOLS, lists, strict=True):
        if not envelope["success"]:
            lines.append(f"{title}: {envelope['error']}")
            continue
        data = envelope["data"]
        counts = ", ".join(f"{n} {state}" for state, n in data["counts"].items())
        lines += [f"{title}: {data['total']} ({counts})", *_table(data[key]), ""]
        trouble += [(get_tool, item) for item in data[key] if item["suspended"] or item["ready"] != "True"]
    details = await asyncio.gather(
        *(tools.acall(tool, {"name": item["name"], "namespace": item["namespace"]}) for tool, item in trouble)
    )
    if trouble:
        lines.append("Not ready:")
    for (_, item), envelope in zip(trouble, details, strict=True):
        data = envelope.get("data") or {}
        why = "suspended" if item["suspended"] else f"{data.get('reason')}: {(data.get('status') or '').strip()}"
        deps = f" (depends on {', '.join(data['depends_on'])})" if data.get("depends_on") else ""
        lines.append(f"  {item['namespace']}/{item['name']}{deps}\n      {why}")
    logs = await asyncio.gather(
        *(tools.acall("flux_logs", {"kind": c, "level": "error", "tail": 200}) for c in LOG_CONTROLLERS)
    )
    for controller, envelope in zip(LOG_CONTROLLERS, logs, strict=True):
        text = (envelope.get("data") or {}).get("logs", "") if envelope["success"] else envelope["error"]
        recent = text.splitlines()[-3:]
        lines += ["", f"Latest errors from {controller}:", *(f"  {line[:160]}" for line in recent or ["  (none)"])]
    return "\n".join(lines)
