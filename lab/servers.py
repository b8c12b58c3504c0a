"""The Git smart-HTTP server and the Helm chart repository, each a local process."""

from __future__ import annotations

import sys

from .content import GIT_URL, HELM_REPO_URL
from .kube import http_ok
from .layout import HERE, HOST, PORTS, state
from .processes import spawn, wait_for


def start_servers() -> None:
    git = [sys.executable, str(HERE / "gitserver.py"), "--root", str(state("git", "repos"))]
    spawn("git-server", [*git, "--port", str(PORTS["git"]), "--private", "private.git"])
    helm = [sys.executable, "-m", "http.server", str(PORTS["helm-repo"]), "--bind", HOST]
    spawn("helm-repo", [*helm, "--directory", str(state("charts"))])
    refs = f"{GIT_URL}/info/refs?service=git-upload-pack"
    wait_for("git server", lambda: http_ok(refs), 30, proc_names=["git-server"])
    wait_for("helm repo", lambda: http_ok(f"{HELM_REPO_URL}/index.yaml"), 30, proc_names=["helm-repo"])
