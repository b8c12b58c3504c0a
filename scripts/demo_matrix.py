"""The calls the demo recording is made of: every tool on every object and namespace of the lab scenario.

The objects are not listed here: the recorder reads them from the lab
(`flux_get_all`, `flux_tree`) and builds the calls from what it found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, get_args

from fluxtools._flux.kinds import CONTROLLERS, SOURCE_KINDS
from fluxtools.demo.recording import MISSING_NAME
from fluxtools.fleet import fleet_tools
from fluxtools.specs.export import ExportKind

Call = tuple[str, dict[str, Any]]
WIDEST_TAIL = 1000
"""The largest `tail` flux_logs accepts: every smaller one is cut from it."""
RECONCILE_TIMEOUT = 30
"""Seconds the recorder waits for a verdict; the demo's own timeout applies to replayed waits."""
WIDE = 1_048_576
SOURCE_NOUN = {kind.kind: kind.cli_noun[-1] for kind in SOURCE_KINDS}
EXPORT_KINDS: tuple[str, ...] = get_args(ExportKind)
FLEET_ALIASES = 3
"""Aliases of the lab (lab-alias-01..03) in the kubeconfig while the fleet is read, beside its fixed contexts."""
MISSING_KINDS = ("kustomization", "helmrelease", *(f"source {noun}" for noun in SOURCE_NOUN.values()))


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

    def get(self) -> Call:
        if self.kind == "Kustomization":
            return "flux_kustomization_get", self.where
        if self.kind == "HelmRelease":
            return "flux_helmrelease_get", self.where
        return "flux_source_get", {"kind": SOURCE_NOUN[self.kind], **self.where}

    def export(self) -> Call:
        words = self.key if self.applier else f"source {SOURCE_NOUN[self.kind]}"
        return "flux_export", {"kind": words, **self.where}


def object_reads(obj: FluxObject) -> list[Call]:
    """Get, export and events of one object (the recorder adds the tree of a Kustomization)."""
    return [obj.get(), obj.export(), ("flux_events", {"kind": obj.key, **obj.where})]


def namespace_reads(namespace: str | None) -> list[Call]:
    """Every list-like read in one namespace, or in all of them (None)."""
    scope = {"namespace": namespace} if namespace else {}
    calls: list[Call] = [
        ("flux_kustomization_list", scope),
        ("flux_helmrelease_list", scope),
        *[("flux_source_list", {**scope, "kind": kind}) for kind in ("all", *SOURCE_NOUN.values())],
        *[("flux_image_list", {**scope, "kind": kind}) for kind in ("all", "repository", "policy", "update")],
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
        *[("flux_source_get", {"kind": noun, **where}) for noun in SOURCE_NOUN.values()],
        *[("flux_export", {"kind": kind, **where}) for kind in MISSING_KINDS],
        ("flux_tree", where),
    ]
    calls += [("flux_trace", {"kind": kind, **where}) for kind in trace_kinds]
    return calls


def log_reads() -> list[Call]:
    return [("flux_logs", {"kind": controller, "tail": WIDEST_TAIL}) for controller in CONTROLLERS]


def check_reads() -> list[Call]:
    return [("flux_check", {}), ("flux_check", {"pre": True})]


def reconciles(obj: FluxObject) -> list[Call]:
    """Each reconcile twice: the demo alternates the two runs, each with its own request time."""
    base = {"kind": obj.key, **obj.where, "timeout_secs": RECONCILE_TIMEOUT}
    variants = [base] if not obj.applier else [base, {**base, "with_source": True}]
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
