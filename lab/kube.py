"""Talking to the lab's cluster as admin: kubectl, server-side apply, readiness over HTTP(S)."""

from __future__ import annotations

import json
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from .layout import HOST, admin_kubeconfig, binary, pki, state
from .processes import BASE_ENV, die


def kubectl(
    *args: str, check: bool = True, input: str | None = None, kubeconfig: Any = None
) -> subprocess.CompletedProcess:
    cmd = [binary("kubectl"), "--kubeconfig", str(kubeconfig or admin_kubeconfig()), *args]
    result = subprocess.run(cmd, input=input, text=True, env=BASE_ENV, capture_output=True)
    if check and result.returncode != 0:
        die(f"kubectl {' '.join(args)} failed: {result.stderr.strip()}")
    return result


def apply_objs(objs: list[dict[str, Any]], what: str) -> None:
    """Server-side apply a list of objects; the manifest is kept in state/manifests/<what>.json."""
    doc = json.dumps({"apiVersion": "v1", "kind": "List", "items": objs}, indent=1)
    path = state("manifests", f"{what}.json")
    path.write_text(doc)
    kubectl("apply", "--server-side", "--field-manager=fluxtools-lab", "-f", str(path))


def get_json(*args: str) -> dict[str, Any] | None:
    result = kubectl("get", *args, "-o", "json", check=False)
    return json.loads(result.stdout) if result.returncode == 0 else None


def ready_cond(obj: dict[str, Any]) -> dict[str, Any] | None:
    for cond in obj.get("status", {}).get("conditions", []) or []:
        if cond["type"] == "Ready":
            return cond
    return None


def ssl_ctx() -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(pki("ca.crt")))
    ctx.load_cert_chain(str(pki("admin.crt")), str(pki("admin.key")))
    return ctx


def http_ok(url: str, ctx: ssl.SSLContext | None = None, timeout: float = 3) -> bool:
    try:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=ctx))
        with opener.open(url, timeout=timeout) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError, ssl.SSLError):
        return False


def apiserver_ready(port: int) -> Callable[[], bool]:
    return lambda: http_ok(f"https://{HOST}:{port}/readyz", ssl_ctx())


def port_free(port: int) -> bool:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
        return True
    except OSError:
        return False
    finally:
        sock.close()


def _condition(obj: dict[str, Any], kind: str) -> str | None:
    for cond in obj.get("status", {}).get("conditions", []) or []:
        if cond.get("type") == kind:
            return cond.get("status")
    return None


def delete_namespaces(selector: str, timeout: float) -> None:
    """Delete the namespaces `selector` picks and wait until they are gone.

    While an aggregated API is unavailable (the lab's metrics.k8s.io, see noise.py) the namespace controller
    deletes their content but cannot finish: it needs the discovery of every API group. Once it reports no content
    and no finalizers left, the namespace is finalized through its `finalize` subresource, as an administrator would.
    """
    kubectl("delete", "namespace", "-l", selector, "--wait=false")
    deadline = time.time() + timeout
    while time.time() < deadline:
        left = (get_json("namespaces", "-l", selector) or {"items": []})["items"]
        if not left:
            return
        for ns in left:
            emptied = all(
                _condition(ns, c) == "False" for c in ("NamespaceContentRemaining", "NamespaceFinalizersRemaining")
            )
            if emptied and _condition(ns, "NamespaceDeletionDiscoveryFailure") == "True":
                ns["spec"]["finalizers"] = []
                name = ns["metadata"]["name"]
                kubectl("replace", "--raw", f"/api/v1/namespaces/{name}/finalize", "-f", "-", input=json.dumps(ns))
        time.sleep(1)
    die(f"namespaces {selector} still present after {timeout:.0f}s")
