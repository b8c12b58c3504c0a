"""A tiny in-memory Flux cluster answering kubectl/flux argv, for unit tests on ScriptedRunner."""

from __future__ import annotations

import json
from typing import Any

from fluxtools.testing import ScriptedRunner

NOT_FOUND = 'Error from server (NotFound): {resource} "{name}" not found'


def ready_condition(ready: str, message: str) -> dict[str, Any]:
    return {"type": "Ready", "status": ready, "reason": "Test", "message": message, "observedGeneration": 1}


def kustomization(name: str, ready: str = "True", message: str = "Applied revision: main@sha1:1a2b") -> dict[str, Any]:
    return {
        "kind": "Kustomization",
        "metadata": {"name": name, "namespace": "flux-system", "generation": 1, "annotations": {}},
        "spec": {"path": f"./{name}", "interval": "5m", "sourceRef": {"kind": "GitRepository", "name": "flux-system"}},
        "status": {
            "lastAppliedRevision": "main@sha1:1a2b3c",
            "conditions": [ready_condition(ready, message)],
        },
    }


def helmrelease(name: str, ready: str = "True", message: str = "Helm install succeeded") -> dict[str, Any]:
    return {
        "kind": "HelmRelease",
        "metadata": {"name": name, "namespace": "apps", "generation": 1},
        "spec": {"chart": {"spec": {"chart": "podinfo", "version": "6.5.0"}}},
        "status": {"conditions": [ready_condition(ready, message)]},
    }


class FakeCluster:
    """Objects by kind; `flux reconcile|suspend|resume` change them as the controllers would."""

    def __init__(self) -> None:
        self.objects: dict[str, dict[str, dict[str, Any]]] = {
            "kustomizations": {
                "apps": kustomization("apps"),
                "broken-path": kustomization("broken-path", "False", "kustomization path not found"),
            },
            "helmreleases": {
                "podinfo": helmrelease("podinfo"),
                "broken-install": helmrelease("broken-install", "False", "install retries exhausted"),
            },
        }
        self.runner = ScriptedRunner(self.reply)

    def reply(self, argv: list[str]) -> tuple[int, str, str]:
        if argv[:3] == ["kubectl", "get", "--raw"] and argv[3].rsplit("/", 1)[-1] in self.objects:
            return 0, json.dumps({"items": list(self.objects[argv[3].rsplit("/", 1)[-1]].values())}), ""
        if argv[:2] == ["kubectl", "get"] and argv[2].split(".")[0] in self.objects:
            table = self.objects[argv[2].split(".")[0]]
            if argv[3] in ("-A", "-n"):
                return 0, json.dumps({"items": list(table.values())}), ""
            if argv[3] not in table:
                return 1, "", NOT_FOUND.format(resource=argv[2], name=argv[3])
            return 0, json.dumps(table[argv[3]]), ""
        if argv[:3] == ["kubectl", "get", "events"]:
            return 0, json.dumps({"items": []}), ""
        if argv[:2] == ["kubectl", "logs"]:
            entry = {
                "level": "error",
                "ts": "2025-01-01T00:00:00Z",
                "msg": "Reconciliation failed",
                "error": "boom",
                "controllerKind": "Kustomization",
                "name": "broken-path",
                "namespace": "flux-system",
            }
            return 0, json.dumps(entry) + "\n", ""
        if argv[0] == "flux" and argv[1] in ("reconcile", "suspend", "resume"):
            obj = self.objects[argv[2] + "s"][argv[3]]
            if argv[1] == "reconcile":
                obj["metadata"].setdefault("annotations", {})["reconcile.fluxcd.io/requestedAt"] = "now"
                obj["status"]["lastHandledReconcileAt"] = "now"
            obj["spec"]["suspend"] = argv[1] == "suspend"
            return 0, "", "✔ done"
        return 1, "", f"unexpected command: {' '.join(argv)}"
