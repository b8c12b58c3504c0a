"""Where the lab lives: cache and state directories, binaries, the address and every port."""

from __future__ import annotations

import os
from pathlib import Path

from .versions import KEY

HERE = Path(__file__).resolve().parent
CACHE = Path(os.environ.get("FLUXTOOLS_LAB_CACHE", Path.home() / ".cache" / "fluxtools-lab")).expanduser()
BUILD = CACHE / KEY
BIN = BUILD / "bin"
STATE = Path(os.environ.get("FLUXTOOLS_LAB_STATE", CACHE / "state")).expanduser().resolve()
LOCK = STATE.parent / (STATE.name + ".lock")

HOST = "127.0.0.1"
PORTS = {
    "etcd-client": 26379,
    "etcd-peer": 26380,
    "apiserver": 26443,
    "apiserver-noflux": 26444,
    "unreachable": 26499,  # nothing listens here (lab-unreachable context, GitRepository closed-port)
    "kube-controller-manager": 26257,
    "kwok-kubelet": 26250,
    "git": 26418,
    "helm-repo": 26879,
    "source-storage": 26090,
    "notification-events": 26690,
    "notification-receiver": 26292,
    "registry": 26500,  # OCI registry (distribution), plain HTTP
    "webhook-sink": 26501,  # where the notification Providers post
    "source-watcher-storage": 26091,  # ExternalArtifact storage (--storage-adv-addr)
    "source-controller-metrics": 26180,
    "kustomize-controller-metrics": 26181,
    "helm-controller-metrics": 26182,
    "notification-controller-metrics": 26183,
    "source-controller-health": 26190,
    "kustomize-controller-health": 26191,
    "helm-controller-health": 26192,
    "notification-controller-health": 26193,
    "image-reflector-controller-metrics": 26184,
    "image-automation-controller-metrics": 26185,
    "source-watcher-metrics": 26186,
    "flux-operator-metrics": 26187,
    "image-reflector-controller-health": 26194,
    "image-automation-controller-health": 26195,
    "source-watcher-health": 26196,
    "flux-operator-health": 26197,
}
CLOSED_PORT = PORTS["unreachable"]


def state(*parts: str) -> Path:
    """A path inside the state directory (wiped and recreated by every `start`)."""
    return STATE.joinpath(*parts)


def pki(*parts: str) -> Path:
    return state("pki", *parts)


def admin_kubeconfig() -> Path:
    """The admin-only kubeconfig the lab's own processes use."""
    return pki("admin.kubeconfig")


def kubeconfig() -> Path:
    """The kubeconfig with every lab context, for users and tests."""
    return state("kubeconfig")


def binary(name: str) -> str:
    return str(BIN / name)


def lab_json() -> Path:
    explicit = os.environ.get("FLUXTOOLS_LAB_JSON")
    return Path(explicit) if explicit else state("lab.json")
