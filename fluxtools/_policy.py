"""Policy checked before anything runs: read-only mode, namespace enforcement and namespace defaults."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from fluxtools._config import FluxConfig
from fluxtools._errors import PolicyDenied
from fluxtools.specs import ToolArgs, ToolSpec
from fluxtools.specs.args import configured_namespace_fields


@dataclass(frozen=True)
class Scope:
    """A call's arguments with its namespaces resolved, once, before the tool runs."""

    given: ToolArgs
    """As the caller gave them (narrowed by tenancy): what approval and audit show."""
    args: ToolArgs
    """With every namespace default filled in: what the tool reads."""
    allowed: tuple[str, ...] | None
    """The namespaces results must stay in (enforce_namespace), or None."""
    namespaces: tuple[str | None, ...]
    """Where a call that may span namespaces reads: each namespace; None for all namespaces."""


def resolve(spec: ToolSpec, args: ToolArgs, config: FluxConfig) -> Scope:
    """Read-only mode, tenancy, then the configured namespace wherever an argument defaults to it."""
    given, allowed = scope(spec, args, config)
    resolved = fill_defaults(given, config, allowed)
    namespace = getattr(resolved, "namespace", None)
    namespaces: tuple[str | None, ...] = (namespace,) if namespace else (allowed or (None,))
    return Scope(given, resolved, allowed, namespaces)


def fill_defaults(args: ToolArgs, config: FluxConfig, allowed: tuple[str, ...] | None) -> ToolArgs:
    """The configured namespace for arguments that default to it, and for lists not asked for all namespaces."""
    update: dict[str, Any] = {
        name: config.namespace for name in configured_namespace_fields(type(args)) if getattr(args, name) is None
    }
    all_namespaces = getattr(args, "all_namespaces", True)
    if allowed is None and not all_namespaces and getattr(args, "namespace", None) is None:
        update["namespace"] = config.namespace
    return args.model_copy(update=update) if update else args


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
    if spec.flux_namespace_field is not None:
        return _flux_namespace(spec.flux_namespace_field, args, config), allowed
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
        has_all = "all_namespaces" in type(args).model_fields
        if has_all or spec.spans_namespaces:
            if len(allowed) == 1:  # several: the tool reads each allowed namespace
                update = {"namespace": default, **({"all_namespaces": False} if has_all else {})}
        else:
            update = {spec.namespace_field: default}
    return (args.model_copy(update=update) if update else args), allowed


def _flux_namespace(field: str, args: ToolArgs, config: FluxConfig) -> ToolArgs:
    """Under tenancy, a controllers' namespace argument may only name the configured Flux namespace."""
    value = getattr(args, field, None)
    if value is None:
        return args.model_copy(update={field: config.flux_namespace})
    if value != config.flux_namespace:
        raise PolicyDenied(
            f"Namespace '{value}' is not the Flux namespace ({config.flux_namespace})",
            hint=f"Under namespace enforcement the controllers are read only in '{config.flux_namespace}' "
            "(flux_namespace in the configuration).",
            field=field,
        )
    return args


def namespace_of(object_id: str) -> str | None:
    """The namespace of `Kind/namespace/name`; None for `Kind/name` (cluster-scoped) or other text."""
    parts = object_id.split("/")
    return parts[1] if len(parts) == 3 and parts[1] else None


def check_references(references: Iterable[str], allowed: tuple[str, ...]) -> None:
    """Refuse a call that would act on an object outside the allowed namespaces."""
    for reference in references:
        namespace = namespace_of(reference)
        if namespace is not None and namespace not in allowed:
            raise PolicyDenied(
                f"This call would also act on {reference}, outside the allowed namespaces ({', '.join(allowed)})",
                hint="Call it without the option that follows the reference (e.g. with_source), "
                "or ask an operator of that namespace.",
            )


OBJECT_KEYS = ("object", "resource")
"""Keys whose `Kind/namespace/name` value names the object an entry stands for."""


def _entry_namespace(entry: dict[str, Any]) -> str | None:
    namespace = entry.get("namespace")
    if isinstance(namespace, str) and namespace:
        return namespace
    for key in OBJECT_KEYS:
        value = entry.get(key)
        if isinstance(value, str) and namespace_of(value):
            return namespace_of(value)
    return None


def _dependency_namespace(reference: str) -> str | None:
    """The namespace of a `namespace/name` dependency."""
    namespace, slash, _ = reference.partition("/")
    return namespace if slash and namespace else None


ID_LISTS: dict[str, Callable[[str], str | None]] = {"objects": namespace_of, "depends_on": _dependency_namespace}
"""Lists of objects named by id strings, by key, and how each id names its namespace: `Kind/namespace/name`
(the objects of a cause, of what it blocks) and `namespace/name` (a Kustomization's dependencies)."""


def confine(data: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    """Drop every listed object outside the allowed namespaces, at any depth, and count what was dropped.

    An entry of a list stands for an object when it has a `namespace`, or an
    `object`/`resource` of the form `Kind/namespace/name` (tree nodes, trace
    chains, findings, events); an id string stands for one in the lists of
    `ID_LISTS`. Cluster-scoped entries stay.
    """
    dropped = 0

    def ids(key: str, value: list[Any]) -> list[Any]:
        nonlocal dropped
        namespace = ID_LISTS[key]
        kept = [item for item in value if not isinstance(item, str) or namespace(item) in (None, *allowed)]
        dropped += len(value) - len(kept)
        return kept

    def walk(value: Any) -> Any:
        nonlocal dropped
        if isinstance(value, dict):
            return {
                key: walk(ids(key, item) if key in ID_LISTS and isinstance(item, list) else item)
                for key, item in value.items()
            }
        if isinstance(value, list):
            kept = []
            for item in value:
                if isinstance(item, dict) and _entry_namespace(item) not in (None, *allowed):
                    dropped += 1
                    continue
                kept.append(walk(item))
            return kept
        return value

    confined = walk(data)
    if dropped:
        confined["outside_allowed_namespaces"] = dropped
    return confined
