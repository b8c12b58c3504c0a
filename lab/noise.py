"""What real clusters carry besides their workloads, so the live tier meets it on every run.

- Credentials: an exec credential plugin (a small Python script the lab writes, run without a shell) behind three
  users: one that answers, one that answers after `SLOW_SECONDS`, one that fails like an expired SSO login (a
  message on stderr, exit 255); and a user whose static token the API server does not know (401 Unauthorized).
  The plugin's token belongs to `lab-sso-user` (group `system:masters`) in the API server's token file.
- An aggregated API registered but unavailable: APIService `v1beta1.metrics.k8s.io` backed by a Service without
  endpoints, as when metrics-server is down (the API server's aggregated discovery lists it `Stale`; the lab's
  kubectl and flux read past it without a word, see lab/README.md).
- A validating admission webhook that cannot be reached (its URL is the lab's closed loopback port), scoped by
  namespace and object selector to what is planted for it: the GitRepository `guarded/guarded-repo` (Ready;
  created with its finalizer, so the controller writes only its status). Changing that object (a reconcile request
  annotates it) is refused; nothing else is affected.
"""

from __future__ import annotations

import base64
import json
import os
import sys
from pathlib import Path
from typing import Any

from .content import GIT_URL
from .layout import CLOSED_PORT, HOST, pki, state
from .scenario import gitrepo, namespace

SLOW_SECONDS = 3
SSO_USER = "lab-sso-user"
EXPIRED_MESSAGE = "Error loading SSO Token: Token for lab-sso does not exist"
EXPIRED_EXIT = 255
CREDENTIAL_CONTEXTS = ("lab-sso", "lab-sso-slow", "lab-sso-expired", "lab-token-rejected")
METRICS_APISERVICE = "v1beta1.metrics.k8s.io"
GUARDED_NAMESPACE = "guarded"
GUARDED_NAME = "guarded-repo"
GUARD_LABEL = "lab.fluxtools.io/admission"
WEBHOOK = "guard.lab.fluxtools.io"
WEBHOOK_URL = f"https://{HOST}:{CLOSED_PORT}/validate"
FINALIZER = "finalizers.fluxcd.io"

PLUGIN = '''\
"""The lab's exec credential plugin: `answer TOKEN_FILE`, `slow TOKEN_FILE SECONDS`, or `expired`."""
import json
import sys
import time

mode = sys.argv[1]
if mode == "expired":
    sys.stderr.write(MESSAGE + "\\n")
    sys.exit(EXIT)
if mode == "slow":
    time.sleep(float(sys.argv[3]))
with open(sys.argv[2]) as token_file:
    token = token_file.read().strip()
credential = {"token": token}
print(json.dumps({"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential", "status": credential}))
'''


def kubeconfig() -> Path:
    """A kubeconfig with only the credential contexts (also in the lab's kubeconfig), which no alias rewrite touches."""
    return state("noise.kubeconfig")


def plugin_path() -> Path:
    return state("plugins", "credential_plugin.py")


def sso_token_path() -> Path:
    return pki("sso.token")


def rejected_token_path() -> Path:
    return pki("rejected.token")


def _token() -> str:
    return base64.b32encode(os.urandom(20)).decode().lower().rstrip("=")


def make_credentials() -> None:
    """The plugin script, the SSO user's token (added to the API server's token file) and a token nobody knows."""
    plugin_path().parent.mkdir(parents=True, exist_ok=True)
    script = PLUGIN.replace("MESSAGE", repr(EXPIRED_MESSAGE)).replace("EXIT", str(EXPIRED_EXIT))
    plugin_path().write_text(script)
    token = _token()
    sso_token_path().write_text(token + "\n")
    os.chmod(sso_token_path(), 0o600)
    with pki("tokens.csv").open("a") as tokens:
        tokens.write(f'{token},{SSO_USER},1002,"system:masters"\n')
    rejected_token_path().write_text(_token() + "\n")
    os.chmod(rejected_token_path(), 0o600)


def rejected_token() -> str:
    return rejected_token_path().read_text().strip()


def _exec_user(name: str, *args: str) -> str:
    argv = json.dumps([str(plugin_path()), *args])
    return (
        f"- name: {name}\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
        f"      command: {json.dumps(sys.executable)}\n      args: {argv}\n      interactiveMode: Never\n"
    )


def kubeconfig_users() -> str:
    """The kubeconfig users of the credential contexts (in the order of `CREDENTIAL_CONTEXTS`)."""
    token = str(sso_token_path())
    return (
        _exec_user("lab-sso", "answer", token)
        + _exec_user("lab-sso-slow", "slow", token, str(SLOW_SECONDS))
        + _exec_user("lab-sso-expired", "expired")
        + f"- name: lab-token-rejected\n  user:\n    token: {json.dumps(rejected_token())}\n"
    )


def described_contexts(server: str) -> dict[str, dict[str, Any]]:
    """What each credential context is, as `lab.json` lists it."""
    plugin = "exec credential plugin (lab/noise.py)"
    return {
        "lab-sso": {"server": server, "user": f"{SSO_USER} through an {plugin} that answers"},
        "lab-sso-slow": {"server": server, "user": f"{SSO_USER} through an {plugin} answering after {SLOW_SECONDS}s"},
        "lab-sso-expired": {
            "server": server,
            "user": f"an {plugin} failing like an expired SSO login",
            "note": f"plugin stderr {EXPIRED_MESSAGE!r}, exit {EXPIRED_EXIT}",
        },
        "lab-token-rejected": {"server": server, "user": "a static token the API server does not know (401)"},
    }


def described() -> dict[str, Any]:
    """The noise as `lab.json` lists it (`noise`)."""
    return {
        "kubeconfig": str(kubeconfig()),
        "credential_contexts": list(CREDENTIAL_CONTEXTS),
        "expired_message": EXPIRED_MESSAGE,
        "expired_exit": EXPIRED_EXIT,
        "slow_seconds": SLOW_SECONDS,
        "unavailable_apiservice": METRICS_APISERVICE,
        "webhook": WEBHOOK,
        "webhook_url": WEBHOOK_URL,
        "guarded": {"kind": "GitRepository", "namespace": GUARDED_NAMESPACE, "name": GUARDED_NAME},
    }


def objs() -> list[dict[str, Any]]:
    """The guarded object and its webhook, and the unavailable aggregated API (applied in this order)."""
    guarded_ns = namespace(GUARDED_NAMESPACE)
    guarded_ns["metadata"]["labels"] = {GUARD_LABEL: "guarded"}
    guarded = gitrepo(GUARDED_NAME, GUARDED_NAMESPACE, GIT_URL)
    guarded["metadata"].update(labels={GUARD_LABEL: "guarded"}, finalizers=[FINALIZER])
    selector = {"matchLabels": {GUARD_LABEL: "guarded"}}
    webhook = {
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingWebhookConfiguration",
        "metadata": {"name": "lab-guard"},
        "webhooks": [
            {
                "name": WEBHOOK,
                "clientConfig": {"url": WEBHOOK_URL},
                "rules": [
                    {
                        "apiGroups": ["source.toolkit.fluxcd.io"],
                        "apiVersions": ["*"],
                        "operations": ["UPDATE"],
                        "resources": ["gitrepositories"],
                        "scope": "Namespaced",
                    }
                ],
                "namespaceSelector": selector,
                "objectSelector": selector,
                "failurePolicy": "Fail",
                "sideEffects": "None",
                "admissionReviewVersions": ["v1"],
                "timeoutSeconds": 5,
            }
        ],
    }
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "metrics-server", "namespace": "kube-system"},
        "spec": {"ports": [{"name": "https", "port": 443, "targetPort": 10250}]},  # no selector, no endpoints
    }
    apiservice = {
        "apiVersion": "apiregistration.k8s.io/v1",
        "kind": "APIService",
        "metadata": {"name": METRICS_APISERVICE},
        "spec": {
            "group": "metrics.k8s.io",
            "version": "v1beta1",
            "service": {"name": "metrics-server", "namespace": "kube-system", "port": 443},
            "groupPriorityMinimum": 100,
            "versionPriority": 100,
            "insecureSkipTLSVerify": True,
        },
    }
    return [guarded_ns, guarded, webhook, service, apiservice]
