"""kwok: one fake node that makes the controllers' pods Running and serves their real logs as pod logs."""

from __future__ import annotations

from .kube import apply_objs, get_json
from .layout import BUILD, HOST, PORTS, admin_kubeconfig, binary, state
from .processes import die, spawn, wait_for
from .versions import WORKLOADS

NODE = "kwok-node-0"
STAGES = (
    "node/fast/node-initialize.yaml",
    "node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
    "pod/fast/pod-ready.yaml",
    "pod/fast/pod-complete.yaml",
    "pod/fast/pod-delete.yaml",
)


def write_config() -> None:
    """kwok's config: the stage files copied at build time, plus a ClusterLogs entry per controller."""
    docs = []
    for rel in STAGES:
        path = BUILD / "kwok-stages" / rel
        if not path.exists():
            die(f"kwok stage file missing: {path} (run build)")
        docs.append(path.read_text().strip().lstrip("-").strip())
    logs = "\n".join(
        f"  - containers: [{c}]\n    logsFile: {state('logs', c + '.log')}\n    follow: true" for c in WORKLOADS
    )
    docs.append(
        "kind: ClusterLogs\napiVersion: kwok.x-k8s.io/v1alpha1\nmetadata:\n"
        "  name: flux-controller-logs\nspec:\n  selector:\n    matchNamespaces: [flux-system]\n"
        f"  logs:\n{logs}"
    )
    state("kwok.yaml").write_text("\n---\n".join(docs) + "\n")


def node() -> dict:
    labels = {"kubernetes.io/hostname": NODE, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"}
    labels["type"] = "kwok"
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": NODE, "annotations": {"kwok.x-k8s.io/node": "fake"}, "labels": labels},
        "spec": {},
    }


def start_kwok() -> None:
    write_config()
    apply_objs([node()], "node")
    spawn(
        "kwok",
        [
            binary("kwok"),
            f"--kubeconfig={admin_kubeconfig()}",
            "--manage-all-nodes=false",
            "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
            f"--node-ip={HOST}",
            f"--node-port={PORTS['kwok-kubelet']}",
            f"--server-address={HOST}:{PORTS['kwok-kubelet']}",
            "--cidr=10.244.0.0/16",
            f"--config={state('kwok.yaml')}",
            "--v=INFO",
        ],
    )

    def node_ready() -> bool:
        conds = (get_json("node", NODE) or {}).get("status", {}).get("conditions", [])
        return any(c["type"] == "Ready" and c["status"] == "True" for c in conds)

    wait_for(f"kwok node {NODE}", node_ready, 60, 1, proc_names=["kwok"])
