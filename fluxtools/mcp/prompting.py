"""The prompts and completions of `prompts.py` as SDK request handlers (needs the `mcp` extra)."""

from __future__ import annotations

from typing import Any

from mcp import types
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS

from fluxtools._errors import FluxError
from fluxtools.mcp.prompts import complete, prompts_for, render
from fluxtools.mcp.toolset import McpToolset


def prompt_handlers(toolset: McpToolset) -> dict[str, Any]:
    """`on_list_prompts`, `on_get_prompt` and `on_completion` for the SDK's `Server`."""
    listed = [
        types.Prompt(
            name=prompt.name,
            title=prompt.title,
            description=prompt.description,
            arguments=[
                types.PromptArgument(name=argument.name, description=argument.description, required=argument.required)
                for argument in prompt.arguments
            ],
        )
        for prompt in prompts_for(toolset)
    ]

    async def list_prompts(ctx: Any, params: types.PaginatedRequestParams | None) -> types.ListPromptsResult:
        return types.ListPromptsResult(prompts=listed)

    async def get_prompt(ctx: Any, params: types.GetPromptRequestParams) -> types.GetPromptResult:
        try:
            prompt, text = render(toolset, params.name, params.arguments)
        except FluxError as error:
            raise MCPError(INVALID_PARAMS, error.message) from None
        message = types.PromptMessage(role="user", content=types.TextContent(text=text))
        return types.GetPromptResult(description=prompt.description, messages=[message])

    async def completion(ctx: Any, params: types.CompleteRequestParams) -> types.CompleteResult:
        values: list[str] = []
        more = False
        if isinstance(params.ref, types.PromptReference):
            known = params.context.arguments if params.context else None
            values, more = await complete(toolset, params.ref.name, params.argument.name, params.argument.value, known)
        return types.CompleteResult(completion=types.Completion(values=values, has_more=more))

    return {"on_list_prompts": list_prompts, "on_get_prompt": get_prompt, "on_completion": completion}
