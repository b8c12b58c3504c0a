"""Shared synthetic inputs for the unit tests (also used by the MCP tests)."""

from __future__ import annotations

import asyncio
import json

from fluxtools._process.runners import CommandResult
from fluxtools.testing import ScriptedRunner


def ready_object(kind="Kustomization", suspend=False, requested=None, handled=None, ready="True", generation=1):
    return {
        "kind": kind,
        "metadata": {
            "name": "apps",
            "namespace": "flux-system",
            "generation": generation,
            "annotations": {"reconcile.fluxcd.io/requestedAt": requested} if requested else {},
        },
        "spec": {"suspend": suspend, "sourceRef": {"kind": "GitRepository", "name": "flux-system"}},
        "status": {
            "lastHandledReconcileAt": handled,
            "lastAppliedRevision": "main@sha1:abc",
            "conditions": [
                {"type": "Ready", "status": ready, "reason": "X", "message": "m", "observedGeneration": generation}
            ],
        },
    }


def stream(*versions) -> str:
    """Object versions as `kubectl get --watch -o json` prints them: indented JSON documents one after another."""
    return "".join(json.dumps(version, indent=4) + "\n" for version in versions)


def is_watch(argv) -> bool:
    return "--watch" in argv


class WatchCluster(ScriptedRunner):
    """Synthetic cluster for reconcile/resume: `get` answers `gets` in turn (the last repeats); a watch
    streams `versions`, `gap` seconds apart in real time, then stays open (as a watch does) until cancelled
    or `watch_exit` says otherwise. `late` versions are streamed while a cancelled watch is being stopped
    (what a real kubectl may still print before it is killed). The flux CLI answers `cli` after `cli_after` s.
    """

    def __init__(self, gets, versions=(), *, gap=0.0, watch_exit=None, cli=(0, "", ""), cli_after=0.0, late=()) -> None:
        super().__init__(self.reply_to)
        self.gets, self.versions, self.gap, self.late = list(gets), list(versions), gap, list(late)
        self.watch_exit, self.cli, self.cli_after = watch_exit, cli, cli_after
        self.cancelled = False

    def reply_to(self, argv):
        if argv[0] == "flux":
            return self.cli
        if "events" in argv:
            return 0, json.dumps({"items": []}), ""
        obj = self.gets.pop(0) if len(self.gets) > 1 else self.gets[0]
        return 0, json.dumps(obj), ""

    async def run(self, argv, *, timeout, env=None, stdin=None, on_stdout=None):
        argv = list(argv)
        if argv[0] == "flux" and self.cli_after:
            await asyncio.sleep(self.cli_after)
        if not is_watch(argv):
            return await super().run(argv, timeout=timeout, env=env, stdin=stdin, on_stdout=on_stdout)
        self.calls.append(argv)
        if self.watch_exit is not None:
            if on_stdout is not None:
                on_stdout(stream(*self.versions).encode())
            return CommandResult(argv, *self.watch_exit)
        try:
            for version in self.versions:
                await asyncio.sleep(self.gap)
                on_stdout(stream(version).encode())
            await asyncio.sleep(timeout)
            return CommandResult(argv, -9, timed_out=True)
        except asyncio.CancelledError:
            self.cancelled = True
            for version in self.late:
                on_stdout(stream(version).encode())
            raise
