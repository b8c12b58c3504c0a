"""The kubeconfig contexts the demo recorded: the default one and the fleet around it.

The recorder reads the scenario in one context, the default (`lab`), and the
fleet reads in every context of the lab's kubeconfig: the restricted tenant,
a cluster without Flux, a closed port, aliases of the lab. The cassette header
names them with the kubeconfig cluster each one reaches. A command is matched
within its context: one in the default context (or naming none) against the
default's recordings, one in another recorded context against that context's
own, and a context the demo did not record is `NotRecorded`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fluxtools._errors import NotRecorded

CONTEXT_FLAG = "--context"


def context_of(argv: Sequence[str]) -> str | None:
    """The context a command names (`--context NAME` or `--context=NAME`), or None."""
    for index, part in enumerate(argv):
        if part == CONTEXT_FLAG and index + 1 < len(argv):
            return argv[index + 1]
        if part.startswith(CONTEXT_FLAG + "="):
            return part.removeprefix(CONTEXT_FLAG + "=")
    return None


@dataclass(frozen=True)
class DemoContexts:
    default: str | None = None
    """The context the scenario was read in; a command naming no context is read there."""
    clusters: dict[str, str] = field(default_factory=dict)
    """Every recorded context, in kubeconfig order, with the kubeconfig cluster it reaches."""

    @classmethod
    def from_notes(cls, notes: Mapping[str, Any] | None, argvs: Sequence[Sequence[str]]) -> DemoContexts:
        """From the header's notes; a recording without them has the one context its commands name."""
        if notes:
            return cls(str(notes["default"]), {str(name): str(cluster) for name, cluster in notes["clusters"].items()})
        default = context_of(argvs[0]) if argvs else None
        return cls(default, {default: default} if default else {})

    @property
    def names(self) -> list[str]:
        return list(self.clusters)

    def same_cluster(self, context: str) -> bool:
        """Whether `context` reaches the default context's cluster (the objects a mutation changes)."""
        cluster = self.clusters.get(context)
        return cluster is not None and cluster == self.clusters.get(self.default or "")

    def unrecorded(self, contexts: Sequence[str], field: str | None = None) -> NotRecorded:
        """The error for contexts the demo did not record, naming those it did."""
        names = ", ".join(f"'{name}'" for name in contexts)
        plural = "s" if len(contexts) > 1 else ""
        return NotRecorded(
            f"The demo cluster has no recording of context{plural} {names}; "
            f"its contexts: {', '.join(self.names) or 'none named'}",
            hint="The demo answers the contexts it recorded from the lab's kubeconfig, each as it answered; "
            f"a call naming no context is read in '{self.default}'.",
            field=field,
        )
