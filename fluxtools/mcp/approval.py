"""Approval by elicitation: a mutation the policy says needs approval asks the person at the client.

When `require_approval` is on, no approver callback is configured and the client declared form
elicitation, the action is asked in one line with a yes/no answer: during the call on the initialize-era
protocol (`elicitation/create`), or, from 2026-07-28 on, by answering the call with an input request and
running it when the client calls again with the answer. The answer is audited (`phase: approval`).
A client without elicitation keeps the behaviour of any other front end: the call is refused.
"""

from __future__ import annotations

import json
from typing import Any

from mcp import types
from mcp_types.version import is_version_at_least

from fluxtools._approval import ApprovalRequest, AskingPerson, person
from fluxtools._audit import AuditLog
from fluxtools._config import FluxConfig
from fluxtools._masking import mask_text
from fluxtools.mcp.toolset import McpToolset

KEY = "approval"
"""The key of the question among a call's input requests."""
ROUND_TRIP_VERSION = "2026-07-28"
"""The first protocol revision that asks through the call's result instead of a request of the server's own."""
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"approve": {"type": "boolean", "title": "Approve", "description": "Run this action now"}},
    "required": ["approve"],
}


def question(request: ApprovalRequest) -> str:
    """The action in one line."""
    where = f" (context {request.context})" if request.context else ""
    return f"Allow {request.tool}: {request.action}{where}?"


def can_elicit(ctx: Any) -> bool:
    """The client declared form elicitation (a bare `elicitation: {}` means form) and can be reached."""
    capabilities = ctx.session.client_capabilities
    elicitation = capabilities.elicitation if capabilities is not None else None
    if elicitation is None or (elicitation.form is None and elicitation.url is not None):
        return False
    return round_trip(ctx) or ctx.session.can_send_request


def round_trip(ctx: Any) -> bool:
    return is_version_at_least(ctx.protocol_version, ROUND_TRIP_VERSION)


class PersonApprover:
    """The approver of one MCP call: asks the person at the client, audits the answer."""

    def __init__(self, ctx: Any, params: types.CallToolRequestParams, config: FluxConfig) -> None:
        self.ctx = ctx
        self.params = params
        self.config = config

    async def __call__(self, request: ApprovalRequest) -> tuple[bool, str | None]:
        if round_trip(self.ctx):
            answer = self.given(request)
            if answer is None:
                raise AskingPerson(request)
        else:
            session = self.ctx.session
            try:
                answer = await session.elicit_form(question(request), SCHEMA, related_request_id=self.ctx.request_id)
            except Exception as exc:  # the client refused the question or sent no answer it could
                self.audit(request, "unanswered", approved=False)
                why = mask_text(str(exc)) or type(exc).__name__
                return False, f"the person at the client could not be asked ({why})"
        approved = answer.action == "accept" and (answer.content or {}).get("approve") is True
        self.audit(request, answer.action, approved=approved)
        if approved:
            return True, None
        said = "did not approve" if answer.action == "accept" else f"answered {answer.action}"
        return False, f"the person at the client {said}"

    def audit(self, request: ApprovalRequest, answer: str, *, approved: bool) -> None:
        """The answer, in the audit log beside the mutation's own records."""
        if self.config.audit_log:
            record = {"tool": request.tool, "arguments": request.arguments, "action": request.action}
            where = {"context": request.context, "cluster": request.cluster}
            answered = {"by": "elicitation", "answer": answer, "approved": approved}
            AuditLog(self.config.audit_log).write({**record, **where, "phase": "approval", **answered})

    def given(self, request: ApprovalRequest) -> types.ElicitResult | None:
        """The answer the client sent with this request, if it answers this very action."""
        answer = (self.params.input_responses or {}).get(KEY)
        try:
            asked = json.loads(self.params.request_state or "{}")
        except json.JSONDecodeError:
            return None
        if not isinstance(answer, types.ElicitResult) or asked != {"tool": request.tool, "action": request.action}:
            return None
        return answer


def input_required(request: ApprovalRequest) -> types.InputRequiredResult:
    """The call's answer while the person is asked: the question, and what it was about."""
    ask = types.ElicitRequest(params=types.ElicitRequestFormParams(message=question(request), requested_schema=SCHEMA))
    state = json.dumps({"tool": request.tool, "action": request.action})
    return types.InputRequiredResult(input_requests={KEY: ask}, request_state=state)


async def call(
    toolset: McpToolset, ctx: Any, params: types.CallToolRequestParams
) -> dict[str, Any] | types.InputRequiredResult:
    """The toolset's call, with the person at the client as the approver where the policy asks for one."""
    config = toolset.config
    if not (config.require_approval and config.approver is None and can_elicit(ctx)):
        return await toolset.call(params.name, params.arguments)
    token = person.set(PersonApprover(ctx, params, config))
    try:
        return await toolset.call(params.name, params.arguments)
    except AskingPerson as asking:
        return input_required(asking.request)
    finally:
        person.reset(token)
