"""`McpToolset`: the tools one MCP server offers and how a call reaches `FluxTools`.

No SDK here: this is the part of the server that decides what is listed, which
kubeconfig context a call runs in, and what the result looks like.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fluxtools._config import FluxConfig
from fluxtools._entry import FluxTools
from fluxtools._errors import FluxError, InvalidInput, PolicyDenied
from fluxtools._masking import mask_value
from fluxtools._metrics import Metrics
from fluxtools._process.runners import Runner
from fluxtools.integration import acall, arguments_object, content
from fluxtools.mcp.catalog import CONTEXT_ARG, tool_definitions
from fluxtools.specs import ToolSpec

ENVELOPE_ALLOWANCE = 1024
"""Bytes the envelope may add around an answer the core has fitted to its budget."""


def allowed_contexts(default: str | None, extra: Sequence[str]) -> list[str]:
    """The allow-list: the configured context first, then the extra ones, without repeats."""
    if not extra:
        return []
    names = [default] if default else []
    return list(dict.fromkeys([*names, *extra]))


class McpToolset:
    """One `FluxTools` per allowed kubeconfig context, behind the spec table's tools."""

    def __init__(
        self,
        config: FluxConfig,
        *,
        contexts: Sequence[str] = (),
        runner: Runner | None = None,
        budget: int | None = None,
    ) -> None:
        self.contexts = allowed_contexts(config.context, contexts)
        if self.contexts and not config.fleet_contexts:  # fleet calls reach no context the server does not allow
            config = config.model_copy(update={"fleet_contexts": self.contexts})
        self.config = config
        self.budget = budget or config.output_budget_bytes
        self._runner = runner
        self._pool: dict[str | None, FluxTools] = {}
        self.metrics = Metrics()
        """What every context's calls did: one set of counters for the server."""
        self.default = self.tools_for(config.context)

    def tools_for(self, context: str | None) -> FluxTools:
        """The cached `FluxTools` running calls in `context`."""
        tools = self._pool.get(context)
        if tools is None:
            config = (
                self.config if context == self.config.context else self.config.model_copy(update={"context": context})
            )
            tools = self._pool[context] = FluxTools(config, runner=self._runner)
            tools.metrics = self.metrics
        return tools

    def specs(self) -> list[ToolSpec]:
        return self.default.specs()

    def definitions(self) -> list[dict[str, Any]]:
        """The `tools/list` entries, in MCP wire form."""
        return tool_definitions(self.specs(), self.contexts)

    def select(self, args: dict[str, Any]) -> FluxTools:
        """Take the per-call `context` out of `args` and return the tools for it."""
        if not self.contexts or CONTEXT_ARG not in args:
            return self.default
        context = args.pop(CONTEXT_ARG)
        if context is None:
            return self.default
        allowed = ", ".join(self.contexts)
        if not isinstance(context, str):
            raise InvalidInput(f"'{CONTEXT_ARG}' must be a string, one of: {allowed}", field=CONTEXT_ARG)
        if context not in self.contexts:
            raise PolicyDenied(
                f"Context '{context}' is not allowed on this server",
                hint=f"Allowed contexts: {allowed}. Omit '{CONTEXT_ARG}' for the default one.",
                field=CONTEXT_ARG,
            )
        return self.tools_for(context)

    async def call(self, name: str, arguments: Any) -> dict[str, Any]:
        """Run one tool call; always an envelope, whatever the request held."""
        try:
            args = arguments_object(name, arguments)
            flux = self.select(args)
        except FluxError as error:
            return mask_value(error.to_envelope())
        return await acall(flux, name, args)

    def text_limit(self, arguments: Mapping[str, Any] | None) -> int:
        """Most bytes of a call's text: its answer budget (per call `max_bytes`) plus the envelope."""
        requested = arguments.get("max_bytes") if isinstance(arguments, Mapping) else None
        valid = isinstance(requested, int) and not isinstance(requested, bool) and requested > 0
        return (requested if valid else self.budget) + ENVELOPE_ALLOWANCE

    def render(self, envelope: Mapping[str, Any], arguments: Mapping[str, Any] | None = None) -> str:
        """The compact text content of a result."""
        return content(envelope, self.text_limit(arguments))
