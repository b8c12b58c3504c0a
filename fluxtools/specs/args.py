"""The argument models tools build on, and the schema shape every tool's arguments share."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, model_validator

from fluxtools.specs.forms import Naming, understood

CONFIGURED_NAMESPACE = {"default": "flux-system"}
"""Schema extra of a namespace argument that defaults to the configured namespace.

The pipeline fills such an argument before the tool runs (`policy.resolve`), so tools read it as given.
"""


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
    """Base of every tool's arguments: the forms models write are understood, unknown parameters rejected."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_tool_schema, frozen=True, populate_by_name=True)
    naming: ClassVar[Naming] = Naming()
    """What the `name` argument names (for `namespace/name` and `Kind/namespace/name`)."""

    @model_validator(mode="before")
    @classmethod
    def _understood(cls, data: Any) -> Any:
        return understood(cls, cls.naming, data)


def configured_namespace(description: str = "Kubernetes namespace") -> Any:
    """A namespace argument that defaults to the configured namespace (filled in before the tool runs)."""
    return Field(None, description=description, json_schema_extra=CONFIGURED_NAMESPACE)


@cache
def configured_namespace_fields(model: type[ToolArgs]) -> tuple[str, ...]:
    """The arguments of `model` that default to the configured namespace."""
    return tuple(name for name, field in model.model_fields.items() if field.json_schema_extra is CONFIGURED_NAMESPACE)


SHARED_PARAMETERS = (
    "Parameters several tools share, described once here: max_bytes (1024-1048576) is the largest answer in bytes "
    "(default: the configured budget, 16384, or less where a tool says so; a cut answer says how to narrow it); "
    "fresh=true reads the cluster now instead of the short-lived result cache. Lists filter with status (ready, "
    "not_ready, suspended) and name_contains (text in the name), and page with limit (items per page, 1-1000) and "
    "continue (the 'continue' value of the previous answer). names and namespaces are Kubernetes names; a namespace "
    "left out is the configured one (lists: all namespaces); a name may be written namespace/name or "
    "Kind/namespace/name."
)
"""What the shared parameters mean: in the MCP server's instructions and the adapters' `instructions`,
instead of in every tool's schema (where they carry only their type and allowed values)."""


def _plain(kind: str) -> WithJsonSchema:
    """The schema of a shared parameter: its type only (its meaning and range are in SHARED_PARAMETERS)."""
    return WithJsonSchema({"type": kind})


MaxBytes = Annotated[int | None, _plain("integer"), Field(ge=1024, le=1_048_576)]
NameContains = Annotated[str | None, _plain("string"), Field(max_length=253, pattern=r"^[a-z0-9.-]+$")]
Limit = Annotated[int | None, _plain("integer"), Field(ge=1, le=1000)]
Continue = Annotated[str | None, _plain("string"), Field(pattern=r"^[0-9]{1,7}$")]


class BudgetArgs(ToolArgs):
    max_bytes: MaxBytes = None


class ReadArgs(BudgetArgs):
    fresh: bool = False


class ListArgs(ReadArgs):
    """A list the pipeline filters and pages (by the tool's `list_key`)."""

    status: Literal["ready", "not_ready", "suspended"] | None = None
    name_contains: NameContains = None
    limit: Limit = None
    continue_: Continue = Field(None, alias="continue")
