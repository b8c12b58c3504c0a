"""Flux itself: the CRDs, Deployments that make `flux check`/`version`/`logs` work, and the controllers and
the Flux Operator run as local processes against the admin kubeconfig."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from .kube import apply_objs, get_json, http_ok, kubectl
from .kwok import NODE
from .layout import BUILD, HERE, HOST, PORTS, admin_kubeconfig, binary, state
from .processes import die, log, spawn, wait_for
from .versions import CONTROLLERS, FLUX, OPERATOR, WORKLOADS

FLUX_LABELS = {"app.kubernetes.io/part-of": "flux", "app.kubernetes.io/instance": "flux-system"}
OPERATOR_LABELS = {"app.kubernetes.io/name": OPERATOR}


def _apply_crds(components: list[str], labels: list[str]) -> list[str]:
    files = []
    for c in components:
        found = sorted((BUILD / "crds" / c).glob("*.yaml"))
        if not found:
            die(f"no CRDs in {BUILD / 'crds' / c} (run build)")
        files += found
    args = ["apply", "--server-side", "--field-manager=fluxtools-lab", "-o", "name"]
    for f in files:
        args += ["-f", str(f)]
    names = [line.split("/", 1)[1] for line in kubectl(*args).stdout.split() if "/" in line]
    kubectl("label", "--overwrite", "crd", *names, *labels)
    return names


def install_crds() -> None:
    """Apply the CRDs copied from the modules at build time: Flux's labelled as `flux install` does, the
    operator's as its own installation labels them."""
    flux_labels = [f"{k}={v}" for k, v in FLUX_LABELS.items()] + [f"app.kubernetes.io/version={FLUX}"]
    names = _apply_crds(list(CONTROLLERS), flux_labels)
    operator = _apply_crds([OPERATOR], [f"{k}={v}" for k, v in OPERATOR_LABELS.items()])
    kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd", *names, *operator)
    log(f"{len(names)} Flux CRDs and {len(operator)} Flux Operator CRDs applied and labelled")


def _image(c: str, version: str) -> str:
    return f"ghcr.io/controlplaneio-fluxcd/{c}:{version}" if c == OPERATOR else f"ghcr.io/fluxcd/{c}:{version}"


def _labels(c: str) -> dict[str, str]:
    """The operator is not part of the Flux distribution it manages (`flux check` does not count it)."""
    return dict(OPERATOR_LABELS) if c == OPERATOR else {**FLUX_LABELS, "app.kubernetes.io/component": c}


def _pod_spec(c: str, version: str) -> dict[str, Any]:
    container = {
        "name": c,
        "image": _image(c, version),
        "args": ["--log-encoding=json"],
        "ports": [{"name": "http-prom", "containerPort": 8080}],
    }
    return {"nodeName": NODE, "containers": [container]}


def _deployment(c: str, version: str) -> dict[str, Any]:
    common = _labels(c)
    labels = {**common, "control-plane": "controller", "app.kubernetes.io/version": FLUX if c != OPERATOR else version}
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
    labels = {**_labels(c), "app": c}
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
    objs = [_deployment(c, v) for c, v in WORKLOADS.items()]
    if not with_kcm:
        objs += [_bare_pod(c, v) for c, v in WORKLOADS.items()]
    apply_objs(objs, "flux-deployments")
    if not with_kcm:
        for c in WORKLOADS:
            _mark_available(c)

    def ready() -> bool:
        for c in WORKLOADS:
            d = get_json("deployment", c, "-n", "flux-system") or {}
            st = d.get("status", {})
            if st.get("availableReplicas") != 1 or st.get("observedGeneration") != d["metadata"]["generation"]:
                return False
        pods = get_json("pods", "-n", "flux-system") or {"items": []}
        running = [x for x in pods["items"] if x.get("status", {}).get("phase") == "Running"]
        return len(running) >= len(WORKLOADS)

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
        # ExternalArtifact sources (what source-watcher's ArtifactGenerators produce) are behind a feature gate
        "kustomize-controller": [events, "--feature-gates=ExternalArtifact=true"],
        "helm-controller": [events, "--feature-gates=ExternalArtifact=true"],
        "notification-controller": [
            f"--events-addr={HOST}:{PORTS['notification-events']}",
            f"--receiverAddr={HOST}:{PORTS['notification-receiver']}",
        ],
        "image-reflector-controller": [events, f"--storage-path={state('image-db')}"],
        "image-automation-controller": [events],
        "source-watcher": [
            events,
            f"--storage-path={state('generated')}",
            f"--storage-addr={HOST}:{PORTS['source-watcher-storage']}",
            f"--storage-adv-addr={HOST}:{PORTS['source-watcher-storage']}",
        ],
        OPERATOR: [
            f"--storage-path={state('operator')}",
            "--enable-leader-election=false",
            "--web-server-port=0",  # the operator's web UI is not built (npm); nothing listens
        ],
    }
    return [
        "--log-encoding=json",
        "--log-level=info",
        f"--metrics-addr={HOST}:{PORTS[c + '-metrics']}",
        f"--health-addr={HOST}:{PORTS[c + '-health']}",
        *extra[c],
    ]


ELECTION = ["--enable-leader-election", "--leader-election-lease-duration=90s", "--leader-election-renew-deadline=80s"]
"""As the Flux Deployments run them: the leader renews its Lease `flux-system/<controller>-leader-election` every
5 s. The lease outlasts the pauses tests make (SIGSTOP, ~30 s), after which a leader past the default renew
deadline (30 s) would give up and exit."""


def _in_pod_namespace() -> list[str]:
    """The command prefix giving a controller the service-account namespace file leader election needs (see
    incluster.py); empty where no private mount namespace can be made."""
    prefix = ["unshare", "--mount", "--propagation", "private", "--"]
    if subprocess.run([*prefix, "true"], capture_output=True, check=False).returncode != 0:
        return []
    return [*prefix, sys.executable, str(HERE / "incluster.py"), "flux-system", "--"]


def start_controllers() -> None:
    env = {
        "KUBECONFIG": str(admin_kubeconfig()),
        "RUNTIME_NAMESPACE": "flux-system",
        "HOME": str(state("home")),
        "TMPDIR": str(state("tmp")),
    }
    in_pod = _in_pod_namespace()
    if not in_pod:
        log("no private mount namespace here (unshare --mount failed): the controllers run without leader election")
    for c in WORKLOADS:
        cmd = [binary(c), *_flags(c)]
        if in_pod and c != OPERATOR:  # the operator runs alone, with --enable-leader-election=false
            cmd = [*in_pod, *cmd, *ELECTION]
        spawn(c, cmd, env=env, cri_log=state("logs", f"{c}.log"))
    for c in WORKLOADS:
        wait_for(c, lambda c=c: http_ok(f"http://{HOST}:{PORTS[c + '-health']}/readyz"), 120, proc_names=[c])
