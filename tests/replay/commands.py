"""The commands a tool call ran, on a cassette or live: how a verdict was reached.

`Commands` wraps the runner of a `FluxTools` and notes every command with what it streamed, so a test can
say that a verdict came from the watch of the object and not from polling, in every tier.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from fluxtools import FluxTools, WrappingRunner
from fluxtools._flux import follow
from fluxtools.cassettes import CassetteRunner


@dataclass
class Ran:
    argv: list[str]
    streamed: list[bytes] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)


class Commands(WrappingRunner):
    def __init__(self, tools: FluxTools) -> None:
        super().__init__(tools.runner)
        self.ran: list[Ran] = []
        tools.runner = self

    async def run(self, argv, *, timeout, env=None, stdin=None, on_stdout=None):
        ran = Ran(list(argv))
        self.ran.append(ran)
        sink = None
        if on_stdout is not None:

            def sink(chunk: bytes) -> None:
                ran.streamed.append(chunk)
                on_stdout(chunk)

        return await super().run(argv, timeout=timeout, env=env, stdin=stdin, on_stdout=sink)

    def watches(self) -> list[Ran]:
        return [ran for ran in self.ran if "--watch" in ran.argv]

    def object_reads(self, watch: Ran) -> int:
        """`kubectl get <resource> <name> -o json` of the watched object: the look before acting, and polls (not
        the reads the watch makes every `follow.REREAD_SECS` in case it misses a version)."""
        read = [part for part in watch.argv if part != "--watch"]
        reads = [ran for ran in self.ran if ran.argv == read]
        return sum(1 for ran in reads if ran.started - watch.started < follow.REREAD_SECS * 0.9)


def decided_by_watch(commands: Commands) -> None:
    """One watch of the object ran and printed it, and the object was read only once: the look before acting,
    no poll. (A reconcile with its source may also watch the source: that watch is not the object's.)

    On a cassette, the watch played is the recorded one, with what it printed.
    """
    (watch,) = [watch for watch in commands.watches() if commands.object_reads(watch)]
    assert commands.object_reads(watch) == 1, [" ".join(ran.argv) for ran in commands.ran]
    printed = b"".join(watch.streamed).decode()
    assert '"kind": ' in printed, printed[:200]
    cassette = commands.inner
    if isinstance(cassette, CassetteRunner):
        (index,) = [index for index, item in enumerate(cassette.recorded) if item.argv[-7:] == watch.argv[-7:]]
        recorded = cassette.recorded[index]
        assert index in cassette.played and (recorded.cancelled or recorded.timed_out)  # a watch never ends itself
        if cassette.replaying:
            assert recorded.stdout == printed
