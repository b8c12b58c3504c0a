"""The lab's kubeconfigs: admin-only for its own processes, and one with every context for users and tests.

Contexts: `lab` (admin), `lab-restricted` (jane, partial RBAC in team-a), `lab-noflux` (a cluster without
Flux), `lab-unreachable` (a closed port), the credential contexts of `noise.py` (`lab-sso`, `lab-sso-slow`,
`lab-sso-expired`, `lab-token-rejected`) and `lab-alias-01..N` (the lab again under other names, for fleets).
Also a garbled kubeconfig, a path where no kubeconfig exists and a home without `.kube`.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

from . import noise
from .layout import CLOSED_PORT, HOST, PORTS, admin_kubeconfig, kubeconfig, pki, state

ALIAS_PREFIX = "lab-alias-"
FIXED_CONTEXTS = ("lab", "lab-restricted", "lab-noflux", "lab-unreachable", *noise.CREDENTIAL_CONTEXTS)


def alias_names(count: int) -> list[str]:
    return [f"{ALIAS_PREFIX}{i:02d}" for i in range(1, count + 1)]


def missing_kubeconfig() -> Path:
    """A path where no kubeconfig exists (its directory does not exist either)."""
    return state("nowhere", "kubeconfig")


def empty_home() -> Path:
    """A home directory without `.kube`."""
    return state("empty-home")


def _b64(path: Path) -> str:
    return base64.b64encode(path.read_bytes()).decode()


def _cluster(name: str, port: int, ca: str) -> str:
    server = json.dumps(f"https://{HOST}:{port}")
    return f"- name: {name}\n  cluster:\n    server: {server}\n    certificate-authority-data: {ca}\n"


def _context(name: str, cluster: str, user: str, namespace: str | None = None) -> str:
    ns = f", namespace: {namespace}" if namespace else ""
    return f"- name: {name}\n  context: {{cluster: {cluster}, user: {user}{ns}}}\n"


def _admin_user() -> str:
    crt, key = _b64(pki("admin.crt")), _b64(pki("admin.key"))
    return f"- name: lab-admin\n  user:\n    client-certificate-data: {crt}\n    client-key-data: {key}\n"


def _write(path: Path, clusters: str, users: str, contexts: str) -> None:
    text = (
        f"apiVersion: v1\nkind: Config\nclusters:\n{clusters}users:\n{users}contexts:\n{contexts}"
        "current-context: lab\npreferences: {}\n"
    )
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    os.chmod(tmp, 0o600)
    tmp.replace(path)


def jane_token() -> str:
    return pki("tokens.csv").read_text().split(",", 1)[0]


def write_kubeconfigs(aliases: int = 0) -> None:
    """(Re)write the admin kubeconfig, the users' kubeconfig with `aliases` alias contexts, the garbled one."""
    ca = _b64(pki("ca.crt"))
    admin = _admin_user()
    _write(admin_kubeconfig(), _cluster("lab", PORTS["apiserver"], ca), admin, _context("lab", "lab", "lab-admin"))
    clusters = (
        _cluster("lab", PORTS["apiserver"], ca)
        + _cluster("lab-noflux", PORTS["apiserver-noflux"], ca)
        + _cluster("lab-unreachable", CLOSED_PORT, ca)
    )
    users = admin + f"- name: jane\n  user:\n    token: {json.dumps(jane_token())}\n" + noise.kubeconfig_users()
    contexts = (
        _context("lab", "lab", "lab-admin")
        + _context("lab-restricted", "lab", "jane", "team-a")
        + _context("lab-noflux", "lab-noflux", "lab-admin")
        + _context("lab-unreachable", "lab-unreachable", "lab-admin")
        + "".join(_context(name, "lab", name) for name in noise.CREDENTIAL_CONTEXTS)
        + "".join(_context(name, "lab", "lab-admin") for name in alias_names(aliases))
    )
    _write(kubeconfig(), clusters, users, contexts)
    credential_contexts = "".join(_context(name, "lab", name) for name in noise.CREDENTIAL_CONTEXTS)
    _write(noise.kubeconfig(), _cluster("lab", PORTS["apiserver"], ca), noise.kubeconfig_users(), credential_contexts)
    state("garbled.kubeconfig").write_text(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: lab\n  cluster: {server: [unclosed\n"
        "  users: : : -\n\t- broken: 'yaml\n"
    )
    empty_home().mkdir(parents=True, exist_ok=True)


def write_alias_kubeconfig(path: Path, count: int) -> Path:
    """A kubeconfig naming only `count` aliases of the lab (cluster lab, user lab-admin), without credentials.

    Listed after the lab's kubeconfig in KUBECONFIG (`lab:aliases`), it adds the aliases for one process
    and leaves the lab's own kubeconfig, which other users of the lab read, as it is.
    """
    contexts = "".join(_context(name, "lab", "lab-admin") for name in alias_names(count))
    path.write_text(f"apiVersion: v1\nkind: Config\ncontexts:\n{contexts}")
    return path


def contexts(aliases: int = 0) -> dict[str, dict[str, Any]]:
    """What each context of the users' kubeconfig reaches, as `lab.json` lists it."""
    api = f"https://{HOST}:{PORTS['apiserver']}"
    described: dict[str, dict[str, Any]] = {
        "lab": {"server": api, "user": "admin (client cert, system:masters)"},
        "lab-restricted": {
            "server": api,
            "user": "jane (static token)",
            "allowed": "get/list/watch source, kustomize and notification objects in namespace team-a; "
            "HelmReleases and events are forbidden",
        },
        "lab-noflux": {
            "server": f"https://{HOST}:{PORTS['apiserver-noflux']}",
            "user": "admin",
            "note": "second kube-apiserver, etcd prefix /registry-noflux, no Flux CRDs",
        },
        "lab-unreachable": {"server": f"https://{HOST}:{CLOSED_PORT}", "note": "closed port"},
        **noise.described_contexts(api),
    }
    for name in alias_names(aliases):
        described[name] = {"server": api, "user": "admin", "note": "alias of lab"}
    return described
