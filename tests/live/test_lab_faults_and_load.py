"""An API server stopped mid-call, and 50 concurrent calls with bounded subprocess concurrency."""

import asyncio
import json
import os
import signal
import time
from pathlib import Path

from fluxtools import FluxTools
from fluxtools._process.runners import SubprocessRunner


class CountingRunner(SubprocessRunner):
    """Counts processes running at once."""

    def __init__(self):
        super().__init__()
        self.now = 0
        self.peak = 0

    async def run(self, argv, **kwargs):
        self.now += 1
        self.peak = max(self.peak, self.now)
        try:
            return await super().run(argv, **kwargs)
        finally:
            self.now -= 1


def lab_pid(lab, name):
    return json.loads((Path(lab["state_dir"]) / "pids.json").read_text())[name]["pid"]


def test_api_server_stopped_mid_call(lab, lab_config):
    pid = lab_pid(lab, "kube-apiserver-noflux")
    tools = FluxTools(lab_config(context="lab-noflux", timeout_secs=3), runner=SubprocessRunner())
    os.kill(pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        envelope = tools.call("flux_kustomization_list", {})
        elapsed = time.monotonic() - started
    finally:
        os.kill(pid, signal.SIGCONT)
    assert envelope["error_type"] == "Timeout", envelope
    assert "timed out after 3s" in envelope["error"]
    assert elapsed < 8


def test_fifty_concurrent_calls(lab_config):
    runner = CountingRunner()
    tools = FluxTools(lab_config(max_concurrency=8), runner=runner)
    names = ["infrastructure", "apps", "broken-path", "broken-build", "suspended-app", "dependent-app"]
    calls = [("flux_kustomization_get", {"name": names[i % len(names)]}) for i in range(30)]
    calls += [("flux_helmrelease_get", {"name": "podinfo", "namespace": "apps"})] * 10
    calls += [("flux_kustomization_list", {})] * 5 + [("flux_logs", {"tail": 20})] * 5

    async def run_all():
        return await asyncio.gather(*(tools.acall(name, args) for name, args in calls))

    started = time.monotonic()
    results = asyncio.run(run_all())
    elapsed = time.monotonic() - started
    print(
        f"\n50 concurrent calls: wall {elapsed:.2f}s, peak subprocesses {runner.peak}, "
        f"failures {sum(not r['success'] for r in results)}"
    )
    assert len(results) == 50 and all(r["success"] for r in results)
    assert runner.peak <= 8
    for (name, args), result in zip(calls, results, strict=True):
        if name == "flux_kustomization_get":
            assert result["data"]["name"] == args["name"]
