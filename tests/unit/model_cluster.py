"""A synthetic, stateful stand-in for flux/kubectl over a few Kustomizations and HelmReleases.

It answers the argv shapes the tools send (get one object, list through `--raw`,
`flux suspend|resume|reconcile`) from an in-memory model, so tests can drive
reads and mutations in any order and interleaving. A read takes its snapshot
when it starts and answers only after yielding to the event loop a few times,
so a mutation can complete while a read is in flight (as on a real cluster).
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Mapping, Sequence
from typing import Any

from fluxtools._process.runners import CommandResult, StdoutSink, VirtualClock, delivered

GROUPS = {"kustomizations": "Kustomization", "helmreleases": "HelmRelease"}


def flux_object(kind: str, namespace: str, name: str, **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "synthetic/v1",
        "kind": kind,
        "metadata": {"name": name, "namespace": namespace, "generation": 1, "annotations": {}},
        "spec": {"suspend": False, "interval": "10m", **spec},
        "status": {
            "conditions": [
                {"type": "Ready", "status": "True", "reason": "Succeeded", "message": "ok", "observedGeneration": 1}
            ],
            "lastAppliedRevision": "main@sha1:0",
        },
    }


class ModelCluster(VirtualClock):
    """Runner protocol over the model; `hold` makes every command yield that many times first."""

    def __init__(self, objects: list[dict[str, Any]], *, hold: int = 3) -> None:
        self.objects = {self.key(o["kind"], o["metadata"]["namespace"], o["metadata"]["name"]): o for o in objects}
        self.hold = hold
        self.slow_reads: list[int] = []
        """Extra yields for the next reads, in order: a slow read can outlast a whole mutation."""
        self.calls: list[list[str]] = []
        self.requests = 0
        self.blocked_cli = False
        """When set, `flux reconcile` never returns on its own (the CLI waits its whole timeout)."""

    @staticmethod
    def key(kind: str, namespace: str, name: str) -> tuple[str, str, str]:
        return kind, namespace, name

    def find(self, noun: str, namespace: str, name: str) -> dict[str, Any] | None:
        kind = GROUPS.get(noun.split(".", 1)[0]) or {
            "kustomization": "Kustomization",
            "helmrelease": "HelmRelease",
        }.get(noun)
        return self.objects.get(self.key(kind or "", namespace, name))

    async def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float,
        env: Mapping[str, str] | None = None,
        stdin: str | None = None,
        on_stdout: StdoutSink | None = None,
    ) -> CommandResult:
        call = list(argv)
        self.calls.append(call)
        answer = self.answer(call)  # the state as the command found it
        if call[:2] == ["flux", "reconcile"] and self.blocked_cli:
            await asyncio.Event().wait()
        extra = self.slow_reads.pop(0) if self.slow_reads and call[1] == "get" else 0
        for _ in range(self.hold + extra):
            await asyncio.sleep(0)
        return delivered(CommandResult(call, *answer), on_stdout)

    def answer(self, argv: list[str]) -> tuple[int, str, str]:
        if argv[:3] == ["kubectl", "get", "--raw"]:
            plural = argv[3].rsplit("/", 1)[-1]
            namespace = argv[3].split("/namespaces/")[1].split("/")[0] if "/namespaces/" in argv[3] else None
            items = [
                copy.deepcopy(o)
                for (kind, ns, _), o in sorted(self.objects.items())
                if kind == GROUPS[plural] and namespace in (None, ns)
            ]
            return 0, json.dumps({"kind": "List", "items": items}), ""
        if argv[:2] == ["kubectl", "get"]:
            noun, name, namespace = argv[2], argv[3], argv[5]
            obj = self.find(noun, namespace, name)
            if obj is None:
                return 1, "", f'Error from server (NotFound): {noun} "{name}" not found'
            return 0, json.dumps(obj), ""
        if argv[0] == "flux" and argv[1] in ("suspend", "resume", "reconcile"):
            return self.mutate(argv[1], argv[2], argv[3], argv[argv.index("-n") + 1])
        return 1, "", f"error: unexpected command {argv!r}"

    def mutate(self, verb: str, noun: str, name: str, namespace: str) -> tuple[int, str, str]:
        obj = self.find(noun, namespace, name)
        if obj is None:
            return 1, "", f"✗ {noun} '{name}' not found"
        meta, status = obj["metadata"], obj["status"]
        if verb in ("suspend", "resume"):
            obj["spec"]["suspend"] = verb == "suspend"
            meta["generation"] += 1
            status["conditions"][0]["observedGeneration"] = meta["generation"]
            return 0, "", f"► {verb}ing {noun} {name}\n✔ done\n"
        self.requests += 1
        stamp = f"2026-01-01T00:00:{self.requests:02d}Z"
        meta["annotations"]["reconcile.fluxcd.io/requestedAt"] = stamp
        status["lastHandledReconcileAt"] = stamp
        status["lastAppliedRevision"] = f"main@sha1:{self.requests}"
        return 0, "", f"► annotating {noun} {name}\n✔ applied revision main@sha1:{self.requests}\n"
