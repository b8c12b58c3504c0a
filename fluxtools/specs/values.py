"""`flux_values`: what a HelmRelease's values or a Kustomization's post-build variables resolve to.

The object is read, then the ConfigMaps and Secrets it names in one `kubectl get`; `_flux.resolved` applies the
controllers' rules and masks every value that came from a Secret. The entries are a list, so the output budget
cuts them from the end and says how many it left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from fluxtools._errors import FluxError
from fluxtools._flux import resolved
from fluxtools._flux.kinds import BY_KEY, HELMRELEASE, KUSTOMIZATION
from fluxtools._process.call import Call, json_object
from fluxtools._process.classify import Target
from fluxtools._validation import KubeName, Namespace, check_name
from fluxtools.specs.base import Operation, ReadArgs, ToolSpec, configured_namespace

Obj = dict[str, Any]
RESOURCE = {"ConfigMap": "configmap", resolved.SECRET: "secret"}


@dataclass(frozen=True)
class Resolver:
    """One kind's resolution: the answer's key and how it resolves."""

    key: str
    references: Callable[[Obj], list[resolved.Reference]]
    resolve: Callable[[Obj, dict[tuple[str, str], Obj]], resolved.Resolution]


RESOLVERS = {
    HELMRELEASE.key: Resolver("values", resolved.helmrelease_references, resolved.resolve_values),
    KUSTOMIZATION.key: Resolver("vars", resolved.kustomization_references, resolved.resolve_vars),
}


class ValuesArgs(ReadArgs):
    kind: Literal["helmrelease", "kustomization"] = Field(description="helmrelease: values; kustomization: variables")
    name: KubeName = Field(description="Resource name")
    namespace: Namespace | None = configured_namespace()


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


async def values(call: Call, args: ValuesArgs) -> Obj:
    kind, resolver = BY_KEY[args.kind], RESOLVERS[args.kind]
    target = Target(kind.kind, args.name, args.namespace, "get")
    obj = await call.kubectl_json(["get", kind.resource, args.name, "-n", args.namespace, "-o", "json"], target)
    data: Obj = {"kind": args.kind, "name": args.name, "namespace": args.namespace}
    notes: list[str] = []
    names = wanted(resolver.references(obj), notes)
    try:
        resources = await read_referenced(call, args.namespace, names) if names else {}
    except FluxError as exc:  # not resolved: what is missing would be guessed
        notes.append(f"not resolved, the references could not be read: {exc.message}")
        return {**data, resolver.key: [], "notes": notes}
    found = resolver.resolve(obj, resources)
    data[resolver.key] = found.entries
    notes += found.notes
    if notes:
        data["notes"] = notes
    return data


VALUES = ToolSpec.read(
    name="flux_values",
    description=(
        "What a HelmRelease's values (valuesFrom merged) or a Kustomization's post-build variables resolve to, "
        "each with its source; Secret values masked."
    ),
    args_model=ValuesArgs,
    operation=Operation.GET,
    step=values,
)
