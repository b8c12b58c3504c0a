"""The parameters the fleet adds to the tools it answers for (`contexts`, `all_contexts`), and back out.

Tools declare one cluster's arguments. The faces publish each tool the fleet can fold (`merge.FOLDS`)
with these parameters added; `FluxTools` validates a call against that schema, and the validated
arguments say whether the call is for the fleet.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any

from pydantic import Field

from fluxtools._errors import InvalidInput
from fluxtools._validation import ContextName
from fluxtools.fleet.merge import FOLDS
from fluxtools.specs import ToolArgs, ToolSpec


class FleetArgs(ToolArgs):
    contexts: list[ContextName] | None = Field(
        None,
        min_length=1,
        max_length=500,
        description="kubeconfig contexts to read at once (each on the allow-list fleet_contexts), one answer",
    )
    all_contexts: bool = Field(False, description="Every kubeconfig context on the allow-list (fleet_contexts)")


FLEET_PARAMETERS = frozenset(FleetArgs.model_fields)


def fleet_tools() -> list[str]:
    """The tools that answer for a fleet, in the spec table's order."""
    from fluxtools.specs import ALL_SPECS

    return [spec.name for spec in ALL_SPECS if spec.name in FOLDS]


@cache
def with_fleet_args(model: type[ToolArgs]) -> type[ToolArgs]:
    """`model` with `contexts` and `all_contexts`, which its schema lists after the tool's own parameters."""
    if issubclass(model, FleetArgs):
        return model
    tool_schema = model.model_config.get("json_schema_extra")

    def schema_extra(schema: dict[str, Any], _: type[ToolArgs]) -> None:
        if callable(tool_schema):
            tool_schema(schema, model)
        properties = schema.get("properties", {})
        schema["properties"] = {
            **{key: value for key, value in properties.items() if key not in FLEET_PARAMETERS},
            **{key: value for key, value in properties.items() if key in FLEET_PARAMETERS},
        }

    namespace = {
        "__module__": model.__module__,
        "__doc__": model.__doc__,
        "model_config": {"json_schema_extra": schema_extra},
    }
    return type(model.__name__, (model, FleetArgs), namespace)


def published(spec: ToolSpec) -> ToolSpec:
    """`spec` as the faces publish it: with the fleet's parameters when the fleet answers for it."""
    if spec.name not in FOLDS:
        return spec
    return dataclasses.replace(spec, args_model=with_fleet_args(spec.args_model))


def requested(args: ToolArgs) -> bool:
    """Whether validated arguments ask for the fleet's answer."""
    return isinstance(args, FleetArgs) and (args.contexts is not None or args.all_contexts)


def one_cluster(spec: ToolSpec, args: ToolArgs, leave_out: frozenset[str] = frozenset(), **update: Any) -> ToolArgs:
    """Validated arguments as the tool's own model: the fleet's parameters and `leave_out` left out,
    `update` applied."""
    if not isinstance(args, FleetArgs) and not leave_out and not update:
        return args
    given = args.model_dump(by_alias=True, exclude_unset=True, exclude=set(FLEET_PARAMETERS | leave_out))
    return spec.args_model.model_validate({**given, **update})


def refused(spec: ToolSpec, error: InvalidInput) -> InvalidInput:
    """A tool that answers for one cluster, given a fleet parameter: say which tools answer for a fleet."""
    if spec.name in FOLDS or error.field not in FLEET_PARAMETERS:
        return error
    return InvalidInput(
        f"{spec.name} answers for one cluster only: it takes no contexts or all_contexts",
        hint="Tools that answer for a fleet: " + ", ".join(fleet_tools()),
        field=error.field,
    )
