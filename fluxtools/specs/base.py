"""`ToolSpec`: one tool — its arguments, its own step, and the facts the pipeline needs.

A tool's step says what it reads or runs and how the result becomes data:
`command(argv, parse, target)` for a tool that runs one command, or a plain
`async def step(call, args)` for a tool of several steps. Everything else —
namespace defaults and tenancy (confinement included), approval, rate limits, retries and
classification, filtering and paging, the output budget, masking, the cache,
audit and the envelope — is the executor's, from the facts declared here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from fluxtools._process.call import Call
from fluxtools._process.classify import Target
from fluxtools._process.clients import Clients
from fluxtools._process.runners import CommandResult
from fluxtools.specs.args import CONFIGURED_NAMESPACE, BudgetArgs, ListArgs, ReadArgs, ToolArgs, configured_namespace


class Operation(str, Enum):
    """Operation class: decides the default timeout."""

    LIST = "list"
    GET = "get"
    RECONCILE = "reconcile"
    LOGS = "logs"
    SUSPEND = "suspend"
    RESUME = "resume"


TIMEOUTS: dict[Operation, float] = {
    Operation.LIST: 30.0,
    Operation.GET: 30.0,
    Operation.RECONCILE: 120.0,
    Operation.LOGS: 30.0,
    Operation.SUSPEND: 30.0,
    Operation.RESUME: 30.0,
}

Data = dict[str, Any]
Step = Callable[[Call, Any], Awaitable[Data]]
"""The tool's own step: given the call and its resolved arguments, the answer's data."""
Referencer = Callable[[Call, Any], Awaitable[list[str]]]
"""The objects (`Kind/namespace/name`) a call will act on beyond the one it names."""
Shrink = Callable[[Data], Data]
"""Another form of an answer: its final form (`present`), or a smaller one when it does not fit the output budget
(`shrink`, before the budget cuts it)."""


def command(
    argv: Callable[[Clients, Any], list[str]],
    parse: Callable[[CommandResult, Any], Data],
    target: Callable[[Any], Target],
) -> Step:
    """The step of a tool that runs one command: its argv, how its output reads, what it is about."""

    async def step(call: Call, args: Any) -> Data:
        return parse(await call.run(argv(call.cli, args), target(args)), args)

    return step


@dataclass(frozen=True, kw_only=True)
class ToolSpec:
    """One tool: what the model sees, its own step, and what the pipeline must know about it."""

    name: str
    description: str
    args_model: type[ToolArgs]
    operation: Operation
    """The timeout class (and whether answers are cached: list and get)."""
    mutating: bool
    idempotent: bool
    step: Step
    namespace_field: str | None = "namespace"
    """The argument naming the namespace the call acts in (None: not a tenant namespace)."""
    spans_namespaces: bool = False
    """Without a namespace the call reads every namespace (under tenancy: each allowed one)."""
    flux_namespace_field: str | None = None
    """The argument naming the Flux controllers' namespace (under tenancy: only the configured one)."""
    references: Referencer | None = None
    """Under tenancy, what the call reaches through references is checked against the allowed namespaces."""
    list_key: str | None = None
    """The answer's list the pipeline filters (status, name_contains) and pages (limit, continue)."""
    present: Shrink | None = None
    """The answer's final form, made after paging and confinement (log lines joined into text)."""
    shrink: Shrink | None = None
    rate_limited: bool = False
    answer_bytes: Callable[[Any], int | None] | None = None
    """This tool's answer budget for a call's arguments when they give no max_bytes, if smaller than the
    configured one (None: the configured one)."""

    @classmethod
    def read(cls, **spec: Any) -> ToolSpec:
        """A tool that only reads: not mutating, safe to retry."""
        return cls(mutating=False, idempotent=True, **spec)

    def budget(self, args: Any, configured: int) -> int:
        """The bytes a call's answer may take: what it asks for (max_bytes), else this tool's default."""
        asked = getattr(args, "max_bytes", None)
        if asked:
            return asked
        own = self.answer_bytes(args) if self.answer_bytes else None
        return min(configured, own) if own else configured

    @property
    def default_timeout(self) -> float:
        return TIMEOUTS[self.operation]

    def json_schema(self) -> dict[str, Any]:
        return self.args_model.model_json_schema()


__all__ = [
    "CONFIGURED_NAMESPACE",
    "TIMEOUTS",
    "BudgetArgs",
    "Data",
    "ListArgs",
    "Operation",
    "ReadArgs",
    "Referencer",
    "Shrink",
    "Step",
    "ToolArgs",
    "ToolSpec",
    "command",
    "configured_namespace",
]
