"""Record the embedded demo cluster from the running lab: `python -m scripts.record_demo`.

First the baseline: the fleet reads in every context of the lab's kubeconfig
(with three aliases of the lab added for the recording, then removed; without
the credential-noise contexts, which the client-noise cassettes cover), every
read on the scenario as it is (`matrix`), the controllers' logs last.
Then each mutation from each state it can start in,
each followed by a read of the object (the state the demo applies after it)
and, for suspend and resume, the reads that show suspension. The header notes
which interactions are which; the lab ends as suspended as it began. A
baseline read made again by a later call is kept once (the demo answers every
one with the first).

Run it right after `labctl start` (nothing planted since): the baseline is read
in the first minutes, while team-b/slow-health is still in its first 5 minute
health check, and every `-A` read holds the scenario only.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
from typing import Any

import yaml

from fluxtools import FluxConfig, FluxTools, SubprocessRunner
from fluxtools._process.clients import Clients
from fluxtools.cassettes import RECORDER_VERSION, Cassette, CassetteRunner, Redactor
from fluxtools.demo import demo_path
from fluxtools.demo.recording import MISSING_NAME, request_key
from scripts.demo_matrix import (
    FLEET_ALIASES,
    WIDE,
    Call,
    FluxObject,
    check_reads,
    fleet_reads,
    lifecycle,
    log_reads,
    missing_reads,
    namespace_reads,
    object_reads,
)

HELM_LABEL = "helm.toolkit.fluxcd.io/name"
RECORDED_STATES = {"ok", "partial", "denied", "no_flux", "unreachable"}
"""How a fleet context may answer in the recording; timed out or failed means: record again."""


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat()


class Recorder:
    def __init__(self, tools: FluxTools, runner: CassetteRunner, guarded: str = "") -> None:
        self.tools = tools
        self.runner = runner
        self.guarded = guarded
        """`Kind/namespace/name` of the object the lab's admission webhook guards: every change to it is refused."""
        self.failures: list[str] = []

    @property
    def position(self) -> int:
        return len(self.runner.recorded)

    async def call(self, call: Call, *, expect_success: bool | None = None) -> dict[str, Any]:
        name, args = call
        envelope = await self.tools.acall(name, args)
        expected = MISSING_NAME not in json.dumps(args) if expect_success is None else expect_success
        if envelope["success"] != expected:
            self.failures.append(f"{name} {args}: {envelope.get('error_type')} {envelope.get('error')}")
        return envelope

    async def calls(self, calls: list[Call]) -> None:
        for call in calls:
            await self.call(call)

    async def fleet(self, tools: FluxTools, calls: list[Call], alike: list[str]) -> None:
        """Fleet calls on `tools` (every context of its allow-list); each context must answer as a cluster does,
        and the contexts in `alike` (the same cluster and user) alike."""
        for name, args in calls:
            envelope = await tools.acall(name, args)
            rows = (envelope.get("data") or {}).get("clusters") or []
            odd = [f"{row['context']}: {row['status']}" for row in rows if row["status"] not in RECORDED_STATES]
            answers = [{k: v for k, v in row.items() if k not in ("context", "seconds")} for row in rows]
            answers = [answer for row, answer in zip(rows, answers, strict=True) if row["context"] in alike]
            if any(answer != answers[0] for answer in answers):
                odd.append(f"{', '.join(alike)} answered differently: the lab changed while it was read")
            if not envelope["success"] or odd:
                self.failures.append(f"{name} {args}: {envelope.get('error') or '; '.join(odd)}")

    async def mutation(self, obj: FluxObject, call: Call) -> dict[str, Any]:
        """One mutating call, the read of the object after it and (suspend/resume) the reads that show it."""
        start = self.position
        await self.call(call, expect_success=obj.identity != self.guarded)
        span_end = after = self.position
        read = obj.get()
        if read is not None:
            await self.call(read)
        else:  # no tool reads this kind alone: the object as the reconcile polled it
            await self.runner.run(Clients(self.tools.config).kubectl(*obj.read_argv()), timeout=30)
        if call[0] in ("flux_suspend", "flux_resume"):
            await self.call(obj.export())
        after_key = request_key(self.runner.recorded[after].argv)
        before = next(
            (item for item in self.runner.recorded[start:span_end] if request_key(item.argv) == after_key), None
        )
        suspended = bool(before and (json.loads(before.stdout).get("spec") or {}).get("suspend"))
        shown = " ".join(f"{key}={value}" for key, value in call[1].items() if key != "timeout_secs")
        return {
            "call": f"{call[0]} {shown}",
            "object": obj.identity,
            "suspended_before": suspended,
            "interactions": [start, span_end],
            "after": after,
            "reads": [after, self.position],
        }


async def scenario(recorder: Recorder) -> tuple[list[FluxObject], dict[str, bool]]:
    everything = await recorder.call(("flux_get_all", {"max_bytes": WIDE}))
    items = everything["data"]["objects"]
    objects = [FluxObject(item["kind"], item["namespace"], item["name"]) for item in items]
    return objects, {obj.identity: bool(item["suspended"]) for obj, item in zip(objects, items, strict=True)}


def tree_resources(node: dict[str, Any]) -> list[str]:
    found = []
    for child in node.get("children") or []:
        found.append(child["resource"])
        found.extend(tree_resources(child))
    return found


async def helm_managed(config: FluxConfig) -> list[str]:
    """Objects Helm releases made (not recorded: only to know what to trace)."""
    argv = [config.kubectl_path, "--kubeconfig", str(config.kubeconfig), "--context", str(config.context)]
    command = [*argv, "get", "configmaps", "-A", "-l", HELM_LABEL, "-o", "json"]
    result = await SubprocessRunner().run(command, timeout=30)
    items = json.loads(result.stdout).get("items") or [] if result.exit_code == 0 else []
    return [f"ConfigMap/{item['metadata']['namespace']}/{item['metadata']['name']}" for item in items]


def fleet_kubeconfig(info: dict[str, Any]) -> str:
    """The lab's kubeconfig without its credential-noise contexts (exec plugins, rejected tokens: the client-noise
    cassettes hold those); written beside it, in the lab's state directory."""
    noise = set((info.get("noise") or {}).get("credential_contexts") or [])
    with open(info["kubeconfig"], encoding="utf-8") as file:
        config = yaml.safe_load(file)
    config["contexts"] = [entry for entry in config["contexts"] if entry["name"] not in noise]
    users = {entry["context"].get("user") for entry in config["contexts"]}
    config["users"] = [entry for entry in config.get("users") or [] if entry["name"] in users]
    path = f"{info['state_dir']}/demo.kubeconfig"
    with open(path, "w", encoding="utf-8") as file:
        yaml.safe_dump(config, file)
    return path


def kubeconfig_contexts(kubeconfig: str) -> dict[str, tuple[str, str]]:
    """Each context of a kubeconfig with the cluster and user it names (only names are read out)."""
    with open(kubeconfig, encoding="utf-8") as file:
        entries = yaml.safe_load(file)["contexts"]
    return {entry["name"]: (entry["context"]["cluster"], entry["context"]["user"]) for entry in entries}


async def record_fleet(recorder: Recorder, info: dict[str, Any], namespaces: list[str]) -> dict[str, Any]:
    """The fleet reads in every context of the lab's kubeconfig; the header's note of the contexts."""
    config = recorder.tools.config
    named = kubeconfig_contexts(info["kubeconfig"])
    alike = [name for name, reaches in named.items() if reaches == named[str(config.context)]]
    # every context allowed, each read once (a closed port is not retried), one command at a time (its recorded
    # time is its own, not shared with the fleet's other processes: the demo gives each cluster its own clock)
    settings = {"retry_attempts": 1, "fleet_max_concurrency": 1, "fleet_contexts": list(named)}
    fleet = FluxTools(config.model_copy(update=settings), runner=recorder.runner)
    await recorder.fleet(fleet, fleet_reads(namespaces), alike)
    listed = next(
        item for item in recorder.runner.recorded if item.argv[-4:] == ["config", "get-contexts", "-o", "name"]
    )
    return {"default": config.context, "clusters": {name: named[name][0] for name in listed.stdout.split()}}


def keep_first_reads(runner: CassetteRunner, baseline: dict[str, Any]) -> int:
    """Drop baseline reads made again (the demo answers every one with the first); how many were dropped."""
    end = baseline["interactions"][1]
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for item in runner.recorded[:end]:
        key = (request_key(item.argv), item.stdin)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    dropped = end - len(kept)
    runner.recorded[:end] = kept
    baseline["interactions"] = [0, len(kept)]
    return dropped


async def record() -> int:
    from lab.cli import set_aliases  # dev-only: run from the repo root
    from lab.info import lab_info

    info = lab_info()
    if info is None:
        print("the lab is not running: python3 lab/labctl.py start", file=sys.stderr)
        return 2
    before = int(info.get("aliases", 0))
    set_aliases(FLEET_ALIASES)
    try:
        described = lab_info() or info
        return await record_lab({**described, "kubeconfig": fleet_kubeconfig(described)})
    finally:
        set_aliases(before)


async def record_lab(info: dict[str, Any]) -> int:
    from lab.info import lab_settings, provenance, redaction_paths

    runner = CassetteRunner(
        Cassette(demo_path()),
        SubprocessRunner(),
        mode="rewrite",
        redactor=Redactor(paths=redaction_paths(info)),
        header={
            "recorder": RECORDER_VERSION,
            "recorded_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
            "command": "python -m scripts.record_demo",
            **provenance(info),
        },
    )
    # every failing reconcile is recorded from each state: no interval, no circuit breaker; verdicts by polling,
    # so each mutation holds the object's successive states (the demo's watch falls back to them)
    config = FluxConfig(
        **lab_settings(info), reconcile_min_interval_secs=0, breaker_failures=1_000_000, verdict_watch=False
    )
    guarded = (info.get("noise") or {}).get("guarded") or {}
    recorder = Recorder(FluxTools(config, runner=runner), runner, "/".join(guarded.values()))

    objects, suspended = await scenario(recorder)
    namespaces = sorted({obj.namespace for obj in objects})
    # first: the default context's answers to the fleet tools come from the same calls as the others'
    contexts = await record_fleet(recorder, info, namespaces)
    managed: list[str] = []
    for obj in objects:
        await recorder.calls(object_reads(obj))
        tree_call = obj.tree()
        if tree_call is not None:
            tree = await recorder.call(tree_call)
            managed += tree_resources(tree["data"]["tree"]) if tree["success"] else []
    managed += await helm_managed(config)
    managed.append("Deployment/flux-system/kustomize-controller")  # a Deployment Flux does not manage
    managed += [obj.identity for obj in objects]  # what manages a Flux object (often: nothing)
    managed = [resource for resource in dict.fromkeys(managed) if resource.count("/") == 2]  # namespaced only
    for resource in managed:
        kind, namespace, name = resource.split("/", 2)
        await recorder.call(("flux_trace", {"kind": kind.lower(), "name": name, "namespace": namespace}))
    for namespace in [None, *namespaces]:
        await recorder.calls(namespace_reads(namespace))
    trace_kinds = sorted({resource.split("/", 1)[0].lower() for resource in managed})
    await recorder.calls(missing_reads(trace_kinds))
    await recorder.calls(check_reads())
    read_at = now()
    await recorder.calls(log_reads())
    if (await scenario(recorder))[0] != objects:  # a repeated read: dropped below
        print("the lab's objects changed while the baseline was read: record again", file=sys.stderr)
        return 1
    baseline = {"interactions": [0, recorder.position], "read_at": read_at}

    mutations = []
    for obj in objects:
        for call in lifecycle(obj, suspended[obj.identity]):
            mutations.append(await recorder.mutation(obj, call))

    dropped = keep_first_reads(runner, baseline)
    for mutation in mutations:
        for field in ("interactions", "reads"):
            mutation[field] = [position - dropped for position in mutation[field]]
        mutation["after"] -= dropped
    runner.cassette.header["demo"] = {"baseline": baseline, "contexts": contexts, "mutations": mutations}
    runner.save()
    print(f"recorded {len(runner.recorded)} interactions ({len(mutations)} mutations) into {demo_path()}")
    for failure in recorder.failures:
        print(f"unexpected: {failure}", file=sys.stderr)
    return 1 if recorder.failures else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(record()))
