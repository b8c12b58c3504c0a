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
    has_status: bool = True
    """False for kinds the controller never writes a status to (notification Alert and Provider v1beta3)."""
    flux_cli: bool = True
    """Whether the flux CLI has commands for this kind (the operator's kinds have their own CLI)."""

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

NC = "notification-controller"
PROVIDER = FluxKind(
    "Provider", "providers", "notification.toolkit.fluxcd.io", ("alert-provider",), NC, "v1beta3", has_status=False
)
ALERT = FluxKind("Alert", "alerts", "notification.toolkit.fluxcd.io", ("alert",), NC, "v1beta3", has_status=False)
RECEIVER = FluxKind("Receiver", "receivers", "notification.toolkit.fluxcd.io", ("receiver",), NC)
NOTIFICATION_KINDS: tuple[FluxKind, ...] = (PROVIDER, ALERT, RECEIVER)

EXTERNALARTIFACT = FluxKind(
    "ExternalArtifact", "externalartifacts", "source.toolkit.fluxcd.io", ("source", "external"), "source-watcher"
)
"""Written by a producer (source-watcher's ArtifactGenerator); its CRD comes with source-controller v1.7+."""
ARTIFACTGENERATOR = FluxKind(
    "ArtifactGenerator",
    "artifactgenerators",
    "source.extensions.fluxcd.io",
    ("artifact", "generator"),
    "source-watcher",
    "v1beta1",
)
ARTIFACT_KINDS: tuple[FluxKind, ...] = (EXTERNALARTIFACT, ARTIFACTGENERATOR)

OPERATOR = "flux-operator"
OPERATOR_GROUP = "fluxcd.controlplane.io"
FLUXINSTANCE = FluxKind("FluxInstance", "fluxinstances", OPERATOR_GROUP, ("fluxinstance",), OPERATOR, flux_cli=False)
FLUXREPORT = FluxKind("FluxReport", "fluxreports", OPERATOR_GROUP, ("fluxreport",), OPERATOR, flux_cli=False)
RESOURCESET = FluxKind("ResourceSet", "resourcesets", OPERATOR_GROUP, ("rset",), OPERATOR, flux_cli=False)
"""The operator's kinds: no flux command; their words are the CRDs' short names where they have one."""
RESOURCESETINPUTPROVIDER = FluxKind(
    "ResourceSetInputProvider",
    "resourcesetinputproviders",
    OPERATOR_GROUP,
    ("rsip",),
    OPERATOR,
    flux_cli=False,
)
OPERATOR_KINDS: tuple[FluxKind, ...] = (FLUXINSTANCE, FLUXREPORT, RESOURCESET, RESOURCESETINPUTPROVIDER)

OPTIONAL_KINDS: tuple[FluxKind, ...] = (*ARTIFACT_KINDS, *IMAGE_KINDS, *NOTIFICATION_KINDS, *OPERATOR_KINDS)
"""Optional components: kept out of ALL_KINDS, which every Flux installation has; a cluster without one of
their CRDs skips that kind quietly."""
EVERY_KIND: tuple[FluxKind, ...] = (*ALL_KINDS, *OPTIONAL_KINDS)

KNOWN_KINDS: tuple[FluxKind, ...] = EVERY_KIND
FLUX_EVENTS_KINDS: frozenset[str] = frozenset(kind.kind for kind in (*ALL_KINDS, *IMAGE_KINDS, *NOTIFICATION_KINDS))
"""The kinds `flux events --for` knows (flux v2.9.4 cmd/flux/events.go); the others' events come from kubectl."""
EVENT_KINDS: tuple[FluxKind, ...] = (*ALL_KINDS, *IMAGE_KINDS)
"""The kinds flux_events narrows to by kind; events of the others are narrowed by name."""
BY_CLI_NOUN: dict[str, FluxKind] = {" ".join(kind.cli_noun): kind for kind in KNOWN_KINDS if kind.flux_cli}
"""`source git`, `image policy`, `kustomization`, ...: the words the flux CLI uses for each kind."""
SOURCE_BY_NOUN: dict[str, FluxKind] = {kind.cli_noun[-1]: kind for kind in (*SOURCE_KINDS, EXTERNALARTIFACT)}
"""`git`, `helm`, `oci`, `bucket`, `chart`, `external`, as in `flux get sources <noun>`."""
IMAGE_BY_NOUN: dict[str, FluxKind] = {kind.cli_noun[-1]: kind for kind in IMAGE_KINDS}
"""`repository`, `policy`, `update`, as in `flux get images <noun>`."""
ANY_BY_KEY: dict[str, FluxKind] = {kind.key: kind for kind in KNOWN_KINDS}
ANY_BY_KIND: dict[str, FluxKind] = {kind.kind: kind for kind in KNOWN_KINDS}
BY_RESOURCE: dict[str, FluxKind] = {kind.resource: kind for kind in KNOWN_KINDS}
STATUSLESS: frozenset[str] = frozenset(kind.kind for kind in KNOWN_KINDS if not kind.has_status)
FLUX_GROUPS: frozenset[str] = frozenset(kind.group for kind in KNOWN_KINDS)

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
    """True for the Flux v2 API groups (`*.toolkit.fluxcd.io`, source-watcher's and the operator's)."""
    group = api_group(api_version)
    return group.endswith(FLUX_GROUP_SUFFIX) or group in FLUX_GROUPS
