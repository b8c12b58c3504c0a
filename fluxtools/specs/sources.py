"""Sources (Git, Helm, OCI repositories, Buckets, HelmCharts) and image automation objects."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from fluxtools._flux import views
from fluxtools._flux.kinds import (
    ARTIFACTGENERATOR,
    EXTERNALARTIFACT,
    FLUXINSTANCE,
    IMAGE_BY_NOUN,
    IMAGE_KINDS,
    NOTIFICATION_KINDS,
    RESOURCESET,
    RESOURCESETINPUTPROVIDER,
    SOURCE_BY_NOUN,
    SOURCE_KINDS,
    FluxKind,
)
from fluxtools._process.call import json_object
from fluxtools._process.classify import Target
from fluxtools._process.clients import Clients
from fluxtools._process.runners import CommandResult
from fluxtools._validation import KubeName, Namespace
from fluxtools.specs.base import Operation, ReadArgs, ToolSpec, command, configured_namespace
from fluxtools.specs.objects import Listing, ScopeArgs, listing_spec

SourceKind = Literal[
    "git",
    "helm",
    "oci",
    "bucket",
    "chart",
    "external",
    "generator",
    "provider",
    "alert",
    "receiver",
    "fluxinstance",
    "resourceset",
    "rsip",
]
"""A source in flux's words, or another kind: not Kustomization and HelmRelease (their own tools), nor the
image kinds (flux_image_list shows them in full); `rsip` is the CRD's short name of ResourceSetInputProvider."""
OTHER_BY_WORD: dict[str, FluxKind] = {
    "generator": ARTIFACTGENERATOR,
    "rsip": RESOURCESETINPUTPROVIDER,
    **{kind.key: kind for kind in (*NOTIFICATION_KINDS, FLUXINSTANCE, RESOURCESET)},
}
SourceListKind = Literal["git", "helm", "oci", "bucket", "chart", "all"]
LISTED_SOURCES = (*SOURCE_KINDS, EXTERNALARTIFACT)
ImageListKind = Literal["repository", "policy", "update", "all"]

IMAGES_MISSING = (
    "The image automation CRDs (image.toolkit.fluxcd.io) are not installed in this cluster. "
    "image-reflector-controller and image-automation-controller are optional Flux components."
)


class SourceListArgs(ScopeArgs):
    kind: SourceListKind = "all"


class SourceGetArgs(ReadArgs):
    kind: SourceKind
    name: KubeName
    namespace: Namespace | None = configured_namespace()


class ImageListArgs(ScopeArgs):
    kind: ImageListKind = Field("all", description="update: ImageUpdateAutomation")


def selected(by_noun: dict[str, FluxKind], every: tuple[FluxKind, ...]) -> Any:
    def kinds(args: Any) -> tuple[FluxKind, ...]:
        return every if args.kind == "all" else (by_noun[args.kind],)

    return kinds


SOURCES = Listing("sources", "Source", selected(SOURCE_BY_NOUN, LISTED_SOURCES), views.source_summary)
IMAGES = Listing(
    "images", "Image automation object", selected(IMAGE_BY_NOUN, IMAGE_KINDS), views.image_summary, IMAGES_MISSING
)


def kind_of(args: SourceGetArgs) -> FluxKind:
    return SOURCE_BY_NOUN.get(args.kind) or OTHER_BY_WORD[args.kind]


def source_get_target(args: SourceGetArgs) -> Target:
    return Target(kind_of(args).kind, args.name, args.namespace, "get")


def source_get_argv(cli: Clients, args: SourceGetArgs) -> list[str]:
    return cli.kubectl("get", kind_of(args).resource, args.name, "-n", args.namespace, "-o", "json")


def source_get_parse(result: CommandResult, args: SourceGetArgs) -> dict[str, Any]:
    return views.object_detail(json_object(result.stdout, "kubectl"))


SOURCE_LIST = listing_spec(
    "flux_source_list",
    "List sources (Git, OCI and Helm repositories, Buckets, HelmCharts; all namespaces by default): ready, message, "
    "revision, URL, suspended; counts by state and kind.",
    SOURCES,
    SourceListArgs,
)
SOURCE_GET = ToolSpec.read(
    name="flux_source_get",
    description=(
        "One source in detail: conditions, URL, ref, interval, artifact (revision, digest, size, updated) and its "
        "credentials Secret's name."
    ),
    args_model=SourceGetArgs,
    operation=Operation.GET,
    step=command(source_get_argv, source_get_parse, source_get_target),
)
IMAGE_LIST = listing_spec(
    "flux_image_list",
    "List image automation objects: ready, scanned image, latest image, last run; installed=false without "
    "the optional image controllers.",
    IMAGES,
    ImageListArgs,
)
