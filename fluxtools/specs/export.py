"""`flux_export`: Flux objects as YAML manifests (spec only), never with credentials."""

from __future__ import annotations

import re
from typing import Any, Literal

import yaml
from pydantic import Field

from fluxtools._errors import CommandFailed, FluxNotInitialized
from fluxtools._flux.kinds import BY_CLI_NOUN, IMAGE_KINDS, OPTIONAL_KINDS
from fluxtools._masking import SECRET_KINDS
from fluxtools._process.call import Call
from fluxtools._process.classify import Target
from fluxtools._process.clients import Clients
from fluxtools._validation import KubeName, Namespace
from fluxtools.specs.base import Operation, ReadArgs, ToolSpec, configured_namespace
from fluxtools.specs.sources import IMAGES_MISSING

ExportKind = Literal[
    "kustomization",
    "helmrelease",
    "source git",
    "source oci",
    "source bucket",
    "source helm",
    "source chart",
    "source external",
    "artifact generator",
    "image repository",
    "image policy",
    "image update",
    "alert-provider",
    "alert",
    "receiver",
]
DOCUMENT_SEPARATOR = re.compile(r"(?m)^---[ \t]*\n?")


class ExportArgs(ReadArgs):
    kind: ExportKind = Field(description="In flux CLI words")
    name: KubeName | None = Field(None, description="Omit for every object of the kind")
    namespace: Namespace | None = configured_namespace()


def export_argv(cli: Clients, args: ExportArgs) -> list[str]:
    """`flux export <kind words> NAME|--all -n NS`; credentials are never requested."""
    selection = [args.name] if args.name else ["--all"]
    return cli.flux("export", *args.kind.split(), *selection, "-n", args.namespace)


def export_target(args: ExportArgs) -> Target:
    return Target(BY_CLI_NOUN[args.kind].kind, args.name, args.namespace, "export")


def split_documents(text: str) -> list[str]:
    return [chunk.strip("\n") for chunk in DOCUMENT_SEPARATOR.split(text) if chunk.strip()]


def without_secrets(text: str) -> tuple[list[str], int]:
    """The YAML documents that are not Secrets, and how many were dropped."""
    kept, dropped = [], 0
    for document in split_documents(text):
        try:
            obj = yaml.safe_load(document)
        except yaml.YAMLError as exc:
            raise CommandFailed(f"flux export returned YAML that cannot be read ({exc.__class__.__name__})") from None
        if isinstance(obj, dict) and obj.get("kind") in SECRET_KINDS:
            dropped += 1
            continue
        kept.append(document)
    return kept, dropped


async def export(call: Call, args: ExportArgs) -> dict[str, Any]:
    base = {"kind": args.kind, "namespace": args.namespace, **({"name": args.name} if args.name else {})}
    try:
        result = await call.run(export_argv(call.cli, args), export_target(args))
    except FluxNotInitialized:
        kind = BY_CLI_NOUN[args.kind]
        if kind not in OPTIONAL_KINDS:
            raise
        note = IMAGES_MISSING if kind in IMAGE_KINDS else f"The {kind.resource} CRD is not installed in this cluster."
        return {**base, "yaml": "", "objects": 0, "installed": False, "note": note}
    except CommandFailed as failed:
        if args.name or "no objects found" not in failed.message:
            raise
        return {**base, "yaml": "", "objects": 0}
    documents, dropped = without_secrets(result.stdout)
    data: dict[str, Any] = {**base, "yaml": "".join(f"---\n{doc}\n" for doc in documents), "objects": len(documents)}
    if dropped:
        data["note"] = f"Dropped {dropped} Secret object(s): credentials are never exported."
    return data


EXPORT = ToolSpec.read(
    name="flux_export",
    description=(
        "Flux objects as YAML manifests (spec, no status), one by name or all of a kind in a namespace; never "
        "Secrets or credentials."
    ),
    args_model=ExportArgs,
    operation=Operation.GET,
    step=export,
)
