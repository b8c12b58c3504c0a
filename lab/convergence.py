"""Creating the scenario in dependency order and waiting until every object is in its intended state."""

from __future__ import annotations

import time
from typing import Any

from . import surface
from .kube import apply_objs, get_json, kubectl, ready_cond
from .layout import state
from .processes import PIDS, alive, die, wait_for
from .scenario import EXPECT, RESOURCE, rbac_objs, scenario_objs
from .versions import WORKLOADS

KUSTOMIZATIONS = RESOURCE["Kustomization"]


def _ready(resource: str, name: str, ns: str) -> bool:
    cond = ready_cond(get_json(resource, name, "-n", ns) or {})
    return cond is not None and cond["status"] == "True"


def apply_scenario() -> None:
    apply_objs(rbac_objs(), "rbac")
    objs = scenario_objs()
    sources = [o for o in objs if o["kind"] in ("Secret", "GitRepository", "HelmRepository")]
    apply_objs(sources, "scenario-sources")
    needed = (
        (RESOURCE["GitRepository"], "flux-system", "flux-system"),
        (RESOURCE["GitRepository"], "team-a-repo", "team-a"),
        (RESOURCE["HelmRepository"], "lab-charts", "flux-system"),
    )
    # consumers created before their artifact exists retry only after 30s
    wait_for("sources (fleet.git, team-a-repo, lab-charts)", lambda: all(_ready(*s) for s in needed), 90, 0.5)
    # `apps` dependsOn `infrastructure`; created before it is Ready it would wait for
    # kustomize-controller's --requeue-dependency (30s), so create it afterwards.
    rest = [o for o in objs if o not in sources]
    late = [o for o in rest if o["metadata"]["name"] == "apps"]
    apply_objs([o for o in rest if o not in late], "scenario")
    wait_for("Kustomization infrastructure", lambda: _ready(KUSTOMIZATIONS, "infrastructure", "flux-system"), 90)
    apply_objs(late, "scenario-late")
    wait_for("suspended-app first reconcile", lambda: _ready(KUSTOMIZATIONS, "suspended-app", "flux-system"), 120, 1)
    patch = '{"spec":{"suspend":true}}'
    kubectl("patch", KUSTOMIZATIONS, "suspended-app", "-n", "flux-system", "--type=merge", "-p", patch)


def _observed(obj: dict[str, Any], ready: dict[str, Any]) -> Any:
    """The generation the controller last handled: in the status, or (source-watcher, the operator) only in Ready."""
    return obj["status"].get("observedGeneration", ready.get("observedGeneration"))


def check_expect() -> list[tuple[str, str]]:
    """(object, problem) for every object of the scenario and the surface not yet in its intended state."""
    items: dict[tuple[str, str, str], Any] = {}
    for kind, resource in {**RESOURCE, **surface.RESOURCE}.items():
        for obj in (get_json(resource, "-A") or {"items": []})["items"]:
            items[(kind, obj["metadata"]["namespace"], obj["metadata"]["name"])] = obj
    bad = []
    for kind, ns, name, want, reasons, _ in EXPECT + surface.SURFACE_EXPECT:
        obj = items.get((kind, ns, name))
        oid = f"{kind}/{ns}/{name}"
        if obj is None:
            bad.append((oid, "missing"))
            continue
        cond = ready_cond(obj)
        if cond is None:
            bad.append((oid, "no Ready condition"))
        elif cond["status"] not in want.split("|") or cond.get("reason") not in reasons:
            bad.append((oid, f"Ready={cond['status']} reason={cond.get('reason')} msg={cond.get('message', '')[:120]}"))
        elif want == "True" and _observed(obj, cond) != obj["metadata"]["generation"]:
            bad.append((oid, "observedGeneration behind"))
    return bad + surface.extra_problems()


def wait_converged(timeout: float) -> tuple[list[tuple[str, str]], float]:
    t0 = time.time()
    bad = check_expect()
    while bad and time.time() - t0 < timeout:
        for c in WORKLOADS:
            if not alive(PIDS[c]):
                die(f"{c} died; see {state('logs', c + '.out')}")
        time.sleep(2)
        bad = check_expect()
    return bad, time.time() - t0
