"""The control plane: etcd, two kube-apiservers on one etcd (with and without Flux), kube-controller-manager."""

from __future__ import annotations

from .kube import http_ok
from .layout import HOST, PORTS, admin_kubeconfig, binary, pki, state
from .processes import spawn, wait_for


def start_etcd() -> None:
    client = f"http://{HOST}:{PORTS['etcd-client']}"
    peer = f"http://{HOST}:{PORTS['etcd-peer']}"
    spawn(
        "etcd",
        [
            binary("etcd"),
            "--name=lab",
            f"--data-dir={state('etcd')}",
            f"--listen-client-urls={client}",
            f"--advertise-client-urls={client}",
            f"--listen-peer-urls={peer}",
            f"--initial-advertise-peer-urls={peer}",
            f"--initial-cluster=lab={peer}",
            "--listen-metrics-urls=",
            "--log-level=warn",
            f"--quota-backend-bytes={2 * 1024**3}",
        ],
    )
    wait_for("etcd", lambda: http_ok(client + "/health"), 60, proc_names=["etcd"])


def start_apiserver(name: str, port: int, prefix: str) -> None:
    spawn(
        name,
        [
            binary("kube-apiserver"),
            f"--etcd-servers=http://{HOST}:{PORTS['etcd-client']}",
            f"--etcd-prefix={prefix}",
            f"--bind-address={HOST}",
            f"--advertise-address={HOST}",
            f"--secure-port={port}",
            f"--tls-cert-file={pki('apiserver.crt')}",
            f"--tls-private-key-file={pki('apiserver.key')}",
            f"--client-ca-file={pki('ca.crt')}",
            f"--token-auth-file={pki('tokens.csv')}",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            f"--service-account-key-file={pki('sa.pub')}",
            f"--service-account-signing-key-file={pki('sa.key')}",
            "--service-cluster-ip-range=10.96.0.0/16",
            "--authorization-mode=RBAC",
            "--allow-privileged=true",
            "--kubelet-preferred-address-types=InternalIP,Hostname",
            "--disable-admission-plugins=ServiceAccount",
            "--profiling=false",
            "--endpoint-reconciler-type=none",
            "--v=1",
        ],
    )


def start_kcm() -> None:
    """kube-controller-manager with only what the lab needs: Deployment -> ReplicaSet -> Pod, GC, namespaces."""
    kc = str(admin_kubeconfig())
    spawn(
        "kube-controller-manager",
        [
            binary("kube-controller-manager"),
            f"--kubeconfig={kc}",
            f"--authentication-kubeconfig={kc}",
            f"--authorization-kubeconfig={kc}",
            "--leader-elect=false",
            f"--bind-address={HOST}",
            f"--secure-port={PORTS['kube-controller-manager']}",
            f"--service-account-private-key-file={pki('sa.key')}",
            f"--root-ca-file={pki('ca.crt')}",
            f"--cluster-signing-cert-file={pki('ca.crt')}",
            f"--cluster-signing-key-file={pki('ca.key')}",
            "--use-service-account-credentials=false",
            "--controllers=deployment-controller,replicaset-controller,garbage-collector-controller,"
            "namespace-controller,serviceaccount-controller,pod-garbage-collector-controller",
            "--v=1",
        ],
    )
