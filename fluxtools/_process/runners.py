"""How commands run: the `Runner` protocol and the real `SubprocessRunner`.

A runner takes an argv list (never a shell string) and returns a
`CommandResult`. It also owns the clock, so that replaying a recording can
skip the waiting a live run does.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from fluxtools._errors import NotInstalled
from fluxtools._process.children import start_child

DEFAULT_OUTPUT_CAP = 8 * 1024 * 1024
StdoutSink = Callable[[bytes], None]
"""Receives stdout as it arrives; a streamed run keeps no stdout of its own."""
TRUNCATION_MARKER = "\n[... output truncated by fluxtools: {dropped} more bytes not shown ...]\n"


@dataclass
class CommandResult:
    """What one command did."""

    argv: list[str]
    exit_code: int
    stdout: str = ""
    stderr: str = ""
    duration: float = 0.0
    timed_out: bool = False
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    stdin: str | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out


def delivered(result: CommandResult, on_stdout: StdoutSink | None) -> CommandResult:
    """A whole answer as its caller receives it: a streaming caller reads stdout through `on_stdout`."""
    if on_stdout is not None:
        on_stdout(result.stdout.encode())
        result.stdout = ""
    return result


@runtime_checkable
class Runner(Protocol):
    """Runs one command; the executor never knows what is behind it."""

    async def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float,
        env: Mapping[str, str] | None = None,
        stdin: str | None = None,
        on_stdout: StdoutSink | None = None,
    ) -> CommandResult: ...

    async def sleep(self, seconds: float) -> None: ...

    def monotonic(self) -> float: ...


class VirtualClock:
    """The clock of a runner that answers without running anything: waits cost no real time.

    `sleep` moves `clock` on and yields once, so concurrent tasks run as they
    would during a real wait.
    """

    clock: float = 0.0

    async def sleep(self, seconds: float) -> None:
        self.clock += seconds
        await asyncio.sleep(0)

    def monotonic(self) -> float:
        return self.clock


class WrappingRunner:
    """A runner around another: commands go to `inner`, and its clock is the clock.

    Subclasses change `run` (to watch, refuse or alter commands) and call
    `super().run`; waits stay the inner runner's, so a wrapper around a replay
    never waits in real time.
    """

    def __init__(self, inner: Runner) -> None:
        self.inner = inner

    async def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float,
        env: Mapping[str, str] | None = None,
        stdin: str | None = None,
        on_stdout: StdoutSink | None = None,
    ) -> CommandResult:
        return await self.inner.run(argv, timeout=timeout, env=env, stdin=stdin, on_stdout=on_stdout)

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)

    def monotonic(self) -> float:
        return self.inner.monotonic()


class _CappedSink:
    """Keeps at most `cap` bytes of a stream and counts the rest."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.chunks: list[bytes] = []
        self.kept = 0
        self.dropped = 0

    def feed(self, data: bytes) -> None:
        room = self.cap - self.kept
        if room > 0:
            piece = data[:room]
            self.chunks.append(piece)
            self.kept += len(piece)
        self.dropped += max(0, len(data) - max(room, 0))

    def text(self) -> str:
        text = b"".join(self.chunks).decode("utf-8", errors="replace")
        if self.dropped:
            text += TRUNCATION_MARKER.format(dropped=self.dropped)
        return text


class SubprocessRunner:
    """Runs commands as child processes in their own process group.

    On timeout the whole group is killed and reaped; output beyond
    `output_cap` bytes per stream is drained and dropped with a visible marker.
    """

    def __init__(self, output_cap: int = DEFAULT_OUTPUT_CAP, kill_grace: float = 2.0) -> None:
        self.output_cap = output_cap
        self.kill_grace = kill_grace

    async def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float,
        env: Mapping[str, str] | None = None,
        stdin: str | None = None,
        on_stdout: StdoutSink | None = None,
    ) -> CommandResult:
        argv = [str(part) for part in argv]
        started = time.monotonic()
        out, err = _CappedSink(self.output_cap), _CappedSink(self.output_cap)
        try:
            child = await start_child(argv, env, stdin, (on_stdout or out.feed, err.feed))
        except FileNotFoundError:
            raise NotInstalled(argv[0]) from None
        except PermissionError:
            raise NotInstalled(argv[0], path=f"{argv[0]} (not executable)") from None
        except OSError as exc:  # e.g. a script without `#!`: no program the system can run
            raise NotInstalled(argv[0], path=f"{argv[0]} (cannot be run: {exc.strerror})") from None

        timed_out = False
        try:
            await asyncio.wait_for(asyncio.shield(child.exited), timeout)
        except asyncio.TimeoutError:
            timed_out = True
        except asyncio.CancelledError:
            child.kill_group()
            await child.exited
            child.stop_reading()
            raise
        finally:
            # Reap the group whether or not the leader exited: no orphans survive a call.
            child.kill_group()
        exit_code = await child.exited
        try:
            await asyncio.wait_for(asyncio.shield(child.drained), self.kill_grace)
        except asyncio.TimeoutError:
            child.stop_reading()
        return CommandResult(
            argv=argv,
            exit_code=exit_code,
            stdout=out.text(),
            stderr=err.text(),
            duration=time.monotonic() - started,
            timed_out=timed_out,
            stdout_truncated=bool(out.dropped),
            stderr_truncated=bool(err.dropped),
            stdin=stdin,
        )

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    def monotonic(self) -> float:
        return time.monotonic()
