"""What every framework adapter shares: tool selection, agent specs, configuration and content."""

from __future__ import annotations

import difflib
import importlib
import json
import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .config import ConfigError, FluxConfig, flux_block
from .errors import UnknownTool
from .executor import FluxTools
from .runners import Runner
from .specs import REGISTRY, ToolSpec

MAX_DESCRIPTION = 1024
"""Longest tool description the model providers accept."""


def content(envelope: Mapping[str, Any]) -> str:
    """The envelope as compact JSON: what the model reads (the core already fit it to the output budget)."""
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False, default=str)


def description(spec: ToolSpec) -> str:
    """The spec's description, cut at a sentence if a provider's limit would refuse it."""
    text = spec.description
    if len(text) <= MAX_DESCRIPTION:
        return text
    cut = text[: MAX_DESCRIPTION - 1]
    return cut[: cut.rfind(". ") + 1] or cut


def make_flux(
    config: FluxConfig | None = None,
    runner: Runner | None = None,
    overrides: Mapping[str, Any] | None = None,
    settings: Mapping[str, Any] | None = None,
) -> FluxTools:
    """One executor: `settings` (e.g. an agent spec's flux block) < environment-backed config < `overrides`."""
    overrides = {key: value for key, value in (overrides or {}).items() if value is not None}
    if config is None:
        config = FluxConfig.load(**{**(settings or {}), **overrides})
        overrides = {}
    return FluxTools(config, runner=runner, **overrides)


def lazy_exports(
    package: str,
    namespace: dict[str, Any],
    exports: Mapping[str, str],
    fallback: Callable[[str], str | None] = lambda name: None,
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A package's `__getattr__` and `__dir__` that import each exported name from its module on first use."""

    def getattr_(name: str) -> Any:
        module = exports.get(name) or fallback(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module}", package), name)
        namespace[name] = value
        return value

    def dir_() -> list[str]:
        return sorted({*namespace, *exports})

    return getattr_, dir_


def executor_for(
    config: FluxConfig | None, runner: Runner | None, flux: FluxTools | None, settings: Mapping[str, Any]
) -> FluxTools:
    """The executor an adapter object uses: the one given, or one built from the configuration."""
    if flux is None:
        return make_flux(config, runner, settings)
    if config is not None or runner is not None or settings:
        raise TypeError("pass either flux= or configuration (config, runner, settings), not both")
    return flux


def from_agent_spec(
    source: str | os.PathLike[str] | Mapping[str, Any],
    config: FluxConfig | None,
    runner: Runner | None,
    settings: Mapping[str, Any],
    offered_by: str,
) -> tuple[AgentSpec, FluxTools]:
    """An agent spec's tools and an executor from its `config: flux:` block (overridden by `settings`).

    Tools the spec lists that fluxtools does not provide are named in a warning.
    """
    spec = load_agent_spec(source)
    if spec.not_provided:
        warnings.warn(
            f"Agent spec {spec.name or ''} lists tools this {offered_by} does not provide: "
            f"{', '.join(spec.not_provided)}; add them from another {offered_by}",
            UserWarning,
            stacklevel=3,
        )
    return spec, make_flux(config, runner, settings, settings=None if config is not None else spec.flux)


class EnvelopeError(Exception):
    """A call that ended in a failure envelope; `str()` is that envelope as compact JSON."""

    def __init__(self, envelope: Mapping[str, Any]) -> None:
        self.envelope: dict[str, Any] = dict(envelope)
        super().__init__(content(self.envelope))

    @property
    def error_type(self) -> str:
        return str(self.envelope.get("error_type", "FluxError"))


def split_kwargs(kwargs: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(FluxConfig settings, everything else) from one set of keyword arguments."""
    settings = {key: value for key, value in kwargs.items() if key in FluxConfig.model_fields}
    return settings, {key: value for key, value in kwargs.items() if key not in settings}


def select_specs(flux: FluxTools, names: Sequence[str] | None = None) -> list[ToolSpec]:
    """The specs for `names` (all offered ones when None), in the given order; a clear error otherwise."""
    offered = {spec.name: spec for spec in flux.specs()}
    if names is None:
        return list(offered.values())
    if isinstance(names, str):
        raise TypeError("selected tools must be a list of tool names, not a string")
    unknown = [name for name in names if name not in REGISTRY]
    if unknown:
        raise unknown_tools(unknown)
    refused = [name for name in names if name not in offered]
    if refused:
        raise ConfigError(
            f"{', '.join(refused)} change{'s' if len(refused) == 1 else ''} the cluster and the configuration is "
            "read_only",
            hint="Remove the mutating tools from the selection, or turn read_only off.",
        )
    return [offered[name] for name in dict.fromkeys(names)]


def unknown_tools(names: Sequence[str]) -> UnknownTool:
    guesses = []
    for name in names:
        match = difflib.get_close_matches(name, REGISTRY, n=1)
        guesses.append(f"'{name}' (did you mean {match[0]}?)" if match else f"'{name}'")
    return UnknownTool(
        f"Unknown fluxtools tool{'s' if len(names) > 1 else ''}: {', '.join(guesses)}",
        hint="fluxtools provides: " + ", ".join(REGISTRY),
    )


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
        try:
            text, where = path.read_text(encoding="utf-8"), str(path)
        except OSError as exc:
            raise ConfigError(f"Cannot read agent spec {path}: {exc.strerror}") from None
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where} is not valid YAML: {exc}") from None
    if not isinstance(document, Mapping):
        raise ConfigError(f"Invalid agent spec: {where} must hold a mapping")
    return document
