"""LangChain tools generated from the fluxtools spec table: one `StructuredTool` class per spec.

Each tool validates with the spec's pydantic model, runs through `FluxTools` (sync `func`,
async `coroutine`) and answers `(content, artifact)`: compact JSON of the envelope for the
model, the envelope itself as the artifact. A failure envelope is raised as `FluxToolError`
(a `ToolException`), which `handle_tool_error` turns into an error `ToolMessage`, so the
model reads what went wrong and the run goes on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

from langchain_core.tools import StructuredTool, ToolException
from langchain_core.tools.base import ArgsSchema
from pydantic import Field, PrivateAttr

from fluxtools import ALL_SPECS, FluxConfig, FluxTools, InternalError, Runner, ToolSpec, get_spec, mask_text
from fluxtools.integration import (
    EnvelopeError,
    content,
    description,
    executor_for,
    split_kwargs,
    validation_envelope,
)
from fluxtools.integration import tool_call_id as traced_call_id

Envelope = dict[str, Any]
Answer = tuple[str, Envelope]

__all__ = ["TOOL_CLASSES", "FluxTool", "FluxToolError", "flux_tool", "tool_class"]


class FluxToolError(EnvelopeError, ToolException):
    """A fluxtools call that ended in a failure envelope; `str()` is what the model reads."""


def error_content(error: ToolException) -> str:
    """`handle_tool_error`: the failure envelope as compact JSON (any other ToolException wrapped alike)."""
    if isinstance(error, FluxToolError):
        return content(error.envelope)
    return content(InternalError(mask_text(str(error))).to_envelope())


def validation_content(spec: ToolSpec) -> Callable[[Any], str]:
    """`handle_validation_error`: the core's InvalidInput message, naming the field and what is allowed."""

    def handle(error: Any) -> str:
        return content(validation_envelope(spec, error))

    return handle


def runners(flux: FluxTools, spec: ToolSpec) -> tuple[Callable[..., Answer], Callable[..., Awaitable[Answer]]]:
    """The sync `func` and async `coroutine` of one tool."""

    def answer(envelope: Envelope) -> Answer:
        if not envelope.get("success"):
            raise FluxToolError(envelope)
        return content(envelope), envelope

    def run(**arguments: Any) -> Answer:
        return answer(flux.call(spec.name, arguments))

    async def arun(**arguments: Any) -> Answer:
        return answer(await flux.acall(spec.name, arguments))

    run.__name__, arun.__name__ = spec.name, f"a{spec.name}"
    return run, arun


class FluxTool(StructuredTool):
    """A fluxtools tool as a LangChain `StructuredTool`.

    Subclasses fix the spec (`FluxKustomizationListTool()` …); the base takes it by name:
    `FluxTool(spec="flux_logs", cluster="demo")`. Keyword arguments that are `FluxConfig`
    settings configure the executor; the others go to `StructuredTool`.
    """

    spec: ClassVar[ToolSpec | None] = None
    flux: FluxTools = Field(exclude=True, repr=False)
    """The executor the tool calls (shared by every tool of a toolkit)."""
    _tool_spec: ToolSpec = PrivateAttr()

    def __init__(
        self,
        config: FluxConfig | None = None,
        *,
        spec: ToolSpec | str | None = None,
        flux: FluxTools | None = None,
        runner: Runner | None = None,
        **kwargs: Any,
    ) -> None:
        chosen = get_spec(spec) if isinstance(spec, str) else spec or type(self).spec
        if chosen is None:
            raise TypeError("FluxTool needs a spec: FluxTool(spec='flux_logs') or a generated subclass")
        settings, tool_kwargs = split_kwargs(kwargs)
        flux = executor_for(config, runner, flux, settings)
        func, coroutine = runners(flux, chosen)
        options: dict[str, Any] = {
            "name": chosen.name,
            "description": description(chosen),
            "response_format": "content_and_artifact",
            "handle_tool_error": error_content,
            "handle_validation_error": validation_content(chosen),
            "metadata": {
                "mutating": chosen.mutating,
                "idempotent": chosen.idempotent,
                "operation": chosen.operation.value,
            },
            **tool_kwargs,
        }
        super().__init__(args_schema=chosen.args_model, func=func, coroutine=coroutine, flux=flux, **options)
        self._tool_spec = chosen

    def run(self, tool_input: Any, *args: Any, tool_call_id: str | None = None, **kwargs: Any) -> Any:
        """`BaseTool.run`, with the model's tool call id on the call's trace span."""
        with traced_call_id(tool_call_id):
            return super().run(tool_input, *args, tool_call_id=tool_call_id, **kwargs)

    async def arun(self, tool_input: Any, *args: Any, tool_call_id: str | None = None, **kwargs: Any) -> Any:
        """`BaseTool.arun`, with the model's tool call id on the call's trace span."""
        with traced_call_id(tool_call_id):
            return await super().arun(tool_input, *args, tool_call_id=tool_call_id, **kwargs)

    @property
    def tool_call_schema(self) -> ArgsSchema:
        """What the model sees: the spec's own JSON schema (no titles, no null unions, defaults kept).

        LangChain would otherwise rebuild a subset model from the fields and lose those refinements.
        """
        return {**self.tool_spec.json_schema(), "description": self.description}

    @property
    def tool_spec(self) -> ToolSpec:
        """The fluxtools spec this tool was generated from."""
        return self._tool_spec

    @property
    def flux_config(self) -> FluxConfig:
        """The configuration the tool's executor runs with."""
        return self.flux.config


WORDS = {"helmrelease": "HelmRelease"}


def class_name(tool_name: str) -> str:
    """`flux_helmrelease_get` → `FluxHelmReleaseGetTool`."""
    return "".join(WORDS.get(word, word.capitalize()) for word in tool_name.split("_")) + "Tool"


def _generate(spec: ToolSpec) -> type[FluxTool]:
    namespace = {
        "spec": spec,
        "__module__": __name__,
        "__qualname__": class_name(spec.name),
        "__doc__": f"LangChain tool `{spec.name}`: {spec.description}",
    }
    return type(class_name(spec.name), (FluxTool,), namespace)


TOOL_CLASSES: dict[str, type[FluxTool]] = {spec.name: _generate(spec) for spec in ALL_SPECS}
"""Tool name → generated class, e.g. `TOOL_CLASSES["flux_logs"] is FluxLogsTool`."""
globals().update({cls.__name__: cls for cls in TOOL_CLASSES.values()})
__all__ += [cls.__name__ for cls in TOOL_CLASSES.values()]


def tool_class(name: str) -> type[FluxTool]:
    """The generated class of a tool name; UnknownTool for a name fluxtools does not have."""
    return TOOL_CLASSES[get_spec(name).name]


def flux_tool(tool: str, /, config: FluxConfig | None = None, **kwargs: Any) -> FluxTool:
    """Factory: one configured tool, e.g. `flux_tool("flux_logs", cluster="demo")`."""
    return tool_class(tool)(config, **kwargs)
