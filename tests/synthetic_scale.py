"""A synthetic Flux cluster at scale, answered by a scripted runner (no process, no cluster).

The lab scenario's objects, warning events and controller logs come from the demo cluster's
recording; generated objects are added in namespace `scale`, shaped after the recorded ones:
suspended Kustomizations, Kustomizations failing with one shared cause (their path is not in
their source), and Kustomizations blocked on those through dependsOn.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import json
from dataclasses import dataclass, field
from typing import Any

from fluxtools._flux.kinds import ALL_KINDS, BY_KIND
from fluxtools.demo import demo_runner
from fluxtools.testing import ScriptedRunner
from lab.surface import SURFACE_EXPECT, surface_objs

Obj = dict[str, Any]
BASE_CAUSES = (
    ("Kustomization/flux-system/broken-build",),
    ("Kustomization/flux-system/broken-path",),
    ("GitRepository/flux-system/private-repo",),
    ("HelmRelease/apps/broken-install",),
    ("HelmRelease/apps/missing-version",),
    ("Kustomization/flux-system/stalled-config",),
    ("GitRepository/flux-system/closed-port",),
)
"""The lab scenario's designed failures (lab/README.md): one distinct cause each."""


def surface_causes() -> tuple[tuple[str, ...], ...]:
    """The failures `lab/surface.py` designs: each object it expects not Ready, and each Alert whose Provider it
    never creates."""
    failing = [(f"{kind}/{ns}/{name}",) for kind, ns, name, ready, *_ in SURFACE_EXPECT if ready == "False"]
    created = surface_objs()
    providers = {(o["metadata"]["namespace"], o["metadata"]["name"]) for o in created if o["kind"] == "Provider"}
    orphans = [
        (f"Alert/{o['metadata']['namespace']}/{o['metadata']['name']}",)
        for o in created
        if o["kind"] == "Alert" and (o["metadata"]["namespace"], o["spec"]["providerRef"]["name"]) not in providers
    ]
    return (*failing, *orphans)


SCENARIO_CAUSES = (*BASE_CAUSES, *surface_causes())
"""Every designed failure of the lab the demo recorded: one distinct cause each."""
SCALE_SCENARIO_CAUSES = tuple(cause for cause in SCENARIO_CAUSES if cause[0].split("/", 1)[0] in BY_KIND)
"""Those the synthetic cluster keeps: it takes the scenario's Kustomizations, HelmReleases and sources only."""
CONTROLLERS = ("source-controller", "kustomize-controller", "helm-controller")
NAMESPACE = "scale"


@functools.cache
def recorded_scenario() -> tuple[list[Obj], list[Obj], dict[str, str]]:
    """The demo recording's objects, warning events and controller logs (copy before changing them)."""
    runner = demo_runner()

    def _demo(argv: list[str]) -> str:
        return asyncio.run(runner.run(argv, timeout=10)).stdout

    resources = ",".join(kind.resource for kind in ALL_KINDS)
    objects = json.loads(_demo(["kubectl", "get", resources, "-A", "-o", "json"]))["items"]
    events = json.loads(_demo(["kubectl", "get", "events", "-A", "--field-selector", "type=Warning", "-o", "json"]))
    logs = {c: _demo(["kubectl", "logs", f"deployment/{c}", "-n", "flux-system", "--tail=500"]) for c in CONTROLLERS}
    return objects, events["items"], logs


def _named(template: Obj, name: str, **spec: Any) -> Obj:
    obj = copy.deepcopy(template)
    meta = obj["metadata"]
    meta.update(name=name, namespace=NAMESPACE, uid=f"synthetic-{name}")
    meta.pop("managedFields", None)
    obj["spec"] = {**obj["spec"], **spec}
    return obj


def _ready(obj: Obj, status: str, reason: str, message: str) -> Obj:
    for condition in obj["status"]["conditions"]:
        if condition["type"] == "Ready":
            condition.update(status=status, reason=reason, message=message)
    return obj


@dataclass
class ScaleCluster:
    objects: list[Obj]
    events: list[Obj]
    logs: dict[str, str]
    causes: list[tuple[str, ...]] = field(default_factory=list)
    """Each distinct cause present: the ids of the objects failing directly from it."""
    suspended: int = 0
    blocked: int = 0

    def runner(self) -> ScriptedRunner:
        return ScriptedRunner(self.reply)

    def reply(self, argv: list[str]) -> tuple[int, str, str]:
        if "logs" in argv:
            return 0, self.logs.get(argv[argv.index("logs") + 1].split("/", 1)[1], ""), ""
        if "--raw" in argv:
            return self._raw(argv[argv.index("--raw") + 1])
        what = argv[argv.index("get") + 1]
        namespace = argv[argv.index("-n") + 1] if "-n" in argv else None
        if what == "events":
            return 0, _list([e for e in self.events if _in(e, namespace)]), ""
        kinds = [k.kind for k in ALL_KINDS if k.resource in what.split(",")]
        chosen = [o for o in self.objects if o["kind"] in kinds and _in(o, namespace)]
        name = argv[argv.index("get") + 2]
        if not name.startswith("-"):
            found = [o for o in chosen if o["metadata"]["name"] == name]
            if not found:
                return 1, "", f'Error from server (NotFound): {what} "{name}" not found'
            return 0, json.dumps(found[0]), ""
        return 0, _list(chosen), ""

    def _raw(self, path: str) -> tuple[int, str, str]:
        parts = path.strip("/").split("/")
        namespace = parts[parts.index("namespaces") + 1] if "namespaces" in parts else None
        kind = next(k for k in ALL_KINDS if k.plural == parts[-1] and k.group == parts[1])
        return 0, _list([o for o in self.objects if o["kind"] == kind.kind and _in(o, namespace)]), ""


def _in(obj: Obj, namespace: str | None) -> bool:
    return namespace is None or obj["metadata"].get("namespace") == namespace


def _list(items: list[Obj]) -> str:
    return json.dumps({"apiVersion": "v1", "kind": "List", "items": items, "metadata": {}})


def scale_cluster(suspended: int = 1500, failing: int = 100, blocked: int = 50) -> ScaleCluster:
    """The scenario plus `suspended`, `failing` (one shared cause) and `blocked` (on the failing) objects."""
    objects, events, logs = copy.deepcopy(recorded_scenario())
    by_id = {f"{o['kind']}/{o['metadata']['namespace']}/{o['metadata']['name']}": o for o in objects}
    healthy = by_id["Kustomization/flux-system/apps"]
    broken = by_id["Kustomization/flux-system/broken-path"]
    dependent = by_id["Kustomization/flux-system/dependent-app"]
    repository = copy.deepcopy(by_id["GitRepository/flux-system/flux-system"])
    repository["metadata"].update(name="scale-repo", namespace=NAMESPACE)
    source = {"kind": "GitRepository", "name": "scale-repo"}
    added = [repository]
    added += [_named(healthy, f"idle-{i:05d}", suspend=True, sourceRef=source) for i in range(suspended)]
    for i in range(failing):
        obj = _named(broken, f"bad-{i:05d}", path=f"./bad/{i:05d}", sourceRef=source)
        tmp = f"/tmp/kustomization-{1000 + i * 7919 % 9000}"
        added.append(
            _ready(
                obj,
                "False",
                "ArtifactFailed",
                f"kustomization path not found: stat {tmp}/bad/{i:05d}: no such file or directory",
            )
        )
        event = copy.deepcopy(next(e for e in events if e["involvedObject"]["name"] == "broken-path"))
        event["involvedObject"].update(name=obj["metadata"]["name"], namespace=NAMESPACE)
        event["metadata"].update(name=f"bad-{i:05d}.synthetic", namespace=NAMESPACE)
        event["message"] = obj["status"]["conditions"][-1]["message"]
        events.append(event)
    for i in range(blocked):
        target = f"bad-{i % max(failing, 1):05d}"
        obj = _named(dependent, f"dep-{i:05d}", dependsOn=[{"name": target}], sourceRef=source)
        added.append(_ready(obj, "False", "DependencyNotReady", f"dependency '{NAMESPACE}/{target}' is not ready"))
    causes = list(SCALE_SCENARIO_CAUSES)
    if failing:
        causes.append(tuple(f"Kustomization/{NAMESPACE}/bad-{i:05d}" for i in range(failing)))
    assert all(kind in BY_KIND for kind in {o["kind"] for o in added})
    return ScaleCluster(objects + added, events, logs, causes, suspended=suspended + 1, blocked=blocked + 1)


def sized(total: int) -> ScaleCluster:
    """About `total` objects: a sixteenth failing, a thirty-second blocked, the rest suspended."""
    base = len(recorded_scenario()[0]) + 1
    failing, blocked = total // 16, total // 32
    return scale_cluster(suspended=max(total - base - failing - blocked, 0), failing=failing, blocked=blocked)
