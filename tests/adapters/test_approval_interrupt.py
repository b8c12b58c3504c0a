"""The approval hook pauses a LangGraph agent through an interrupt and resumes with the human's answer."""

from __future__ import annotations

import pytest
from langchain.agents import create_agent
from langchain_core.messages import ToolMessage
from langchain_fluxcd import FluxToolkit
from langchain_fluxcd.testing import ScriptedChatModel
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command, interrupt

from tests.adapters.fakes import FakeCluster

SUSPEND = ("flux_suspend", {"kind": "kustomization", "name": "apps"})


def ask_human(request):
    answer = interrupt({"action": request.action, "tool": request.tool})
    return (answer == "yes", None if answer == "yes" else f"declined: {answer}")


@pytest.mark.parametrize(("answer", "suspended"), [("yes", True), ("no", False)])
def test_interrupt_then_resume(answer: str, suspended: bool) -> None:
    cluster = FakeCluster()
    tools = FluxToolkit(approver=ask_human, runner=cluster.runner).get_tools()
    model = ScriptedChatModel(steps=[[SUSPEND]])
    agent = create_agent(model, tools, checkpointer=InMemorySaver())
    thread = {"configurable": {"thread_id": f"incident-{answer}"}}

    first = agent.invoke({"messages": [("user", "Suspend apps now.")]}, thread)
    pending = first["__interrupt__"][0].value
    assert pending == {"action": "suspend kustomization flux-system/apps", "tool": "flux_suspend"}
    assert not [call for call in cluster.runner.calls if call[0] == "flux"]  # nothing ran yet

    result = agent.invoke(Command(resume=answer), thread)
    reply = next(m for m in result["messages"] if isinstance(m, ToolMessage))
    ran = [call for call in cluster.runner.calls if call[:2] == ["flux", "suspend"]]
    assert bool(ran) is suspended
    assert ('"suspended":true' in reply.content) is suspended
    if not suspended:
        assert "PolicyDenied" in reply.content and "declined: no" in reply.content
