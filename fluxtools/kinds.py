"""The Flux object kinds fluxtools knows: API coordinates and CLI nouns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FluxKind:
    kind: str
    plural: str
    group: str
    cli_noun: tuple[str, ...]
    controller: str

    @property
    def resource(self) -> str:
        """`plural.group`: what kubectl needs to select the server-preferred version."""
        return f"{self.plural}.{self.group}"

    @property
    def key(self) -> str:
        return self.kind.lower()


KUSTOMIZATION = FluxKind(
    "Kustomization", "kustomizations", "kustomize.toolkit.fluxcd.io", ("kustomization",), "kustomize-controller"
)
HELMRELEASE = FluxKind("HelmRelease", "helmreleases", "helm.toolkit.fluxcd.io", ("helmrelease",), "helm-controller")
GITREPOSITORY = FluxKind(
    "GitRepository", "gitrepositories", "source.toolkit.fluxcd.io", ("source", "git"), "source-controller"
)
HELMREPOSITORY = FluxKind(
    "HelmRepository", "helmrepositories", "source.toolkit.fluxcd.io", ("source", "helm"), "source-controller"
)
HELMCHART = FluxKind("HelmChart", "helmcharts", "source.toolkit.fluxcd.io", ("source", "chart"), "source-controller")
OCIREPOSITORY = FluxKind(
    "OCIRepository", "ocirepositories", "source.toolkit.fluxcd.io", ("source", "oci"), "source-controller"
)
BUCKET = FluxKind("Bucket", "buckets", "source.toolkit.fluxcd.io", ("source", "bucket"), "source-controller")

SOURCE_KINDS: tuple[FluxKind, ...] = (GITREPOSITORY, OCIREPOSITORY, BUCKET, HELMREPOSITORY, HELMCHART)
ALL_KINDS: tuple[FluxKind, ...] = (KUSTOMIZATION, HELMRELEASE, *SOURCE_KINDS)
BY_KEY: dict[str, FluxKind] = {kind.key: kind for kind in ALL_KINDS}
BY_KIND: dict[str, FluxKind] = {kind.kind: kind for kind in ALL_KINDS}

CONTROLLERS = (
    "source-controller",
    "kustomize-controller",
    "helm-controller",
    "notification-controller",
    "image-reflector-controller",
    "image-automation-controller",
)
