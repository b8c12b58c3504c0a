"""Record the embedded demo cluster from the running lab: `python -m fluxtools.demo.record`.

Runs every read an agent makes on the lab scenario (the diagnosis, the
lists, each tool on each object, logs per controller), then the
mutations whose verdicts the demo replays, and writes `cluster.cli.yaml`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from typing import Any

from .. import FluxConfig, FluxTools
from ..cassettes import RECORDER_VERSION, Cassette, CassetteRunner, Redactor
from ..runners import SubprocessRunner
from ..specs import ALL_SPECS
from . import demo_path

KUSTOMIZATIONS = ("infrastructure", "apps", "broken-path", "broken-build", "suspended-app", "dependent-app")
HELMRELEASES = ("podinfo", "broken-install", "missing-version")
CONTROLLERS = ("source-controller", "kustomize-controller", "helm-controller", "notification-controller")

READS: list[tuple[str, dict[str, Any]]] = [
    ("flux_diagnose", {"max_bytes": 1_048_576}),
    ("flux_diagnose", {}),
    *[("flux_kustomization_get", {"name": name}) for name in KUSTOMIZATIONS],
    *[("flux_kustomization_get", {"name": name, "namespace": "flux-system"}) for name in KUSTOMIZATIONS],
    *[("flux_helmrelease_get", {"name": name, "namespace": "apps"}) for name in HELMRELEASES],
    *[("flux_logs", {"kind": controller}) for controller in CONTROLLERS],
    *[("flux_logs", {"kind": controller, "level": "error"}) for controller in CONTROLLERS],
    ("flux_logs", {"kind": "kustomize-controller", "resource_kind": "Kustomization", "name": "broken-build"}),
    ("flux_kustomization_get", {"name": "does-not-exist"}),
    ("flux_helmrelease_get", {"name": "does-not-exist", "namespace": "apps"}),
    ("flux_source_get", {"kind": "git", "name": "flux-system"}),
    ("flux_source_get", {"kind": "helm", "name": "lab-charts"}),
    ("flux_tree", {"kind": "kustomization", "name": "apps"}),
    ("flux_trace", {"kind": "configmap", "name": "app-config", "namespace": "apps"}),
    ("flux_export", {"kind": "kustomization", "name": "apps"}),
    ("flux_events", {"kind": "kustomization", "name": "broken-build"}),
    ("flux_kustomization_list", {"namespace": "team-a"}),
    ("flux_helmrelease_list", {"namespace": "apps"}),
]
MUTATIONS: list[tuple[str, dict[str, Any]]] = [
    ("flux_reconcile", {"kind": "kustomization", "name": "apps", "with_source": True}),
    ("flux_reconcile", {"kind": "kustomization", "name": "broken-build"}),
    ("flux_reconcile", {"kind": "kustomization", "name": "suspended-app"}),
    ("flux_suspend", {"kind": "kustomization", "name": "apps"}),
    ("flux_kustomization_get", {"name": "apps"}),
    ("flux_logs", {"kind": "kustomize-controller"}),
    ("flux_resume", {"kind": "kustomization", "name": "apps"}),
    ("flux_kustomization_get", {"name": "apps"}),
]


def default_calls() -> list[tuple[str, dict[str, Any]]]:
    """Every read tool that needs no argument, called with none."""
    return [(spec.name, {}) for spec in ALL_SPECS if not spec.mutating and not spec.json_schema()["required"]]


async def record() -> int:
    from lab.info import lab_info, lab_settings, provenance, redaction_paths  # dev-only: run from the repo root

    info = lab_info()
    if info is None:
        print("the lab is not running: python3 lab/labctl.py start", file=sys.stderr)
        return 2
    header = {
        "recorder": RECORDER_VERSION,
        "recorded_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "command": "python -m fluxtools.demo.record",
        **provenance(info),
    }
    runner = CassetteRunner(
        Cassette(demo_path()),
        SubprocessRunner(),
        mode="all",
        redactor=Redactor(paths=redaction_paths(info)),
        header=header,
    )
    config = FluxConfig(**lab_settings(info), reconcile_min_interval_secs=0)
    tools = FluxTools(config, runner=runner)
    failures = 0
    for name, args in [*default_calls(), *READS, *MUTATIONS]:
        envelope = await tools.acall(name, args)
        expected_failure = "does-not-exist" in str(args)
        if envelope["success"] == expected_failure:
            failures += 1
            print(f"unexpected: {name} {args}: {envelope.get('error')}", file=sys.stderr)
    runner.save()
    print(f"recorded {len(runner.recorded)} interactions into {demo_path()}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(record()))
