"""Spans of calls through each adapter: LangChain (with the model's tool call id) and LlamaIndex."""

from __future__ import annotations

import json

import pytest

from fluxtools.testing import ScriptedRunner
from tests.unit.support import ready_object

langchain_fluxcd = pytest.importorskip("langchain_fluxcd")
llama_fluxcd = pytest.importorskip("llama_index.tools.fluxcd")

NOT_FOUND = 'Error from server (NotFound): kustomizations.kustomize.toolkit.fluxcd.io "apps" not found'


def runner(code=0):
    return ScriptedRunner(lambda argv: (0, json.dumps(ready_object()), "") if code == 0 else (1, "", NOT_FOUND))


def tool_spans(spans):
    return [span for span in spans.get_finished_spans() if span.name == "execute_tool flux_kustomization_get"]


def tool_call(call_id):
    return {"type": "tool_call", "id": call_id, "name": "flux_kustomization_get", "args": {"name": "apps"}}


def test_langchain_sync_call_carries_the_tool_call_id(spans):
    tool = langchain_fluxcd.FluxTool(spec="flux_kustomization_get", runner=runner())
    message = tool.invoke(tool_call("call_lc_sync"))
    assert message.tool_call_id == "call_lc_sync" and message.status == "success"
    [span] = tool_spans(spans)
    assert span.attributes["gen_ai.tool.call.id"] == "call_lc_sync"
    assert span.attributes["gen_ai.tool.name"] == "flux_kustomization_get"
    assert [child.name for child in spans.get_finished_spans() if child.parent == span.context] == ["kubectl get"]


async def test_langchain_async_failure_carries_id_and_error_type(spans):
    tool = langchain_fluxcd.FluxTool(spec="flux_kustomization_get", runner=runner(code=1))
    message = await tool.ainvoke(tool_call("call_lc_async"))
    assert message.status == "error"
    [span] = tool_spans(spans)
    assert span.attributes["gen_ai.tool.call.id"] == "call_lc_async"
    assert span.attributes["error.type"] == "NotFound"


def test_langchain_without_a_tool_call_has_no_id(spans):
    tool = langchain_fluxcd.FluxTool(spec="flux_kustomization_get", runner=runner())
    tool.invoke({"name": "apps"})
    [span] = tool_spans(spans)
    assert "gen_ai.tool.call.id" not in span.attributes


def test_llamaindex_sync_and_async_calls_are_traced(spans):
    import asyncio

    tools = {tool.metadata.name: tool for tool in llama_fluxcd.FluxToolSpec(runner=runner()).to_tool_list()}
    tools["flux_kustomization_get"].call(name="apps")
    asyncio.run(tools["flux_kustomization_get"].acall(name="apps"))
    found = tool_spans(spans)
    assert len(found) == 2
    assert all(span.attributes["gen_ai.operation.name"] == "execute_tool" for span in found)
    assert all("error.type" not in span.attributes for span in found)
