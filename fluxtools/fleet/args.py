"""The arguments a fleet-capable tool adds: `contexts` or `all_contexts`."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from ..specs.base import ToolArgs
from .names import check_context

ContextName = Annotated[str, AfterValidator(check_context)]


class FleetArgs(ToolArgs):
    contexts: list[ContextName] | None = Field(
        None,
        min_length=1,
        max_length=500,
        description="Run in these kubeconfig contexts at once and answer for the fleet (on the allow-list "
        "fleet_contexts when one is configured)",
    )
    all_contexts: bool = Field(
        False, description="Run in every kubeconfig context on the allow-list fleet_contexts, one answer"
    )
