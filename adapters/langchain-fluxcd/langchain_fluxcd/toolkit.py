"""`FluxToolkit`: the fluxtools tools for a LangChain agent, sharing one configured executor."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.tools import BaseTool, BaseToolkit
from pydantic import ConfigDict, Field

from fluxtools import FluxConfig, FluxTools, Runner
from fluxtools.integration import INSTRUCTIONS, executor_for, from_agent_spec, select_specs

from .tools import tool_class


class FluxToolkit(BaseToolkit):
    """Every fluxtools tool the configuration offers (read_only drops the mutating ones), or a selection.

    ```python
    toolkit = FluxToolkit(kubeconfig="~/.kube/config", context="production")
    agent = create_agent(model, toolkit.get_tools())
    ```
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    flux: FluxTools = Field(exclude=True, repr=False)
    selected_tools: list[str] | None = None
    """Tool names to offer, in this order (None: all)."""
    not_provided: list[str] = Field(default_factory=list)
    """Tools an agent spec listed that fluxtools does not provide (e.g. kubectl)."""

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
        names = None if selected_tools is None else [spec.name for spec in select_specs(flux, selected_tools)]
        super().__init__(flux=flux, selected_tools=names, not_provided=list(not_provided))

    @property
    def instructions(self) -> str:
        """For the agent's system prompt: the result envelope and the parameters several tools share."""
        return INSTRUCTIONS

    def get_tools(self) -> list[BaseTool]:
        """One `StructuredTool` per selected spec, all calling this toolkit's executor."""
        return [tool_class(spec.name)(flux=self.flux) for spec in select_specs(self.flux, self.selected_tools)]

    @classmethod
    def from_agent_spec(
        cls,
        source: str | os.PathLike[str] | Mapping[str, Any],
        config: FluxConfig | None = None,
        *,
        runner: Runner | None = None,
        **config_kwargs: Any,
    ) -> FluxToolkit:
        """The tools an agent spec lists (`spec.tools`), configured from its `config: flux:` block.

        Keyword settings override the block (e.g. `cluster="demo"`); a `config` replaces it. A
        `flux_*` name fluxtools does not know is an error; other names (e.g. `kubectl`) are not
        provided by this toolkit: they are kept in `not_provided` and a warning names them.
        """
        spec, flux = from_agent_spec(source, config, runner, config_kwargs, "toolkit")
        return cls(selected_tools=spec.tools, flux=flux, not_provided=spec.not_provided)
