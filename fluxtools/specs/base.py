"""`ToolSpec`, the one declarative description of a tool, and its argument base model."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..call import Call
from ..classify import Target
from ..runners import CommandResult


class Operation(str, Enum):
    """Operation class: decides the default timeout."""

    LIST = "list"
    GET = "get"
    RECONCILE = "reconcile"
    LOGS = "logs"
    SUSPEND = "suspend"
    RESUME = "resume"


DEFAULT_NS_SCHEMA = {"default": "flux-system"}
"""Schema default for namespace arguments that fall back to the configured namespace."""

TIMEOUTS: dict[Operation, float] = {
    Operation.LIST: 30.0,
    Operation.GET: 30.0,
    Operation.RECONCILE: 120.0,
    Operation.LOGS: 30.0,
    Operation.SUSPEND: 30.0,
    Operation.RESUME: 30.0,
}


def _tool_schema(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Shape the JSON Schema as tool schemas are written: no titles, no null unions.

    A tool's own parameters come first, then those shared through base classes.
    """
    schema.pop("title", None)
    own = [name for name in model.__annotations__ if name in schema.get("properties", {})]
    aliases = {name: (field.alias or name) for name, field in model.model_fields.items()}
    order = [aliases.get(name, name) for name in own]
    props = schema.get("properties", {})
    schema["properties"] = {key: props[key] for key in order + [k for k in props if k not in order]}
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)
        variants = prop.get("anyOf")
        if variants and {"type": "null"} in variants:
            rest = [variant for variant in variants if variant != {"type": "null"}]
            if len(rest) == 1:
                prop.pop("anyOf")
                prop.update(rest[0])
            if prop.get("default", 0) is None:
                prop.pop("default")
    schema.setdefault("required", [])


class ToolArgs(BaseModel):
    """Base of every tool's arguments: unknown parameters are rejected."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_tool_schema, frozen=True, populate_by_name=True)


class BudgetArgs(ToolArgs):
    max_bytes: int | None = Field(
        None, ge=1024, le=1_048_576, description="Largest answer in bytes (default: the configured budget, 16384)"
    )


class ReadArgs(BudgetArgs):
    fresh: bool = Field(False, description="Bypass the short-lived result cache and read the cluster now")


class ListArgs(ReadArgs):
    status: Literal["ready", "not_ready", "suspended"] | None = Field(None, description="Only objects in this state")
    name_contains: str | None = Field(
        None, max_length=253, pattern=r"^[a-z0-9.-]+$", description="Only objects whose name contains this text"
    )
    limit: int | None = Field(None, ge=1, le=1000, description="Most items to return (page size)")
    continue_: str | None = Field(
        None, alias="continue", pattern=r"^[0-9]{1,7}$", description="The 'continue' value of the previous page"
    )


Argv = Callable[[Call, Any], list[str]]
Parser = Callable[[CommandResult, Any, Call], dict[str, Any]]
Workflow = Callable[[Call, Any], Awaitable[dict[str, Any]]]
Targeter = Callable[[Any, Call], Target]
Referencer = Callable[[Call, Any], Awaitable[list[str]]]
"""The objects (`Kind/namespace/name`) a call will act on beyond the one it names."""


@dataclass(frozen=True)
class ToolSpec:
    """One tool: what the model sees, how it runs, and what it may change.

    Single-command tools give `build_argv` and `parse`; tools that need several
    commands (reconcile with a verdict, suspend with an existence check) give a
    `workflow` instead.
    """

    name: str
    description: str
    args_model: type[ToolArgs]
    operation: Operation
    mutating: bool
    idempotent: bool
    target: Targeter
    build_argv: Argv | None = None
    parse: Parser | None = None
    workflow: Workflow | None = None
    namespace_field: str | None = "namespace"
    """The argument naming the namespace the call acts in (None: not a tenant namespace)."""
    spans_namespaces: bool = False
    """Without a namespace the call reads every namespace (under tenancy: each allowed one)."""
    flux_namespace_field: str | None = None
    """The argument naming the Flux controllers' namespace (under tenancy: only the configured one)."""
    references: Referencer | None = None
    """Under tenancy, what the call reaches through references is checked against the allowed namespaces."""
    rate_limited: bool = False

    def __post_init__(self) -> None:
        if self.workflow is None and (self.build_argv is None or self.parse is None):
            raise ValueError(f"{self.name}: give build_argv and parse, or a workflow")

    @classmethod
    def read(cls, name: str, description: str, args_model: type[ToolArgs], **behaviour: Any) -> ToolSpec:
        """A tool that only reads: not mutating, safe to retry."""
        return cls(
            name=name, description=description, args_model=args_model, mutating=False, idempotent=True, **behaviour
        )

    @property
    def default_timeout(self) -> float:
        return TIMEOUTS[self.operation]

    def json_schema(self) -> dict[str, Any]:
        return self.args_model.model_json_schema()

    async def execute(self, call: Call, args: ToolArgs) -> dict[str, Any]:
        if self.workflow is not None:
            return await self.workflow(call, args)
        assert self.build_argv is not None and self.parse is not None
        result = await call.run(self.build_argv(call, args), self.target(args, call))
        return self.parse(result, args, call)
