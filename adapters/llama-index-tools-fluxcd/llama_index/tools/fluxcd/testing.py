"""Offline agents for tests and notebooks: a scripted `MockFunctionCallingLLM` that calls tools.

`scripted_llm(steps)` plays a script, one step per model turn. A step is a final answer (a
string), a list of tool calls `(name, args)`, or a callable that reads what the tools
answered so far (`Observation`s) and returns either.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from llama_index.core.base.llms.types import ChatMessage, MessageRole, ToolCallBlock
from llama_index.core.llms.mock import MockFunctionCallingLLM

from fluxtools.testing import Observation, Step


def observations(messages: Sequence[ChatMessage]) -> list[Observation]:
    """The tool calls in a conversation, each paired with the tool message that answered it."""
    asked: dict[str, tuple[str, dict[str, Any]]] = {}
    seen: list[Observation] = []
    for message in messages:
        for block in message.blocks:
            if isinstance(block, ToolCallBlock):
                arguments = block.tool_kwargs if isinstance(block.tool_kwargs, dict) else {}
                asked[block.tool_call_id or ""] = (block.tool_name, dict(arguments))
        if message.role == MessageRole.TOOL:
            name, args = asked.get(str(message.additional_kwargs.get("tool_call_id", "")), ("", {}))
            seen.append(Observation(name, args, message.content or ""))
    return seen


class Script:
    """The response generator of a scripted LLM: one step per turn, then `final`."""

    def __init__(self, steps: Sequence[Step], final: str = "Done.") -> None:
        self.steps = list(steps)
        self.final = final
        self.turns = 0
        self.bound_tools: list[str] = []

    def __call__(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatMessage:
        turn = self.turns
        self.turns += 1
        self.bound_tools = [tool.metadata.name or "" for tool in kwargs.get("tools") or []]
        step = self.steps[turn] if turn < len(self.steps) else self.final
        reply = step(observations(messages)) if callable(step) else step
        if isinstance(reply, str):
            return ChatMessage(role=MessageRole.ASSISTANT, content=reply)
        blocks = [
            ToolCallBlock(tool_call_id=f"call_{turn}_{index}", tool_name=name, tool_kwargs=dict(args))
            for index, (name, args) in enumerate(reply)
        ]
        return ChatMessage(role=MessageRole.ASSISTANT, blocks=blocks)


def scripted_llm(steps: Sequence[Step], final: str = "Done.") -> MockFunctionCallingLLM:
    """A `MockFunctionCallingLLM` playing `steps`; its `response_generator` is the `Script`."""
    return MockFunctionCallingLLM(response_generator=Script(steps, final))
