"""The `fluxtools mcp` command: how to serve, plus the configuration flags every command has."""

from __future__ import annotations

import os
from typing import Any

import click

from fluxtools._cli_flags import config_flags, config_from_flags
from fluxtools._config import ConfigError
from fluxtools.mcp.auth import TOKEN_ENV, read_token, require_token_off_loopback


@click.command(
    "mcp",
    help="Serve the tools over MCP: stdio by default, or streamable HTTP at http://HOST:PORT/mcp with --http.",
)
@click.option("--http", is_flag=True, help="Serve streamable HTTP instead of stdio.")
@click.option("--host", default="127.0.0.1", show_default=True, help="HTTP address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="HTTP port.")
@click.option(
    "--allow-context",
    "allow_context",
    multiple=True,
    help="A kubeconfig context calls may choose with their 'context' argument (repeat the option).",
)
@click.option(
    "--token-file",
    default=None,
    type=click.Path(dir_okay=False),
    help=f"File holding the bearer token HTTP clients must send (default: ${TOKEN_ENV}); "
    "required to bind an address other than loopback.",
)
@config_flags()
def mcp_command(
    http: bool, host: str, port: int, allow_context: tuple[str, ...], token_file: str | None, **values: Any
) -> None:
    config = config_from_flags(values)
    if token_file is not None and not http:
        raise click.UsageError("--token-file guards the HTTP server: add --http")
    try:
        token = read_token(token_file, os.environ) if http else None
        if http:
            require_token_off_loopback(host, token)
    except ConfigError as exc:
        raise click.UsageError(exc.message) from None
    try:
        from fluxtools.mcp.server import serve
    except ImportError as exc:
        raise click.ClickException(
            f"The MCP server needs the mcp package ({exc}). Install the mcp extra; from a checkout: "
            "pip install -e '.[mcp]'"
        ) from None
    from fluxtools.mcp.toolset import McpToolset

    serve(McpToolset(config, contexts=allow_context), http=http, host=host, port=port, token=token)
