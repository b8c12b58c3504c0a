"""A call's arguments validated against the schema its tool publishes; one clear `InvalidInput` otherwise."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from fluxtools._errors import InvalidInput
from fluxtools._suggestions import closest
from fluxtools.specs import ToolArgs, ToolSpec


def validate(spec: ToolSpec, args: Mapping[str, Any] | None) -> ToolArgs:
    """`args` as `spec.args_model`; InvalidInput naming what is wrong."""
    if args is not None and not isinstance(args, Mapping):
        raise InvalidInput(f"Arguments for {spec.name} must be a JSON object", field="arguments")
    try:
        return spec.args_model.model_validate(dict(args or {}))
    except ValidationError as exc:
        raise invalid_input(spec, exc) from None


def invalid_input(spec: ToolSpec, exc: ValidationError) -> InvalidInput:
    """One clear InvalidInput naming the field, what was wrong, what is allowed and the closest allowed value."""
    problems = []
    fields = []
    properties = spec.json_schema()["properties"]
    allowed = ", ".join(properties)
    for err in exc.errors():
        field = ".".join(str(part) for part in err["loc"]) or (err.get("ctx") or {}).get("field") or "arguments"
        fields.append(field)
        if err["type"] == "extra_forbidden":
            guess = closest(field, properties)
            near = f"did you mean '{guess}'? " if guess else ""
            problems.append(f"unknown parameter '{field}' ({near}allowed: {allowed})")
        elif err["type"] == "missing":
            problems.append(f"'{field}' is required")
        else:
            message = err["msg"].removeprefix("Value error, ")
            problem = f"'{field}' {message}" if message[:1].islower() else f"'{field}': {message}"
            choices = properties.get(str(err["loc"][0]) if err["loc"] else "", {}).get("enum")
            guess = closest(err.get("input"), choices) if choices and err["type"] in ("literal_error", "enum") else None
            problems.append(f"{problem} (did you mean '{guess}'?)" if guess else problem)
    return InvalidInput(
        f"Invalid arguments for {spec.name}: " + "; ".join(problems),
        hint=f"Parameters of {spec.name}: {allowed}",
        field=fields[0] if fields else None,
    )
