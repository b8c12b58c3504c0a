"""Offline agents for tests and notebooks: a scripted chat model that calls tools.

`ScriptedChatModel` is a `GenericFakeChatModel` that supports `bind_tools` and plays a
script. Each step is a final answer (a string), a list of tool calls `(name, args)`, or a
callable that reads what the tools answered so far (`Observation`s) and returns either.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import LanguageModelInput
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from pydantic import Field, PrivateAttr

from fluxtools.testing import Observation, Step


def observations(messages: Sequence[BaseMessage]) -> list[Observation]:
    """The tool calls in a conversation, each paired with the ToolMessage that answered it."""
    asked: dict[str, tuple[str, dict[str, Any]]] = {}
    seen: list[Observation] = []
    for message in messages:
        if isinstance(message, AIMessage):
            for call in message.tool_calls:
                asked[call["id"] or ""] = (call["name"], dict(call["args"]))
        elif isinstance(message, ToolMessage):
            name, args = asked.get(message.tool_call_id, (message.name or "", {}))
            text = message.content if isinstance(message.content, str) else json.dumps(message.content)
            seen.append(Observation(name, args, text))
    return seen


class ScriptedChatModel(GenericFakeChatModel):
    """A fake chat model for agent loops: plays `steps`, one per model turn, then `final`."""

    messages: Iterator[AIMessage | str] = Field(default_factory=lambda: iter(()))
    steps: list[Any] = Field(default_factory=list)
    final: str = "Done."
    _turn: int = PrivateAttr(default=0)
    _bound: list[str] = PrivateAttr(default_factory=list)

    @property
    def turns(self) -> int:
        return self._turn

    @property
    def bound_tools(self) -> list[str]:
        """Names of the tools the agent bound to the model."""
        return list(self._bound)

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Runnable[LanguageModelInput, AIMessage]:
        self._bound = [getattr(tool, "name", None) or str(tool) for tool in tools]
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        turn = self._turn
        self._turn += 1
        step: Step = self.steps[turn] if turn < len(self.steps) else self.final
        reply = step(observations(messages)) if callable(step) else step
        if isinstance(reply, str):
            message = AIMessage(content=reply)
        else:
            calls = [
                {"name": name, "args": dict(args), "id": f"call_{turn}_{index}", "type": "tool_call"}
                for index, (name, args) in enumerate(reply)
            ]
            message = AIMessage(content="", tool_calls=calls)
        return ChatResult(generations=[ChatGeneration(message=message)])
