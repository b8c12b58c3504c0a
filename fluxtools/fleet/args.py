"""The arguments a fleet-capable tool adds: `contexts` or `all_contexts`."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from fluxtools.fleet.names import check_context
from fluxtools.specs.base import ToolArgs

ContextName = Annotated[str, AfterValidator(check_context)]


class FleetArgs(ToolArgs):
    contexts: list[ContextName] | None = Field(
        None,
        min_length=1,
        max_length=500,
        description="kubeconfig contexts to read at once (each on the allow-list fleet_contexts), one answer",
    )
    all_contexts: bool = Field(False, description="Every kubeconfig context on the allow-list (fleet_contexts)")
