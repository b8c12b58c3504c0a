"""The argument forms models write, through every front end: the CLI, LangChain, LlamaIndex and MCP.

Each understood form answers exactly what its canonical arguments answer (on the recorded demo
cluster); each refused form is the same InvalidInput naming the conflict on every face.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from click.testing import CliRunner
from langchain_fluxcd import flux_tool
from llama_index.core.tools.calling import call_tool
from llama_index.tools.fluxcd import FluxToolSpec

from fluxtools import FluxConfig
from fluxtools.cli import main
from fluxtools.mcp import McpToolset, build_server
from tests.argument_forms import REFUSED, UNDERSTOOD

pytestmark = pytest.mark.demo
VOLATILE = {"duration_secs"}


def cli_face(tool: str, args: dict) -> dict:
    result = CliRunner().invoke(main, ["call", tool, "--cluster", "demo", "--args", json.dumps(args)])
    return json.loads(result.output)


def langchain_face(tool: str, args: dict) -> dict:
    message = flux_tool(tool, cluster="demo").invoke({"type": "tool_call", "id": "1", "name": tool, "args": args})
    return json.loads(message.content)


def llamaindex_face(tool: str, args: dict) -> dict:
    [function] = FluxToolSpec(selected_tools=[tool], cluster="demo").to_tool_list()
    output = call_tool(function, args)
    return json.loads(output.content.removeprefix("Encountered error: ") if output.is_error else output.content)


def mcp_face(tool: str, args: dict) -> dict:
    from mcp import Client

    async def run() -> dict[str, Any]:
        async with Client(build_server(McpToolset(FluxConfig(cluster="demo")))) as client:
            result = await client.call_tool(tool, args)
        return json.loads(result.content[0].text)

    return asyncio.run(run())


FACES = {"cli": cli_face, "langchain": langchain_face, "llamaindex": llamaindex_face, "mcp": mcp_face}


def steady(value: Any) -> Any:
    """An envelope without the fields that differ from run to run (durations)."""
    if isinstance(value, dict):
        return {key: steady(item) for key, item in value.items() if key not in VOLATILE}
    if isinstance(value, list):
        return [steady(item) for item in value]
    return value


@pytest.mark.parametrize("face", FACES)
@pytest.mark.parametrize(("tool", "given", "meant"), UNDERSTOOD, ids=[f"{t}-{json.dumps(g)}" for t, g, _ in UNDERSTOOD])
def test_an_understood_form_answers_as_its_canonical_arguments(face, tool, given, meant):
    answer = steady(FACES[face](tool, given))
    assert answer.get("error_type") != "InvalidInput", answer
    assert answer == steady(FACES[face](tool, meant))


@pytest.mark.parametrize("face", FACES)
@pytest.mark.parametrize(
    ("tool", "given", "field", "text"), REFUSED, ids=[f"{t}-{json.dumps(g)}" for t, g, *_ in REFUSED]
)
def test_a_refused_form_is_invalid_input_naming_the_conflict(face, tool, given, field, text):
    answer = FACES[face](tool, given)
    assert answer["success"] is False
    assert answer["error_type"] == "InvalidInput"
    assert answer["field"] == field
    assert text in answer["error"]
