"""Approval by elicitation through the official client, on both protocol eras: the person answers, the answer
is audited; a client that cannot be asked keeps the refusal every other front end gives."""

from __future__ import annotations

import json

import pytest
from mcp import Client, types

from fluxtools import FluxConfig
from fluxtools.mcp import McpToolset, build_server

MODES = ["auto", "legacy"]  # the 2026-07-28 input-required round trip, and elicitation/create during the call
RECONCILE = {"kind": "kustomization", "name": "apps"}
QUESTION = "Allow flux_reconcile: reconcile kustomization flux-system/apps?"


def app(tmp_path, **config):
    settings = {"cluster": "demo", "require_approval": True, "audit_log": str(tmp_path / "audit.jsonl"), **config}
    return build_server(McpToolset(FluxConfig(**settings)))


def person(action, approve=None):
    """A client's elicitation callback answering `action`; what it was asked is kept."""
    asked = []

    async def answer(context, params):
        asked.append(params)
        content = None if approve is None else {"approve": approve}
        return types.ElicitResult(action=action, content=content)

    return answer, asked


def audit(tmp_path):
    return [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]


@pytest.mark.parametrize("mode", MODES)
async def test_the_person_approves_and_the_mutation_runs(tmp_path, mode):
    answer, asked = person("accept", approve=True)
    async with Client(app(tmp_path), mode=mode, elicitation_callback=answer) as client:
        result = await client.call_tool("flux_reconcile", RECONCILE)
    assert not result.is_error, result.content[0].text
    assert result.structured_content["data"]["verdict"]
    [params] = asked
    assert params.message == QUESTION
    assert params.requested_schema["properties"]["approve"]["type"] == "boolean"
    [approval] = [record for record in audit(tmp_path) if record["phase"] == "approval"]
    assert approval["by"] == "elicitation" and approval["answer"] == "accept" and approval["approved"] is True
    assert approval["action"] == "reconcile kustomization flux-system/apps"
    after = [record for record in audit(tmp_path) if record["phase"] == "after"]
    assert after[-1]["success"] is True
    if mode == "auto":  # the call's first round only asked: it ran nothing
        assert [record.get("ended") for record in after] == ["person asked", None]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("action", "approve", "said"), [("decline", None, "answered decline"),
                                                          ("cancel", None, "answered cancel"),
                                                          ("accept", False, "did not approve")])  # fmt: skip
async def test_a_refusal_denies_the_mutation(tmp_path, mode, action, approve, said):
    answer, asked = person(action, approve)
    async with Client(app(tmp_path), mode=mode, elicitation_callback=answer) as client:
        result = await client.call_tool("flux_reconcile", RECONCILE)
    assert result.is_error and len(asked) == 1
    assert result.structured_content["error_type"] == "PolicyDenied"
    assert said in result.structured_content["error"]
    [approval] = [record for record in audit(tmp_path) if record["phase"] == "approval"]
    assert approval["answer"] == action and approval["approved"] is False
    assert audit(tmp_path)[-1]["error_type"] == "PolicyDenied"


@pytest.mark.parametrize("mode", MODES)
async def test_a_client_without_elicitation_keeps_the_refusal(tmp_path, mode):
    async with Client(app(tmp_path), mode=mode) as client:
        result = await client.call_tool("flux_reconcile", RECONCILE)
    assert result.structured_content["error_type"] == "PolicyDenied"
    assert "needs approval and no approver is configured" in result.structured_content["error"]
    assert not [record for record in audit(tmp_path) if record["phase"] == "approval"]


@pytest.mark.parametrize("mode", MODES)
async def test_nothing_is_asked_when_the_policy_needs_no_approval(tmp_path, mode):
    answer, asked = person("decline")
    async with Client(app(tmp_path, require_approval=False), mode=mode, elicitation_callback=answer) as client:
        result = await client.call_tool("flux_reconcile", RECONCILE)
        read = await client.call_tool("flux_kustomization_get", {"name": "apps"})
    assert not result.is_error and not read.is_error and asked == []


async def test_an_answer_for_another_action_is_not_taken(tmp_path):
    """On the round-trip protocol the answer travels with the request; it counts only for the action asked."""
    answer, asked = person("accept", approve=True)
    async with Client(app(tmp_path), elicitation_callback=answer) as client:  # the loop is driven by hand here
        first = await client.session.call_tool("flux_reconcile", RECONCILE, allow_input_required=True)
        assert isinstance(first, types.InputRequiredResult)
        yes = {"approval": types.ElicitResult(action="accept", content={"approve": True})}
        other = {**RECONCILE, "name": "podinfo"}
        again = await client.session.call_tool(
            "flux_reconcile", other, input_responses=yes, request_state=first.request_state, allow_input_required=True
        )
    assert isinstance(again, types.InputRequiredResult)  # asked again, about podinfo this time
    assert "flux-system/podinfo" in again.input_requests["approval"].params.message
    assert asked == [] and not [record for record in audit(tmp_path) if record["phase"] == "approval"]


async def test_a_client_that_fails_the_question_gets_a_refusal_not_an_internal_error(tmp_path):
    async def broken(context, params):
        return types.ErrorData(code=types.INTERNAL_ERROR, message="no dialog available")

    async with Client(app(tmp_path), mode="legacy", elicitation_callback=broken) as client:
        result = await client.call_tool("flux_reconcile", RECONCILE)
    assert result.structured_content["error_type"] == "PolicyDenied"
    assert "could not be asked (no dialog available)" in result.structured_content["error"]
    [approval] = [record for record in audit(tmp_path) if record["phase"] == "approval"]
    assert approval["answer"] == "unanswered" and approval["approved"] is False
