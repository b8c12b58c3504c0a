"""Flux itself: the CRDs, Deployments that make `flux check`/`version`/`logs` work, and the four
controllers run as local processes against the admin kubeconfig."""

from __future__ import annotations

import json
from typing import Any

from .kube import apply_objs, get_json, http_ok, kubectl
from .kwok import NODE
from .layout import BUILD, HOST, PORTS, admin_kubeconfig, binary, state
from .processes import die, log, spawn, wait_for
from .versions import CONTROLLERS, FLUX

FLUX_LABELS = {"app.kubernetes.io/part-of": "flux", "app.kubernetes.io/instance": "flux-system"}


def install_crds() -> None:
    """Apply the CRDs copied from the controllers' modules at build time, labelled as `flux install` does."""
    files = []
    for c in CONTROLLERS:
        found = sorted((BUILD / "crds" / c).glob("*.yaml"))
        if not found:
            die(f"no CRDs in {BUILD / 'crds' / c} (run build)")
        files += found
    args = ["apply", "--server-side", "--field-manager=fluxtools-lab", "-o", "name"]
    for f in files:
        args += ["-f", str(f)]
    names = [line.split("/", 1)[1] for line in kubectl(*args).stdout.split() if "/" in line]
    labels = [f"{k}={v}" for k, v in FLUX_LABELS.items()]
    kubectl("label", "--overwrite", "crd", *names, *labels, f"app.kubernetes.io/version={FLUX}")
    kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd", *names)
    log(f"{len(names)} Flux CRDs applied and labelled")


def _pod_spec(c: str, version: str) -> dict[str, Any]:
    container = {
        "name": c,
        "image": f"ghcr.io/fluxcd/{c}:{version}",
        "args": ["--log-encoding=json"],
        "ports": [{"name": "http-prom", "containerPort": 8080}],
    }
    return {"nodeName": NODE, "containers": [container]}


def _deployment(c: str, version: str) -> dict[str, Any]:
    common = {**FLUX_LABELS, "app.kubernetes.io/component": c}
    labels = {**common, "control-plane": "controller", "app.kubernetes.io/version": FLUX}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": c, "namespace": "flux-system", "labels": labels},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": c}},
            "template": {"metadata": {"labels": {**common, "app": c}}, "spec": _pod_spec(c, version)},
        },
    }


def _bare_pod(c: str, version: str) -> dict[str, Any]:
    labels = {**FLUX_LABELS, "app.kubernetes.io/component": c, "app": c}
    meta = {"name": f"{c}-0", "namespace": "flux-system", "labels": labels}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": _pod_spec(c, version)}


def _mark_available(c: str) -> None:
    """Without kube-controller-manager nothing writes Deployment status: write it as it would."""
    generation = get_json("deployment", c, "-n", "flux-system")["metadata"]["generation"]
    available = {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"}
    status = {
        "observedGeneration": generation,
        "replicas": 1,
        "updatedReplicas": 1,
        "readyReplicas": 1,
        "availableReplicas": 1,
        "conditions": [{**available, "message": "lab (no kube-controller-manager)"}],
    }
    patch = json.dumps({"status": status})
    kubectl("patch", "deployment", c, "-n", "flux-system", "--subresource=status", "--type=merge", "-p", patch)


def controller_deployments(with_kcm: bool) -> None:
    objs = [_deployment(c, v) for c, v in CONTROLLERS.items()]
    if not with_kcm:
        objs += [_bare_pod(c, v) for c, v in CONTROLLERS.items()]
    apply_objs(objs, "flux-deployments")
    if not with_kcm:
        for c in CONTROLLERS:
            _mark_available(c)

    def ready() -> bool:
        for c in CONTROLLERS:
            d = get_json("deployment", c, "-n", "flux-system") or {}
            st = d.get("status", {})
            if st.get("availableReplicas") != 1 or st.get("observedGeneration") != d["metadata"]["generation"]:
                return False
        pods = get_json("pods", "-n", "flux-system") or {"items": []}
        running = [x for x in pods["items"] if x.get("status", {}).get("phase") == "Running"]
        return len(running) >= len(CONTROLLERS)

    wait_for("controller Deployments + kwok pods", ready, 120, 1)


def _flags(c: str) -> list[str]:
    events = f"--events-addr=http://{HOST}:{PORTS['notification-events']}/"
    extra = {
        "source-controller": [
            events,
            f"--storage-path={state('artifacts')}",
            f"--storage-addr={HOST}:{PORTS['source-storage']}",
            f"--storage-adv-addr={HOST}:{PORTS['source-storage']}",
        ],
        "kustomize-controller": [events],
        "helm-controller": [events],
        "notification-controller": [
            f"--events-addr={HOST}:{PORTS['notification-events']}",
            f"--receiverAddr={HOST}:{PORTS['notification-receiver']}",
        ],
    }
    return [
        "--log-encoding=json",
        "--log-level=info",
        f"--metrics-addr={HOST}:{PORTS[c + '-metrics']}",
        f"--health-addr={HOST}:{PORTS[c + '-health']}",
        *extra[c],
    ]


def start_controllers() -> None:
    env = {
        "KUBECONFIG": str(admin_kubeconfig()),
        "RUNTIME_NAMESPACE": "flux-system",
        "HOME": str(state("home")),
        "TMPDIR": str(state("tmp")),
    }
    for c in CONTROLLERS:
        spawn(c, [binary(c), *_flags(c)], env=env, cri_log=state("logs", f"{c}.log"))
    for c in CONTROLLERS:
        wait_for(c, lambda c=c: http_ok(f"http://{HOST}:{PORTS[c + '-health']}/readyz"), 120, proc_names=[c])
