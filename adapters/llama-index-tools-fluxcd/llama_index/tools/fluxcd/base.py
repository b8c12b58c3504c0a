"""`FluxToolSpec`: the fluxtools tools as a LlamaIndex tool spec, generated from the spec table.

For each spec the class has a sync method named like the tool (`flux_logs`) and an async
one prefixed with `a` (`aflux_logs`). They return the success envelope and raise
`FluxToolError` with the failure envelope as its message: LlamaIndex does not validate
arguments, fluxtools does, and its errors name the field and what is allowed.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any

from llama_index.core.tools import FunctionTool, ToolMetadata
from llama_index.core.tools.tool_spec.base import SPEC_FUNCTION_TYPE, BaseToolSpec

from fluxtools import ALL_SPECS, FluxConfig, FluxTools, Runner, ToolSpec, get_spec
from fluxtools.integration import (
    INSTRUCTIONS,
    EnvelopeError,
    content,
    description,
    executor_for,
    from_agent_spec,
    select_specs,
)

ASYNC_PREFIX = "a"
Envelope = dict[str, Any]


class FluxToolError(EnvelopeError, RuntimeError):
    """A fluxtools call that ended in a failure envelope; `str()` is that envelope as compact JSON."""


def spec_functions_for(specs: Sequence[ToolSpec]) -> list[SPEC_FUNCTION_TYPE]:
    """`(sync method, async method)` names for each spec."""
    return [(spec.name, ASYNC_PREFIX + spec.name) for spec in specs]


class FluxToolSpec(BaseToolSpec):
    """Flux CD tools for LlamaIndex agents, all calling one configured `FluxTools` executor.

    ```python
    tools = FluxToolSpec(kubeconfig="~/.kube/config", context="production").to_tool_list()
    agent = FunctionAgent(tools=tools, llm=llm)
    ```
    """

    spec_functions: list[SPEC_FUNCTION_TYPE] = spec_functions_for(ALL_SPECS)

    def __init__(
        self,
        config: FluxConfig | None = None,
        selected_tools: Sequence[str] | None = None,
        *,
        runner: Runner | None = None,
        flux: FluxTools | None = None,
        not_provided: Sequence[str] = (),
        **config_kwargs: Any,
    ) -> None:
        flux = executor_for(config, runner, flux, config_kwargs)
        self.flux = flux
        self.not_provided = list(not_provided)
        """Tools an agent spec listed that fluxtools does not provide (e.g. kubectl)."""
        self.spec_functions = spec_functions_for(select_specs(flux, selected_tools))

    @classmethod
    def from_agent_spec(
        cls,
        source: str | os.PathLike[str] | Mapping[str, Any],
        config: FluxConfig | None = None,
        *,
        runner: Runner | None = None,
        **config_kwargs: Any,
    ) -> FluxToolSpec:
        """The tools an agent spec lists (`spec.tools`), configured from its `config: flux:` block.

        Keyword settings override the block (e.g. `cluster="demo"`); a `config` replaces it. A
        `flux_*` name fluxtools does not know is an error; other names (e.g. `kubectl`) are not
        provided here: they are kept in `not_provided` and a warning names them.
        """
        spec, flux = from_agent_spec(source, config, runner, config_kwargs, "tool spec")
        return cls(selected_tools=spec.tools, flux=flux, not_provided=spec.not_provided)

    @property
    def instructions(self) -> str:
        """For the agent's system prompt: the result envelope and the parameters several tools share."""
        return INSTRUCTIONS

    # metadata ------------------------------------------------------------------------
    def get_fn_schema_from_fn_name(self, fn_name: str, spec_functions: Any = None) -> type[Any] | None:
        return _spec_of(fn_name).args_model

    def get_metadata_from_fn_name(self, fn_name: str, spec_functions: Any = None) -> ToolMetadata | None:
        spec = _spec_of(fn_name)
        return ToolMetadata(name=spec.name, description=description(spec), fn_schema=spec.args_model)

    def to_tool_list(
        self,
        spec_functions: list[SPEC_FUNCTION_TYPE] | None = None,
        func_to_metadata_mapping: dict[str, ToolMetadata] | None = None,
    ) -> list[FunctionTool]:
        """One `FunctionTool` per spec function: `fn` and `async_fn`, `fn_schema` = the spec's model.

        The tool's content is the envelope as compact JSON; its `raw_output` is the envelope.
        A string entry gives a tool with only that (sync or async) function.
        """
        mapping = func_to_metadata_mapping or {}
        tools = []
        for entry in spec_functions or self.spec_functions:
            names = (entry,) if isinstance(entry, str) else tuple(entry)
            functions = [getattr(self, name) for name in names]
            sync = next((fn for fn in functions if not _is_async(fn)), None)
            asynchronous = next((fn for fn in functions if _is_async(fn)), None)
            metadata = next((mapping[name] for name in names if name in mapping), None)
            tools.append(
                FunctionTool.from_defaults(
                    fn=sync,
                    async_fn=asynchronous,
                    tool_metadata=metadata or self.get_metadata_from_fn_name(names[0]),
                    callback=content,
                    async_callback=_async_content,
                )
            )
        return tools

    # calls ---------------------------------------------------------------------------
    def _finish(self, envelope: Envelope) -> Envelope:
        if not envelope.get("success"):
            raise FluxToolError(envelope)
        return envelope


def _spec_of(fn_name: str) -> ToolSpec:
    if fn_name.startswith(ASYNC_PREFIX + "flux_"):
        fn_name = fn_name[len(ASYNC_PREFIX) :]
    return get_spec(fn_name)


def _is_async(function: Callable[..., Any]) -> bool:
    return inspect.iscoroutinefunction(function)


async def _async_content(envelope: Mapping[str, Any]) -> str:
    return content(envelope)


def _methods(spec: ToolSpec) -> tuple[Callable[..., Envelope], Callable[..., Coroutine[Any, Any, Envelope]]]:
    def call(self: FluxToolSpec, **arguments: Any) -> Envelope:
        return self._finish(self.flux.call(spec.name, arguments))

    async def acall(self: FluxToolSpec, **arguments: Any) -> Envelope:
        return self._finish(await self.flux.acall(spec.name, arguments))

    for method, name in ((call, spec.name), (acall, ASYNC_PREFIX + spec.name)):
        method.__name__, method.__qualname__ = name, f"FluxToolSpec.{name}"
        method.__doc__ = spec.description
    return call, acall


for _spec in ALL_SPECS:
    _call, _acall = _methods(_spec)
    setattr(FluxToolSpec, _call.__name__, _call)
    setattr(FluxToolSpec, _acall.__name__, _acall)
del _spec, _call, _acall
