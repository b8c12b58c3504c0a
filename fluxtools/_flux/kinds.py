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
    version: str = "v1"
    """The API version Flux 2.x serves; the fast list path reads it directly."""

    @property
    def resource(self) -> str:
        """`plural.group`: what kubectl needs to select the server-preferred version."""
        return f"{self.plural}.{self.group}"

    @property
    def key(self) -> str:
        return self.kind.lower()

    def api_path(self, namespace: str | None = None) -> str:
        """The LIST path of this kind, in one namespace or all."""
        scope = f"/namespaces/{namespace}" if namespace else ""
        return f"/apis/{self.group}/{self.version}{scope}/{self.plural}"


KUSTOMIZATION = FluxKind(
    "Kustomization", "kustomizations", "kustomize.toolkit.fluxcd.io", ("kustomization",), "kustomize-controller"
)
HELMRELEASE = FluxKind(
    "HelmRelease", "helmreleases", "helm.toolkit.fluxcd.io", ("helmrelease",), "helm-controller", "v2"
)
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

IMAGEREPOSITORY = FluxKind(
    "ImageRepository",
    "imagerepositories",
    "image.toolkit.fluxcd.io",
    ("image", "repository"),
    "image-reflector-controller",
)
IMAGEPOLICY = FluxKind(
    "ImagePolicy", "imagepolicies", "image.toolkit.fluxcd.io", ("image", "policy"), "image-reflector-controller"
)
IMAGEUPDATEAUTOMATION = FluxKind(
    "ImageUpdateAutomation",
    "imageupdateautomations",
    "image.toolkit.fluxcd.io",
    ("image", "update"),
    "image-automation-controller",
)
IMAGE_KINDS: tuple[FluxKind, ...] = (IMAGEREPOSITORY, IMAGEPOLICY, IMAGEUPDATEAUTOMATION)
"""Optional components: kept out of ALL_KINDS, which every Flux installation has."""
RECEIVER = FluxKind("Receiver", "receivers", "notification.toolkit.fluxcd.io", ("receiver",), "notification-controller")

KNOWN_KINDS: tuple[FluxKind, ...] = (*ALL_KINDS, *IMAGE_KINDS)
BY_CLI_NOUN: dict[str, FluxKind] = {" ".join(kind.cli_noun): kind for kind in KNOWN_KINDS}
"""`source git`, `image policy`, `kustomization`, ...: the words the flux CLI uses for each kind."""
SOURCE_BY_NOUN: dict[str, FluxKind] = {kind.cli_noun[-1]: kind for kind in SOURCE_KINDS}
"""`git`, `helm`, `oci`, `bucket`, `chart`, as in `flux get sources <noun>`."""
IMAGE_BY_NOUN: dict[str, FluxKind] = {kind.cli_noun[-1]: kind for kind in IMAGE_KINDS}
"""`repository`, `policy`, `update`, as in `flux get images <noun>`."""
ANY_BY_KEY: dict[str, FluxKind] = {kind.key: kind for kind in KNOWN_KINDS}

FLUX_GROUP_SUFFIX = ".toolkit.fluxcd.io"
FLUX_V1_GROUPS = ("helm.fluxcd.io", "flux.weave.works")
"""API groups of Flux v1 (flux daemon and helm-operator), which fluxtools does not support."""


def cli_words(kind: str) -> str:
    """The flux CLI's words for a kind (`source git` for GitRepository); a kind it does not know, lower-cased."""
    return " ".join(BY_KIND[kind].cli_noun) if kind in BY_KIND else kind.lower()


def flux_command(verb: str, kind: str, name: str, namespace: str, *flags: str) -> str:
    """The flux command line a person would type for one object: `flux <verb> <noun> <name> -n <namespace>`."""
    return " ".join(["flux", verb, cli_words(kind), name, "-n", namespace, *flags])


def resources(kinds: tuple[FluxKind, ...] | list[FluxKind]) -> str:
    """Comma-joined `plural.group` names: one kubectl get for several kinds."""
    return ",".join(kind.resource for kind in kinds)


def api_group(api_version: str) -> str:
    """The group of an apiVersion (`source.toolkit.fluxcd.io/v1` → `source.toolkit.fluxcd.io`; core → '')."""
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


def is_flux_api(api_version: str) -> bool:
    """True for the Flux v2 API groups (`*.toolkit.fluxcd.io`)."""
    return api_group(api_version).endswith(FLUX_GROUP_SUFFIX)
