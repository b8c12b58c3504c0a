"""Test helpers for code that uses fluxtools: runners that never start a process."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fluxtools._errors import NotInstalled
from fluxtools._process.runners import CommandResult, Runner, StdoutSink, VirtualClock, WrappingRunner, delivered

Reply = CommandResult | tuple[int, str, str]

ToolCallRequest = tuple[str, dict[str, Any]]
"""A scripted model's tool call: (tool name, arguments)."""
ModelReply = str | Sequence[ToolCallRequest]
Step = ModelReply | Callable[[list["Observation"]], ModelReply]
"""One scripted model turn: a final text, tool calls, or a function of what was observed so far."""


@dataclass(frozen=True)
class Observation:
    """One tool call a (scripted) model made and the content it read back."""

    name: str
    args: dict[str, Any]
    content: str

    @property
    def envelope(self) -> dict[str, Any]:
        try:
            value = json.loads(self.content)
        except (TypeError, ValueError):
            return {"success": False, "error": str(self.content)}
        return value if isinstance(value, dict) else {"success": False, "error": str(self.content)}

    @property
    def is_error(self) -> bool:
        return not self.envelope.get("success", False)

    @property
    def data(self) -> dict[str, Any]:
        return self.envelope.get("data") or {}


class ScriptedRunner(VirtualClock):
    """Answers each argv with `reply(argv)` and remembers every call.

    `reply` returns a CommandResult or `(exit_code, stdout, stderr)`. The clock
    is virtual: `sleep` advances it without waiting.
    """

    def __init__(self, reply: Callable[[list[str]], Reply] | None = None) -> None:
        self.reply = reply or (lambda argv: (0, "", ""))
        self.calls: list[list[str]] = []

    async def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float,
        env: Mapping[str, str] | None = None,
        stdin: str | None = None,
        on_stdout: StdoutSink | None = None,
    ) -> CommandResult:
        call = list(argv)
        self.calls.append(call)
        answer = self.reply(call)
        result = answer if isinstance(answer, CommandResult) else CommandResult(call, *answer)
        return delivered(result, on_stdout)


class MissingBinaries(WrappingRunner):
    """Wraps a runner as if some binaries were not installed (e.g. `{"kubectl"}`)."""

    def __init__(self, inner: Runner, missing: set[str]) -> None:
        super().__init__(inner)
        self.missing = missing

    async def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float,
        env: Mapping[str, str] | None = None,
        stdin: str | None = None,
        on_stdout: StdoutSink | None = None,
    ) -> CommandResult:
        if argv[0].rsplit("/", 1)[-1] in self.missing:
            raise NotInstalled(argv[0])
        return await super().run(argv, timeout=timeout, env=env, stdin=stdin, on_stdout=on_stdout)
