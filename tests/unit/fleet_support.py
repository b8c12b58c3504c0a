"""Synthetic multi-cluster runners: one scripted cluster per `--context` value.

Clusters answer with the demo cluster's recorded objects (complete), the same with HelmReleases
refused by the restricted user's recorded Forbidden text (partial), kubectl's text for a closed port
(unreachable), or not within the command's timeout (slow: the virtual clock moves by the timeout,
as a real runner kills the command then). `hang` clusters wait in real time and ignore the timeout.
"""

from __future__ import annotations

import asyncio
import json

from fluxtools import FluxConfig, FluxTools
from fluxtools._flux.kinds import ALL_KINDS, HELMRELEASE
from fluxtools._process.runners import CommandResult
from fluxtools.testing import ScriptedRunner
from tests.unit.test_partial_reads import as_list, cluster


def raw_paths_as_lists(reply):
    """Also answer `kubectl get --raw <LIST path>` (the list tools' fast path) as `get <resource> -n|-A`."""

    def answer(argv):
        if "--raw" not in argv:
            return reply(argv)
        path = argv[argv.index("--raw") + 1].split("/")
        kind = next(kind for kind in ALL_KINDS if kind.plural == path[-1] and kind.group == path[2])
        scope = ["-n", path[5]] if "namespaces" in path else ["-A"]
        return reply([argv[0], "get", kind.resource, *scope, "-o", "json"])

    return answer


UNREACHABLE = "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n"
COMPLETE = raw_paths_as_lists(cluster({}).reply)
PARTIAL = raw_paths_as_lists(cluster({HELMRELEASE.kind: {None}}).reply)


def unreachable(argv):
    return 1, "", UNREACHABLE


def context_of(argv: list[str]) -> str | None:
    return argv[argv.index("--context") + 1] if "--context" in argv else None


class FleetRunner(ScriptedRunner):
    """Answers each command as the cluster its `--context` names; remembers the most commands at once."""

    def __init__(self, clusters, *, kubeconfig=(), slow=(), hang=(), delay=0.0):
        super().__init__(self._reply)
        self.clusters = clusters
        self.kubeconfig = list(kubeconfig)
        self.slow, self.hang = set(slow), set(hang)
        self.delay = delay
        self.running = self.peak = 0

    def _reply(self, argv):
        if argv[1:4] == ["config", "get-contexts", "-o"] or "get-contexts" in argv:
            return 0, "".join(f"{name}\n" for name in self.kubeconfig), ""
        return self.clusters[context_of(argv)](argv)

    async def run(self, argv, *, timeout, env=None, stdin=None, on_stdout=None):
        context = context_of(list(argv))
        self.running += 1
        self.peak = max(self.peak, self.running)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            if context in self.hang:
                await asyncio.sleep(3600)
            if context in self.slow:
                self.calls.append(list(argv))
                self.clock += timeout
                return CommandResult(list(argv), -9, "", "", duration=timeout, timed_out=True)
            return await super().run(argv, timeout=timeout, env=env, stdin=stdin, on_stdout=on_stdout)
        finally:
            self.running -= 1


def fleet_tools(runner, **config) -> FluxTools:
    """Tools reading `runner`'s clusters; its clusters are the allow-list unless `fleet_contexts` is given."""
    defaults = {"kubeconfig": "/k/config", "cache_ttl_secs": 0, "fleet_contexts": list(runner.clusters)}
    return FluxTools(FluxConfig(**{**defaults, **config}), runner=runner)


def contexts_called(runner) -> set[str | None]:
    return {context_of(argv) for argv in runner.calls if "get-contexts" not in argv}


def empty_list(argv):
    return 0, as_list([]), ""


def dumps(value) -> str:
    return json.dumps(value)
