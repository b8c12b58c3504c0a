"""Child processes for `SubprocessRunner`: started in their own session, read by the event loop.

On Linux a pidfd tells the loop when the child exits (no helper thread per
child); elsewhere, or when stdin must be written, asyncio's subprocess support does.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
from collections.abc import Callable, Mapping

Sink = Callable[[bytes], None]
READ_CHUNK = 64 * 1024
HAS_PIDFD = hasattr(os, "pidfd_open")


class Child:
    """A started child: `exited` resolves with its exit code, `drained` when both pipes reach EOF."""

    pid: int
    exited: asyncio.Future[int]
    drained: asyncio.Future[object]

    def stop_reading(self) -> None:
        """Stop reading the pipes (a grandchild in another session may hold them open)."""
        self.drained.cancel()

    def kill_group(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)


class PidfdChild(Child):
    def __init__(self, argv: list[str], env: Mapping[str, str] | None, sinks: tuple[Sink, Sink]) -> None:
        self.loop = asyncio.get_running_loop()
        self.process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(env) if env is not None else None,
            start_new_session=True,
        )
        self.pid = self.process.pid
        self.exited = self.loop.create_future()
        self.pidfd = os.pidfd_open(self.pid)
        self.loop.add_reader(self.pidfd, self._on_exit)
        self.pipes = {pipe.fileno(): pipe for pipe in (self.process.stdout, self.process.stderr) if pipe}
        self.drained = asyncio.ensure_future(
            asyncio.gather(*(self._watch(fd, sink) for fd, sink in zip(self.pipes, sinks, strict=True)))
        )

    def _on_exit(self) -> None:
        self.loop.remove_reader(self.pidfd)
        os.close(self.pidfd)
        self.process.wait()  # already exited: reaps at once
        if not self.exited.done():
            self.exited.set_result(self.process.returncode)

    def _watch(self, fd: int, sink: Sink) -> asyncio.Future[None]:
        eof: asyncio.Future[None] = self.loop.create_future()
        os.set_blocking(fd, False)

        def readable() -> None:
            try:
                data = os.read(fd, READ_CHUNK)
            except BlockingIOError:
                return
            if data:
                sink(data)
                return
            self._close(fd)
            if not eof.done():
                eof.set_result(None)

        self.loop.add_reader(fd, readable)
        return eof

    def _close(self, fd: int) -> None:
        pipe = self.pipes.pop(fd, None)
        if pipe is not None:
            self.loop.remove_reader(fd)
            pipe.close()

    def stop_reading(self) -> None:
        for fd in list(self.pipes):
            self._close(fd)
        super().stop_reading()


class AsyncioChild(Child):
    @classmethod
    async def start(
        cls, argv: list[str], env: Mapping[str, str] | None, stdin: str | None, sinks: tuple[Sink, Sink]
    ) -> AsyncioChild:
        child = cls()
        process = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=dict(env) if env is not None else None,
            start_new_session=True,
        )
        child.pid = process.pid
        child.drained = asyncio.ensure_future(
            asyncio.gather(_drain(process.stdout, sinks[0]), _drain(process.stderr, sinks[1]))
        )
        if stdin is not None and process.stdin is not None:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                process.stdin.write(stdin.encode())
                await process.stdin.drain()
            process.stdin.close()
        child.exited = asyncio.ensure_future(process.wait())
        return child


async def _drain(stream: asyncio.StreamReader | None, sink: Sink) -> None:
    if stream is None:
        return
    while True:
        data = await stream.read(READ_CHUNK)
        if not data:
            return
        sink(data)


async def start_child(
    argv: list[str], env: Mapping[str, str] | None, stdin: str | None, sinks: tuple[Sink, Sink]
) -> Child:
    if HAS_PIDFD and stdin is None:
        return PidfdChild(argv, env, sinks)
    return await AsyncioChild.start(argv, env, stdin, sinks)
