"""Whether a Flux controller runs: the leader-election Leases it renews.

Flux controllers run with `--enable-leader-election`; the leader renews the Lease
`<controller>-leader-election` in the controllers' namespace every retry period
(5 s by default), and a sharded controller (`--watch-label-selector`) renews one
named with a suffix. A Lease renewed between two reads says the controller runs;
one left alone says it is stopped or hung.
"""

from __future__ import annotations

from typing import Any

from fluxtools._errors import CommandFailed
from fluxtools._process.call import Call, json_object
from fluxtools._process.classify import Target

RESOURCE = "leases.coordination.k8s.io"
SUFFIX = "-leader-election"

Renewals = dict[str, tuple[str | None, str | None]]
"""Lease name → (holder, renewTime) for one controller's Leases."""


def renewals_of(document: dict[str, Any], controller: str) -> Renewals:
    """The controller's Leases in a Lease list: named `<controller>-leader-election`, or that and a shard's
    suffix."""
    prefix = controller + SUFFIX
    found: Renewals = {}
    for item in document.get("items") or []:
        name = (item.get("metadata") or {}).get("name") or ""
        if name == prefix or name.startswith(prefix + "-"):
            spec = item.get("spec") or {}
            found[name] = (spec.get("holderIdentity"), spec.get("renewTime"))
    return found


async def read_renewals(call: Call, controller: str) -> Renewals | None:
    """The controller's Leases as they are now; None when they cannot be read or there are none (a controller
    run without leader election)."""
    namespace = call.config.flux_namespace
    argv = call.cli.kubectl("get", RESOURCE, "-n", namespace, "-o", "json")
    done = await call.outcome(argv, Target("Lease", None, namespace, "read"), retry=False)
    if done.error is not None:
        return None
    try:
        document = json_object(done.result.stdout, "kubectl")
    except CommandFailed:
        return None
    return renewals_of(document, controller) or None
