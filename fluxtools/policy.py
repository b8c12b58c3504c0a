"""Policy checked before anything runs: read-only mode and namespace enforcement."""

from __future__ import annotations

from typing import Any

from .config import FluxConfig
from .errors import PolicyDenied
from .specs import ToolArgs, ToolSpec


def check_read_only(spec: ToolSpec, config: FluxConfig) -> None:
    if spec.mutating and config.read_only:
        raise PolicyDenied(
            f"{spec.name} changes the cluster and fluxtools is in read-only mode",
            hint="Use the read tools, or turn read_only off in the configuration.",
        )


def scope(spec: ToolSpec, args: ToolArgs, config: FluxConfig) -> tuple[ToolArgs, tuple[str, ...] | None]:
    """Apply `enforce_namespace`: refuse other namespaces, fill in an allowed default.

    Returns the (possibly narrowed) arguments and the namespaces results must
    stay in (None when unrestricted).
    """
    check_read_only(spec, config)
    if not config.enforce_namespace:
        return args, None
    allowed = tuple(config.namespaces_allowed())
    listed = ", ".join(allowed)
    if spec.namespace_field is None:
        return args, allowed
    value = getattr(args, spec.namespace_field, None)
    if value is not None and value not in allowed:
        raise PolicyDenied(
            f"Namespace '{value}' is outside the allowed namespaces ({listed})",
            hint=f"This configuration keeps every call inside: {listed}.",
            field=spec.namespace_field,
        )
    if "all_namespaces" in args.model_fields_set and getattr(args, "all_namespaces", False) and value is None:
        raise PolicyDenied(
            f"all_namespaces is not allowed: calls are restricted to {listed}",
            hint="Leave all_namespaces unset (results are scoped to the allowed namespaces) or name one of them.",
            field="all_namespaces",
        )
    update: dict[str, Any] = {}
    if value is None:
        default = config.namespace if config.namespace in allowed else allowed[0]
        if "all_namespaces" in type(args).model_fields:
            if len(allowed) == 1:
                update = {"namespace": default, "all_namespaces": False}
        else:
            update = {spec.namespace_field: default}
    return (args.model_copy(update=update) if update else args), allowed
