"""Reading what a HelmRelease's values or a Kustomization's variables come from, for the get tools' `show_values`
and `show_vars`: the ConfigMaps and Secrets they name, in one `kubectl get`, resolved by `_flux.resolved`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fluxtools._errors import FluxError
from fluxtools._flux import resolved
from fluxtools._process.call import Call, json_object
from fluxtools._process.classify import Target
from fluxtools._validation import check_name

Obj = dict[str, Any]
RESOURCE = {"ConfigMap": "configmap", resolved.SECRET: "secret"}


@dataclass(frozen=True)
class Resolver:
    """One get tool's resolution: the argument asking for it, the answer's key, and how it resolves."""

    flag: str
    key: str
    references: Callable[[Obj], list[resolved.Reference]]
    resolve: Callable[[Obj, dict[tuple[str, str], Obj]], resolved.Resolution]


VALUES = Resolver("show_values", "values", resolved.helmrelease_references, resolved.resolve_values)
VARS = Resolver("show_vars", "vars", resolved.kustomization_references, resolved.resolve_vars)


def wanted(refs: list[resolved.Reference], notes: list[str]) -> list[str]:
    """`configmap/<name>` and `secret/<name>` for each valid reference, once; the others noted."""
    names: list[str] = []
    for ref in refs:
        resource = RESOURCE.get(ref.kind)
        try:
            check_name(ref.name)
        except ValueError:
            resource = None
        if resource is None:
            notes.append(f"{ref.kind}/{ref.name}: not a ConfigMap or Secret with a valid name; not read")
        elif f"{resource}/{ref.name}" not in names:
            names.append(f"{resource}/{ref.name}")
    return names


async def read_referenced(call: Call, namespace: str, names: list[str]) -> dict[tuple[str, str], Obj]:
    """The named ConfigMaps and Secrets of `namespace` that exist, by (kind, name)."""
    argv = call.cli.kubectl("get", *names, "-n", namespace, "--ignore-not-found", "-o", "json")
    result = await call.run(argv, Target("ConfigMap", None, namespace, "get"))
    if not result.stdout.strip():
        return {}
    document = json_object(result.stdout, "kubectl")
    items = document.get("items") or [] if document.get("kind") == "List" else [document]
    return {(item.get("kind", ""), (item.get("metadata") or {}).get("name", "")): item for item in items}


async def resolve(call: Call, resolver: Resolver, obj: Obj) -> Obj:
    """The answer's `values` or `vars` entries, with `<key>_notes` when something could not be resolved."""
    namespace = (obj.get("metadata") or {}).get("namespace", "")
    notes: list[str] = []
    names = wanted(resolver.references(obj), notes)
    try:
        resources = await read_referenced(call, namespace, names) if names else {}
    except FluxError as exc:  # not resolved: what is missing would be guessed
        return {
            resolver.key: [],
            f"{resolver.key}_notes": [*notes, f"not resolved, the references could not be read: {exc.message}"],
        }
    found = resolver.resolve(obj, resources)
    data: Obj = {resolver.key: found.entries}
    notes += found.notes
    if notes:
        data[f"{resolver.key}_notes"] = notes
    return data
