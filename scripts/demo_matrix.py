"""The calls the demo recording is made of: every tool on every object and namespace of the lab scenario.

The objects are not listed here: the recorder reads them from the lab
(`flux_get_all`, `flux_tree`) and builds the calls from what it found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, get_args

from fluxtools._flux.kinds import ANY_BY_KIND, BY_CLI_NOUN, CONTROLLERS, SOURCE_BY_NOUN
from fluxtools.demo.recording import MISSING_NAME
from fluxtools.fleet import fleet_tools
from fluxtools.specs.actions import HELM_REQUESTS, RECONCILABLE
from fluxtools.specs.events import EventKind
from fluxtools.specs.export import ExportKind
from fluxtools.specs.sources import OTHER_BY_WORD, ImageListKind, SourceListKind
from fluxtools.specs.tree import TREE_KINDS
from fluxtools.specs.values import RESOLVERS

Call = tuple[str, dict[str, Any]]
WIDEST_TAIL = 1000
"""The largest `tail` flux_logs accepts: every smaller one is cut from it."""
RECONCILE_TIMEOUT = 30
"""Seconds the recorder waits for a verdict; the demo's own timeout applies to replayed waits."""
WIDE = 1_048_576
GET_WORD = {kind.kind: word for word, kind in (*SOURCE_BY_NOUN.items(), *OTHER_BY_WORD.items())}
"""The `flux_source_get` word of each kind it reads (sources, generators, notifications, the operator's)."""
EXPORT_KINDS: tuple[str, ...] = get_args(ExportKind)
EXPORT_WORDS = {BY_CLI_NOUN[words].kind: words for words in EXPORT_KINDS}
"""The `flux_export` words of each kind flux exports."""
EVENT_KINDS: tuple[str, ...] = get_args(EventKind)
SOURCE_LIST_KINDS: tuple[str, ...] = get_args(SourceListKind)
IMAGE_LIST_KINDS: tuple[str, ...] = get_args(ImageListKind)
FLEET_ALIASES = 3
"""Aliases of the lab (lab-alias-01..03) in the kubeconfig while the fleet is read, beside its fixed contexts."""


@dataclass(frozen=True)
class FluxObject:
    kind: str
    namespace: str
    name: str

    @property
    def identity(self) -> str:
        return f"{self.kind}/{self.namespace}/{self.name}"

    @property
    def key(self) -> str:
        return self.kind.lower()

    @property
    def where(self) -> dict[str, str]:
        return {"name": self.name, "namespace": self.namespace}

    @property
    def applier(self) -> bool:
        """A Kustomization or HelmRelease: suspendable, reconcilable with its source."""
        return self.kind in ("Kustomization", "HelmRelease")

    def get(self) -> Call | None:
        """The tool reading this one object; None for kinds only lists show (image kinds, FluxReport)."""
        if self.kind == "Kustomization":
            return "flux_kustomization_get", self.where
        if self.kind == "HelmRelease":
            return "flux_helmrelease_get", self.where
        if self.kind in GET_WORD:
            return "flux_source_get", {"kind": GET_WORD[self.kind], **self.where}
        return None

    def export(self) -> Call | None:
        """`flux_export` of this object; None for kinds flux does not export (the operator's)."""
        words = EXPORT_WORDS.get(self.kind)
        return ("flux_export", {"kind": words, **self.where}) if words else None

    def events(self) -> Call:
        """Its events: narrowed by kind where flux_events can, else by name."""
        kind = {"kind": self.key} if self.key in EVENT_KINDS else {}
        return "flux_events", {**kind, **self.where}

    def tree(self) -> Call | None:
        """What it applies (Kustomization, ResourceSet) or generates (ArtifactGenerator)."""
        if self.key not in TREE_KINDS:
            return None
        kind = {} if self.kind == "Kustomization" else {"kind": self.key}
        return "flux_tree", {**kind, **self.where, "max_bytes": WIDE}

    def read_argv(self) -> list[str]:
        """The `kubectl get` of this object a reconcile polls (after it: the state the demo applies)."""
        return ["get", ANY_BY_KIND[self.kind].resource, self.name, "-n", self.namespace, "-o", "json"]

    def values(self) -> Call | None:
        """What its values (HelmRelease) or post-build variables (Kustomization) resolve to."""
        return ("flux_values", {"kind": self.key, **self.where}) if self.key in RESOLVERS else None


def object_reads(obj: FluxObject) -> list[Call]:
    """Get, export, events and values of one object, as its kind has them (the recorder adds its tree)."""
    calls = [obj.get(), obj.export(), obj.events(), obj.values()]
    return [call for call in calls if call is not None]


def namespace_reads(namespace: str | None) -> list[Call]:
    """Every list-like read in one namespace, or in all of them (None)."""
    scope = {"namespace": namespace} if namespace else {}
    calls: list[Call] = [
        ("flux_kustomization_list", scope),
        ("flux_helmrelease_list", scope),
        *[("flux_source_list", {**scope, "kind": kind}) for kind in SOURCE_LIST_KINDS],
        *[("flux_image_list", {**scope, "kind": kind}) for kind in IMAGE_LIST_KINDS],
        ("flux_get_all", scope),
        ("flux_stats", scope),
        ("flux_events", scope if namespace else {"all_namespaces": True}),
        ("flux_diagnose", {**scope, "max_bytes": WIDE}),
    ]
    if namespace:
        calls += [("flux_export", {"kind": kind, "namespace": namespace}) for kind in EXPORT_KINDS]
    return calls


def fleet_reads(namespaces: list[str]) -> list[Call]:
    """Every fleet tool across every context of the kubeconfig, in all namespaces and in each one.

    A diagnosis reads the controllers' logs the same in every namespace, so each context's logs are
    recorded once; `include_logs: false` reads a subset of the same commands.
    """
    calls: list[Call] = []
    for namespace in [None, *namespaces]:
        scope = {"namespace": namespace} if namespace else {}
        calls += [(tool, {**scope, "all_contexts": True}) for tool in fleet_tools()]
    return calls


def missing_reads(trace_kinds: list[str]) -> list[Call]:
    """A name that does not exist, once per command shape and kind: the source of every derived NotFound."""
    where = {"name": MISSING_NAME, "namespace": "flux-system"}
    calls: list[Call] = [
        ("flux_kustomization_get", where),
        ("flux_helmrelease_get", where),
        *[("flux_source_get", {"kind": word, **where}) for word in GET_WORD.values()],
        *[("flux_export", {"kind": words, **where}) for words in EXPORT_KINDS],
        *[("flux_tree", {"kind": kind, **where}) for kind in TREE_KINDS],
    ]
    calls += [("flux_trace", {"kind": kind, **where}) for kind in trace_kinds]
    return calls


def log_reads() -> list[Call]:
    return [("flux_logs", {"kind": controller, "tail": WIDEST_TAIL}) for controller in CONTROLLERS]


def check_reads() -> list[Call]:
    return [("flux_check", {}), ("flux_check", {"pre": True})]


def reconciles(obj: FluxObject) -> list[Call]:
    """Each reconcile twice: the demo alternates the two runs, each with its own request time.

    A Kustomization or HelmRelease also with its source first; a HelmRelease also forced and reset."""
    if obj.key not in RECONCILABLE:
        return []
    base = {"kind": obj.key, **obj.where, "timeout_secs": RECONCILE_TIMEOUT}
    variants = [base] if not obj.applier else [base, {**base, "with_source": True}]
    if obj.kind == "HelmRelease":
        variants += [{**base, request: True} for request in HELM_REQUESTS]
    return [("flux_reconcile", args) for args in variants for _ in range(2)]


def lifecycle(obj: FluxObject, suspended: bool) -> list[Call]:
    """Each mutation from each state it can start in, leaving the object as suspended as it was."""
    if not obj.applier:
        return reconciles(obj)
    action = {"kind": obj.key, **obj.where}
    pause = [("flux_suspend", action), ("flux_suspend", action)]
    unpause = [("flux_resume", action), ("flux_resume", action)]
    if suspended:
        return [*unpause, *reconciles(obj), *pause]
    return [*reconciles(obj), *pause, *unpause]
