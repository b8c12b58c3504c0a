"""Ask a human (or any callback) before a mutation runs."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from fluxtools._config import FluxConfig
from fluxtools._errors import PolicyDenied


class ApproverRaised(Exception):
    """The approver callback raised: its exception is the caller's (e.g. a LangGraph interrupt) and passes through."""

    def __init__(self, original: BaseException) -> None:
        super().__init__(repr(original))
        self.original = original


@dataclass(frozen=True)
class ApprovalRequest:
    """What the approver is asked to allow: the exact tool call and a one-line action."""

    tool: str
    arguments: dict[str, Any]
    action: str
    context: str | None
    cluster: str | None


REQUESTS = {"with_source": "with source", "force": "forced upgrade", "reset": "retries reset"}
"""The arguments that change what a reconcile does, as the person asked to approve it reads them."""


def describe(operation: str, arguments: dict[str, Any], default_namespace: str) -> str:
    """`reconcile kustomization flux-system/apps (with source)`, `reconcile helmrelease apps/web (forced
    upgrade, retries reset)`."""
    namespace = arguments.get("namespace") or default_namespace
    text = f"{operation} {arguments.get('kind', '')} {namespace}/{arguments.get('name', '')}".replace("  ", " ")
    asked = [words for argument, words in REQUESTS.items() if arguments.get(argument)]
    return f"{text} ({', '.join(asked)})" if asked else text


class AskingPerson(Exception):
    """The person at the client was asked; their answer comes with the client's next request for the same call
    (MCP's input-required round trip). Raised by that front end's approver, it passes through like any
    approver's exception, up to the front end."""

    def __init__(self, request: ApprovalRequest) -> None:
        super().__init__(request.action)
        self.request = request


person: ContextVar[Callable[[ApprovalRequest], Awaitable[Any]] | None] = ContextVar("fluxtools_person", default=None)
"""Set by a front end that can ask the person at the client (MCP elicitation): the approver of its calls
when the policy requires approval and no approver callback is configured."""


async def require_approval(config: FluxConfig, request: ApprovalRequest) -> None:
    """Raise PolicyDenied unless approved; require_approval with no approver and no person to ask is a denial."""
    approver = config.approver
    if approver is None and config.require_approval:
        approver = person.get()
    if approver is None:
        if config.require_approval:
            raise PolicyDenied(
                f"{request.tool} needs approval and no approver is configured: {request.action}",
                hint="Configure an approver callback, or turn require_approval off.",
            )
        return
    try:
        answer = approver(request)
        if inspect.isawaitable(answer):
            answer = await answer
    except Exception as exc:
        raise ApproverRaised(exc) from None
    approved, reason = answer if isinstance(answer, tuple) else (answer, None)
    if not approved:
        detail = f": {reason}" if reason else ""
        raise PolicyDenied(
            f"Approval denied for {request.action}{detail}",
            hint="The approver refused this action; do not retry it unchanged.",
        )
