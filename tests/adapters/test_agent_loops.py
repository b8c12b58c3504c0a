"""Real agent loops, offline and deterministic: LangChain `create_agent` and LlamaIndex `FunctionAgent`.

Scripted models drive the real tools through the specification's three workflows, each with
one failing call the agent must receive and get past. Every loop runs sync and async, on the
recorded demo cluster (`demo`) and on a small in-memory cluster (ScriptedRunner).
"""

from __future__ import annotations

import asyncio
import warnings
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, ToolMessage
from langchain_fluxcd import FluxToolkit
from langchain_fluxcd.testing import ScriptedChatModel
from langchain_fluxcd.testing import observations as langchain_observations
from llama_index.core.agent.workflow import FunctionAgent, ToolCallResult
from llama_index.tools.fluxcd import FluxToolSpec
from llama_index.tools.fluxcd.testing import Observation, scripted_llm

from tests.adapters.fakes import FakeCluster
from tests.adapters.workflows import WORKFLOWS, Workflow, check_run, transcript

# LlamaIndex's workflow machinery reads deprecated pydantic attributes of the agent itself.
pytestmark = pytest.mark.filterwarnings("ignore::pydantic.warnings.PydanticDeprecationWarning")

CLUSTERS = [pytest.param("demo", marks=pytest.mark.demo), "fake"]
NAMES = list(WORKFLOWS)


def settings(cluster: str) -> dict[str, Any]:
    return {"cluster": "demo"} if cluster == "demo" else {"runner": FakeCluster().runner}


def load(factory: Any, workflow: Workflow, cluster: str) -> Any:
    """from_agent_spec on the workflow's agent YAML; names like kubectl are reported, not provided."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loaded = factory.from_agent_spec(workflow.agent_spec, **settings(cluster))
    assert [str(w.message) for w in caught if "does not provide" in str(w.message)] == (
        [str(caught[0].message)] if loaded.not_provided else []
    )
    return loaded


# LangChain -----------------------------------------------------------------------------
def langchain_agent(workflow: Workflow, cluster: str) -> tuple[Any, ScriptedChatModel, FluxToolkit]:
    toolkit = load(FluxToolkit, workflow, cluster)
    model = ScriptedChatModel(steps=list(workflow.steps))
    return create_agent(model, toolkit.get_tools(), system_prompt="You operate Flux CD."), model, toolkit


def check_langchain(workflow: Workflow, result: dict[str, Any], model: ScriptedChatModel, toolkit: Any) -> None:
    messages = result["messages"]
    seen = langchain_observations(messages)
    answer = messages[-1].content
    assert isinstance(messages[-1], AIMessage) and not messages[-1].tool_calls
    statuses = [m.status for m in messages if isinstance(m, ToolMessage)]
    assert statuses.count("error") == 1  # LangChain's own error flag, set by handle_tool_error/validation
    artifacts = [m.artifact for m in messages if isinstance(m, ToolMessage) and m.status == "success"]
    assert all(isinstance(a, dict) and a["success"] for a in artifacts)
    check_run(workflow, seen, answer)
    assert model.turns == len(workflow.steps)
    assert model.bound_tools == toolkit.selected_tools
    print(transcript(workflow, seen, answer))


@pytest.mark.parametrize("cluster", CLUSTERS)
@pytest.mark.parametrize("name", NAMES)
def test_langchain_agent_sync(name: str, cluster: str) -> None:
    workflow = WORKFLOWS[name]
    agent, model, toolkit = langchain_agent(workflow, cluster)
    result = agent.invoke({"messages": [{"role": "user", "content": workflow.prompt}]})
    check_langchain(workflow, result, model, toolkit)


@pytest.mark.parametrize("cluster", CLUSTERS)
@pytest.mark.parametrize("name", NAMES)
async def test_langchain_agent_async(name: str, cluster: str) -> None:
    workflow = WORKFLOWS[name]
    agent, model, toolkit = langchain_agent(workflow, cluster)
    result = await agent.ainvoke({"messages": [{"role": "user", "content": workflow.prompt}]})
    check_langchain(workflow, result, model, toolkit)


# LlamaIndex ----------------------------------------------------------------------------
async def run_llamaindex(workflow: Workflow, cluster: str, *, sync_tools: bool) -> None:
    spec = load(FluxToolSpec, workflow, cluster)
    functions = [sync for sync, _ in spec.spec_functions] if sync_tools else spec.spec_functions
    llm = scripted_llm(workflow.steps)
    agent = FunctionAgent(tools=spec.to_tool_list(spec_functions=functions), llm=llm, system_prompt="You operate Flux.")
    handler = agent.run(user_msg=workflow.prompt)
    results = [event async for event in handler.stream_events() if isinstance(event, ToolCallResult)]
    response = await handler
    results.sort(key=lambda event: [int(part) for part in event.tool_id.split("_")[1:]])  # parallel calls: by id
    seen = [Observation(event.tool_name, event.tool_kwargs, event.tool_output.content) for event in results]
    assert [event.tool_output.is_error for event in results].count(True) == 1  # LlamaIndex's own error flag
    assert all(isinstance(e.tool_output.raw_output, dict) for e in results if not e.tool_output.is_error)
    answer = str(response.response.content)
    check_run(workflow, seen, answer)
    assert llm.response_generator.turns == len(workflow.steps)
    assert llm.response_generator.bound_tools == [sync if isinstance(sync, str) else sync[0] for sync in functions]
    print(transcript(workflow, seen, answer))


@pytest.mark.parametrize("cluster", CLUSTERS)
@pytest.mark.parametrize("name", NAMES)
def test_llamaindex_agent_sync_tools(name: str, cluster: str) -> None:
    """Tools given as sync functions only (`fn`); LlamaIndex runs them off the event loop."""
    asyncio.run(run_llamaindex(WORKFLOWS[name], cluster, sync_tools=True))


@pytest.mark.parametrize("cluster", CLUSTERS)
@pytest.mark.parametrize("name", NAMES)
async def test_llamaindex_agent_async(name: str, cluster: str) -> None:
    await run_llamaindex(WORKFLOWS[name], cluster, sync_tools=False)
