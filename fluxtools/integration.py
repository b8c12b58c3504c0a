"""What every front end shares: LangChain, LlamaIndex, the MCP server and the command line.

Configuration (`load_config`, `make_flux`), tool selection (`select_specs`), agent specs
(`load_agent_spec`), calls that always end in an envelope (`call`, `acall`), the envelope as
text (`content`), argument errors (`arguments_from_json`, `validation_envelope`) and the framework's id of a
tool call for its trace span (`tool_call_id`).
"""

from __future__ import annotations

import importlib
import json
import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from fluxtools._agent_spec import AgentSpec, load_agent_spec
from fluxtools._arguments import invalid_input
from fluxtools._config import ConfigError, FluxConfig
from fluxtools._entry import FluxTools
from fluxtools._envelope import internal_error
from fluxtools._errors import InvalidInput
from fluxtools._masking import mask_text
from fluxtools._process.runners import Runner
from fluxtools._published import REGISTRY
from fluxtools._telemetry import tool_call_id
from fluxtools.specs import ToolSpec, unknown_tools
from fluxtools.specs.args import SHARED_PARAMETERS

INSTRUCTIONS = (
    "Flux CD tools. Every result is an envelope: {success: true, data} or "
    "{success: false, error, error_type, hint}; follow the hint. " + SHARED_PARAMETERS
)
"""What every tool shares, said once: the MCP server's instructions, and the adapters' `instructions`
for an agent's system prompt."""

MAX_DESCRIPTION = 1024
"""Longest tool description the model providers accept."""

Envelope = dict[str, Any]

# configuration ---------------------------------------------------------------------------------


def load_config(
    config_file: str | os.PathLike[str] | None = None,
    *,
    settings: Mapping[str, Any] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> FluxConfig:
    """The configuration of every front end, strongest last: environment, `config_file`, `settings`
    (e.g. an agent spec's flux block), `overrides` (keyword arguments, command-line flags).

    Overrides that are None or an empty tuple (a flag not given) are left out.
    """
    chosen = {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in (overrides or {}).items()
        if value is not None and value != ()
    }
    return FluxConfig.load(config_file, **{**(settings or {}), **chosen})


def make_flux(
    config: FluxConfig | None = None,
    runner: Runner | None = None,
    overrides: Mapping[str, Any] | None = None,
    settings: Mapping[str, Any] | None = None,
) -> FluxTools:
    """One executor: `config` with `overrides` applied, or one from `load_config(settings, overrides)`."""
    if config is None:
        return FluxTools(load_config(settings=settings, overrides=overrides), runner=runner)
    given = {key: value for key, value in (overrides or {}).items() if value is not None}
    return FluxTools(config, runner=runner, **given)


def executor_for(
    config: FluxConfig | None, runner: Runner | None, flux: FluxTools | None, settings: Mapping[str, Any]
) -> FluxTools:
    """The executor an adapter object uses: the one given, or one built from the configuration."""
    if flux is None:
        return make_flux(config, runner, settings)
    if config is not None or runner is not None or settings:
        raise TypeError("pass either flux= or configuration (config, runner, settings), not both")
    return flux


def split_kwargs(kwargs: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(FluxConfig settings, everything else) from one set of keyword arguments."""
    settings = {key: value for key, value in kwargs.items() if key in FluxConfig.model_fields}
    return settings, {key: value for key, value in kwargs.items() if key not in settings}


# tools -----------------------------------------------------------------------------------------


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
    outside = [
        name for name in names if name not in offered and not (flux.config.read_only and REGISTRY[name].mutating)
    ]
    if outside:
        raise ConfigError(
            f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'} not in the configured toolsets "
            f"({', '.join(flux.config.toolsets)})",
            hint="Remove those tools from the selection, or add their toolsets to toolsets in the configuration.",
        )
    refused = [name for name in names if name not in offered]
    if refused:
        raise ConfigError(
            f"{', '.join(refused)} change{'s' if len(refused) == 1 else ''} the cluster and the configuration is "
            "read_only",
            hint="Remove the mutating tools from the selection, or turn read_only off.",
        )
    return [offered[name] for name in dict.fromkeys(names)]


def description(spec: ToolSpec) -> str:
    """The spec's description, cut at a sentence if a provider's limit would refuse it."""
    text = spec.description
    if len(text) <= MAX_DESCRIPTION:
        return text
    cut = text[: MAX_DESCRIPTION - 1]
    return cut[: cut.rfind(". ") + 1] or cut


# calls and their text ---------------------------------------------------------------------------


async def acall(flux: FluxTools, name: str, arguments: Any) -> Envelope:
    """`flux.acall` for front ends with nothing above them (the MCP server, the command line): the approver's
    own exception is an envelope too. The adapters call `flux` itself: their frameworks use exceptions
    raised inside a tool call (an approver's LangGraph interrupt) for control flow.
    """
    return await flux.acall(name, arguments, approver_raises=False)


def call(flux: FluxTools, name: str, arguments: Any) -> Envelope:
    """`flux.call`, the approver's own exception an envelope too."""
    return flux.call(name, arguments, approver_raises=False)


def content(envelope: Mapping[str, Any], budget: int | None = None, *, indent: int | None = None) -> str:
    """The envelope as JSON text: compact for a model (`indent=None`), indented for a person.

    With `budget`, text longer than `budget` bytes is cut, with a note saying so.
    """
    separators = (",", ":") if indent is None else (",", ": ")
    text = json.dumps(envelope, indent=indent, separators=separators, ensure_ascii=False, default=str)
    encoded = text.encode()
    if budget is None or len(encoded) <= budget:
        return text
    note = (
        f" … [text cut at {budget} of {len(encoded)} bytes; the whole result is in the structured content;"
        " narrow the call (namespace, name, limit, filters) to see the rest]"
    )
    return encoded[: max(budget - len(note.encode()), 0)].decode(errors="ignore") + note


class EnvelopeError(Exception):
    """A call that ended in a failure envelope; `str()` is that envelope as compact JSON."""

    def __init__(self, envelope: Mapping[str, Any]) -> None:
        self.envelope: Envelope = dict(envelope)
        super().__init__(content(self.envelope))

    @property
    def error_type(self) -> str:
        return str(self.envelope.get("error_type", "FluxError"))


# argument errors -------------------------------------------------------------------------------


def arguments_object(name: str, arguments: Any) -> dict[str, Any]:
    """A call's arguments as a dict; InvalidInput unless they are a mapping (or absent)."""
    if arguments is not None and not isinstance(arguments, Mapping):
        raise InvalidInput(f"Arguments for {name} must be a JSON object", field="arguments")
    return dict(arguments or {})


def arguments_from_json(name: str, text: str) -> dict[str, Any]:
    """Arguments written as JSON text (the command line's `--args`)."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"Arguments for {name} are not valid JSON: {exc.msg} at position {exc.pos}") from None
    return arguments_object(name, value)


def validation_envelope(spec: ToolSpec, error: Any) -> Envelope:
    """The InvalidInput envelope for a framework's own validation failure of `spec`'s arguments."""
    if isinstance(error, ValidationError):
        return invalid_input(spec, error).to_envelope()
    return InvalidInput(mask_text(str(error))).to_envelope()


# agent specs (read by `agent_spec`) ------------------------------------------------------------


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
            f"{f'Agent spec {spec.name}' if spec.name else 'The agent spec'} lists tools this {offered_by} does not "
            "provide: "
            f"{', '.join(spec.not_provided)}; add them from another {offered_by}",
            UserWarning,
            stacklevel=3,
        )
    return spec, make_flux(config, runner, settings, settings=None if config is not None else spec.flux)


# packaging of the adapters ---------------------------------------------------------------------


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


__all__ = [
    "INSTRUCTIONS",
    "MAX_DESCRIPTION",
    "AgentSpec",
    "EnvelopeError",
    "acall",
    "arguments_from_json",
    "arguments_object",
    "call",
    "content",
    "description",
    "executor_for",
    "from_agent_spec",
    "internal_error",
    "lazy_exports",
    "load_agent_spec",
    "load_config",
    "make_flux",
    "select_specs",
    "split_kwargs",
    "tool_call_id",
    "validation_envelope",
]
