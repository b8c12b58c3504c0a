"""`flux_tree` (what a Kustomization manages) and `flux_trace` (what manages an object)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from fluxtools._errors import CommandFailed, FluxNotInitialized, InvalidInput, NotFound
from fluxtools._flux.kinds import ARTIFACTGENERATOR, KUSTOMIZATION, RESOURCESET, FluxKind
from fluxtools._process.call import Call, json_object
from fluxtools._process.classify import Target
from fluxtools._process.clients import Clients
from fluxtools._process.runners import CommandResult
from fluxtools._validation import KubeName, Namespace, _require_str
from fluxtools.specs.base import Operation, ReadArgs, ToolSpec, command, configured_namespace
from fluxtools.specs.forms import Naming

Node = dict[str, Any]
RESOURCE_WORD = re.compile(r"[a-z][a-z0-9]{0,62}")
NOT_MANAGED = "not managed by Flux"
TRACE_FAILED = "failed to trace "


def _check_resource_word(value: str) -> str:
    if not RESOURCE_WORD.fullmatch(value):
        shown = value if len(value) <= 40 else value[:37] + "..."
        raise ValueError(
            f"{shown!r} is not a resource kind; use one lowercase word such as deployment, service or configmap"
        )
    return value


ResourceWord = Annotated[
    str, BeforeValidator(_require_str), AfterValidator(_check_resource_word), Field(json_schema_extra={"maxLength": 63})
]


TREE_KINDS: dict[str, FluxKind] = {kind.key: kind for kind in (KUSTOMIZATION, ARTIFACTGENERATOR, RESOURCESET)}
"""What a tree can be drawn for: a Kustomization's and a ResourceSet's inventory, a generator's artifacts."""


class TreeArgs(ReadArgs):
    kind: Literal["kustomization", "artifactgenerator", "resourceset"] = "kustomization"
    name: KubeName
    namespace: Namespace | None = configured_namespace()


class TraceArgs(ReadArgs):
    naming: ClassVar[Naming] = Naming(resource_first=True)
    kind: ResourceWord = Field(description="Resource kind, e.g. deployment")
    name: KubeName
    namespace: Namespace | None = configured_namespace()


# tree ------------------------------------------------------------------------------------------


def resource_text(resource: dict[str, Any]) -> str:
    """`Kind/namespace/name`, or `Kind/name` for cluster-scoped objects, as flux prints them."""
    kind = (resource.get("GroupKind") or {}).get("Kind", "")
    namespace, name = resource.get("Namespace", ""), resource.get("Name", "")
    return f"{kind}/{namespace}/{name}" if namespace else f"{kind}/{name}"


def convert(node: dict[str, Any]) -> Node:
    """flux's `{"resource": {...}, "resources": [...]}` as `{"resource": "Kind/ns/name", "children": [...]}`."""
    return {
        "resource": resource_text(node.get("resource") or {}),
        "children": [convert(child) for child in node.get("resources") or []],
    }


def descendants(node: Node) -> list[Node]:
    found = []
    for child in node["children"]:
        found.append(child)
        found.extend(descendants(child))
    return found


def fold_leaves(node: Node) -> Node:
    """The tree with each node's childless children folded into counts by kind (`leaves`)."""
    inner = [fold_leaves(child) for child in node["children"] if child["children"]]
    leaves = Counter(child["resource"].split("/", 1)[0] for child in node["children"] if not child["children"])
    folded: Node = {"resource": node["resource"], "children": inner}
    if leaves:
        folded["leaves"] = dict(sorted(leaves.items()))
    return folded


def fold_tree(data: dict[str, Any]) -> dict[str, Any]:
    """The answer with the tree's leaves folded: the smaller form the output budget asks for first."""
    note = "Objects without children are folded into counts by kind (leaves) to fit the output budget."
    return {**data, "tree": fold_leaves(data["tree"]), "note": note}


def tree_argv(cli: Clients, args: TreeArgs) -> list[str]:
    """`flux tree ks|artifact generator NAME -o json`; a ResourceSet (no flux command) is read with kubectl."""
    if args.kind == RESOURCESET.key:
        return cli.kubectl("get", RESOURCESET.resource, args.name, "-n", args.namespace, "-o", "json")
    words = ("ks",) if args.kind == KUSTOMIZATION.key else ARTIFACTGENERATOR.cli_noun
    return cli.flux("tree", *words, args.name, "-n", args.namespace, "-o", "json")


def tree_target(args: TreeArgs) -> Target:
    return Target(TREE_KINDS[args.kind].kind, args.name, args.namespace, "get")


def inventory_tree(obj: dict[str, Any]) -> Node:
    """A ResourceSet's status.inventory as a tree: its entries' ids are `<namespace>_<name>_<group>_<kind>`."""
    meta = obj.get("metadata") or {}
    children = []
    for entry in ((obj.get("status") or {}).get("inventory") or {}).get("entries") or []:
        parts = str(entry.get("id", "")).split("_")
        if len(parts) == 4:
            namespace, name, _group, kind = parts
            children.append(
                {"resource": f"{kind}/{namespace}/{name}" if namespace else f"{kind}/{name}", "children": []}
            )
    return {"resource": f"{RESOURCESET.kind}/{meta.get('namespace', '')}/{meta.get('name', '')}", "children": children}


def parse_tree(result: CommandResult, args: TreeArgs) -> dict[str, Any]:
    if args.kind == RESOURCESET.key:
        tree = inventory_tree(json_object(result.stdout, "kubectl"))
    else:
        tree = convert(json_object(result.stdout, "flux tree"))
    below = descendants(tree)
    return {
        "kind": args.kind,
        "name": args.name,
        "namespace": args.namespace,
        "resources": len(below),
        "counts": dict(sorted(Counter(node["resource"].split("/", 1)[0] for node in below).items())),
        "tree": tree,
    }


# trace -----------------------------------------------------------------------------------------

KEY_LINE = re.compile(r"([A-Za-z][A-Za-z ]*?):\s*(.*)")


def snake(key: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", key.strip().lower()).strip("_")


def parse_block(text: str) -> Node:
    """One `Key: value` block: the first line names the object (`Object: kind/name` or `Kind: name`)."""
    block: Node = {}
    last: str | None = None
    for line in text.splitlines():
        if not line.strip():
            continue
        match = KEY_LINE.fullmatch(line.rstrip())
        if match is None:  # a multi-line value continues
            if last is not None:
                block[last] += "\n" + line.strip()
            continue
        key, value = match.group(1).strip(), match.group(2).strip()
        if block:
            last = snake(key)
            block[last] = value
        elif key == "Object":
            kind, _, name = value.partition("/")
            block.update({"kind": kind, "name": name})
            last = "name"
        else:
            block.update({"kind": key, "name": value})
            last = "name"
    return block


def parse_trace_text(text: str) -> list[Node]:
    blocks = re.split(r"(?m)^---\s*$", text)
    return [parsed for parsed in (parse_block(block) for block in blocks) if parsed]


def trace_argv(cli: Clients, args: TraceArgs) -> list[str]:
    return cli.flux("trace", args.kind, args.name, "-n", args.namespace)


def trace_target(args: TraceArgs) -> Target:
    return Target(args.kind, args.name, args.namespace, "trace")


async def trace(call: Call, args: TraceArgs) -> dict[str, Any]:
    base = {"object": f"{args.kind}/{args.name}", "namespace": args.namespace}
    done = await call.outcome(trace_argv(call.cli, args), trace_target(args), fails=broken_chain)
    result, error = done.result, done.error
    if isinstance(error, FluxNotInitialized) and f'resource type "{args.kind}"' in error.hint:
        raise InvalidInput(
            f"The cluster has no resource type '{args.kind}'",
            hint="Use a kind kubectl knows, such as deployment, statefulset, service or configmap.",
            field="kind",
        ) from None
    if result.exit_code != 0 and isinstance(error, CommandFailed) and NOT_MANAGED in error.message:
        return {**base, "managed": False, "message": error.message.split(": ", 1)[-1]}
    if result.exit_code == 0 and NOT_MANAGED in result.stderr:  # flux prints it and exits 0
        return {**base, "managed": False, "message": result.stderr.strip().removeprefix("✗ ")}
    if error is not None and (result.exit_code != 0 or not isinstance(error, (CommandFailed, NotFound))):
        raise error
    data = {**base, "managed": True, "chain": parse_trace_text(result.stdout)}
    if error is not None:  # the owner chain is broken (e.g. a missing source), and flux exits 0
        data["error"] = result.stderr.strip()
    return data


def broken_chain(result: CommandResult) -> bool:
    return TRACE_FAILED in result.stderr and NOT_MANAGED not in result.stderr


TREE = ToolSpec.read(
    name="flux_tree",
    description=("What a Kustomization, ResourceSet or ArtifactGenerator manages, as a Kind/namespace/name tree."),
    args_model=TreeArgs,
    operation=Operation.GET,
    step=command(tree_argv, parse_tree, tree_target),
    shrink=fold_tree,
)
TRACE = ToolSpec.read(
    name="flux_trace",
    description=(
        "Which Flux objects manage a Kubernetes object (e.g. a Deployment): its Kustomization or HelmRelease and "
        "source, with revisions and status; managed=false if none."
    ),
    args_model=TraceArgs,
    operation=Operation.GET,
    step=trace,
)
