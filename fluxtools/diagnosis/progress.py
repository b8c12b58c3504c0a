"""A progress line while the diagnosis reads a large cluster (for the terminal, on stderr)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TextIO

from fluxtools._process.runners import CommandResult, Runner, StdoutSink, WrappingRunner

LARGE = 1 << 20
"""Bytes received before the line appears: small clusters answer without it."""


class ProgressRunner(WrappingRunner):
    """Wraps a runner and reports reads done and bytes received, once reading is large."""

    def __init__(self, inner: Runner, stream: TextIO, *, after_bytes: int = LARGE) -> None:
        super().__init__(inner)
        self.stream = stream
        self.after_bytes = after_bytes
        self.received = 0
        self.started = 0
        self.done = 0
        self.shown = False

    async def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float,
        env: Mapping[str, str] | None = None,
        stdin: str | None = None,
        on_stdout: StdoutSink | None = None,
    ) -> CommandResult:
        self.started += 1
        sink = None if on_stdout is None else self._counting(on_stdout)
        try:
            return await super().run(argv, timeout=timeout, env=env, stdin=stdin, on_stdout=sink)
        finally:
            self.done += 1
            self._show()

    def _counting(self, on_stdout: StdoutSink) -> StdoutSink:
        def feed(chunk: bytes) -> None:
            self.received += len(chunk)
            self._show()
            on_stdout(chunk)

        return feed

    def _show(self) -> None:
        if self.received < self.after_bytes:
            return
        line = f"reading the cluster: {self.done} of {self.started} reads done, {self.received / (1 << 20):.1f} MiB"
        end = "\r" if self.stream.isatty() else "\n"
        if self.stream.isatty() or not self.shown or self.done == self.started:
            self.stream.write(line + end)
            self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        """End the progress line, if one was shown."""
        if self.shown and self.stream.isatty():
            self.stream.write("\n")
            self.stream.flush()
