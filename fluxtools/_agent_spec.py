"""Agent specifications: which fluxtools tools an agent gets and its `config: flux:` settings."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fluxtools._config import ConfigError, flux_block, parse_yaml, read_text
from fluxtools.specs import REGISTRY, unknown_tools


@dataclass(frozen=True)
class AgentSpec:
    """The parts of an agent specification that concern fluxtools."""

    name: str | None
    tools: tuple[str, ...]
    """fluxtools tool names, in the order the spec lists them."""
    not_provided: tuple[str, ...]
    """Tools the spec lists that fluxtools does not provide (e.g. kubectl): another toolkit's job."""
    flux: dict[str, Any] = field(default_factory=dict)
    """The `config: flux:` settings."""


def load_agent_spec(source: str | os.PathLike[str] | Mapping[str, Any]) -> AgentSpec:
    """Read an agent spec (`spec: {tools: [...], config: {flux: {...}}}`) from a path, YAML text or a mapping.

    Names starting with `flux_` must be fluxtools tools (a typo is an error); other names are
    collected in `not_provided`. A `{type: flux}` entry stands for every fluxtools tool.
    """
    document = _document(source)
    spec = document.get("spec", document)
    if not isinstance(spec, Mapping):
        raise ConfigError("Invalid agent spec: 'spec' must be a mapping")
    entries = spec.get("tools")
    if not isinstance(entries, list) or not entries:
        raise ConfigError("Invalid agent spec: 'tools' must be a non-empty list of tool names")
    tools: list[str] = []
    others: list[str] = []
    for entry in entries:
        if isinstance(entry, Mapping) and entry.get("type") == "flux":
            tools += list(REGISTRY)
        elif isinstance(entry, Mapping):
            others.append(str(entry.get("name") or entry.get("type") or entry))
        elif isinstance(entry, str) and entry.startswith("flux_"):
            tools.append(entry)
        else:
            others.append(str(entry))
    unknown = [name for name in tools if name not in REGISTRY]
    if unknown:
        raise unknown_tools(unknown)
    name = spec.get("name")
    return AgentSpec(
        name=str(name) if name else None,
        tools=tuple(dict.fromkeys(tools)),
        not_provided=tuple(dict.fromkeys(others)),
        flux=flux_block(dict(document)),
    )


def _document(source: str | os.PathLike[str] | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(source, Mapping):
        return source
    if isinstance(source, str) and "\n" in source:
        text, where = source, "the agent spec text"
    else:
        path = Path(source)
        text, where = read_text(path, "agent spec"), str(path)
    document = parse_yaml(text, where)
    if not isinstance(document, Mapping):
        raise ConfigError(f"Invalid agent spec: {where} must hold a mapping")
    return document
