"""The `fluxtools mcp` command: FluxConfig settings become flags, one per field."""

from __future__ import annotations

import os
import types
from collections.abc import Callable
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

import click
from pydantic.fields import FieldInfo

from ..config import ConfigError, FluxConfig
from .auth import TOKEN_ENV, read_token, require_token_off_loopback

F = TypeVar("F", bound=Callable[..., Any])
SCALARS: dict[Any, click.ParamType] = {int: click.INT, float: click.FLOAT, str: click.STRING}


def _without_none(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        rest = [arg for arg in get_args(annotation) if arg is not type(None)]
        return rest[0] if len(rest) == 1 else annotation
    return annotation


def config_option(name: str, field: FieldInfo) -> Callable[[F], F] | None:
    """A click option for one FluxConfig field, or None when it has no command-line form."""
    flag = name.replace("_", "-")
    kind = _without_none(field.annotation)
    help_text = field.description or ""
    if kind is bool:
        return click.option(f"--{flag}/--no-{flag}", name, default=None, help=help_text)
    if get_origin(kind) is Literal:
        return click.option(f"--{flag}", name, type=click.Choice([str(v) for v in get_args(kind)]), help=help_text)
    if get_origin(kind) is list and get_args(kind) and get_args(kind)[0] in SCALARS:
        item = SCALARS[get_args(kind)[0]]
        return click.option(f"--{flag}", name, type=item, multiple=True, help=f"{help_text} (repeat the option)")
    if kind in SCALARS:
        return click.option(f"--{flag}", name, type=SCALARS[kind], default=None, help=help_text)
    return None


def config_options(command: F) -> F:
    """Decorate `command` with one option per FluxConfig field that has a command-line form."""
    for name, field in reversed(list(FluxConfig.model_fields.items())):
        option = config_option(name, field)
        if option is not None:
            command = option(command)
    return command


def load_config(config_file: str | None, values: dict[str, Any]) -> FluxConfig:
    overrides = {key: (list(value) if isinstance(value, tuple) else value) for key, value in values.items()}
    overrides = {key: value for key, value in overrides.items() if value not in (None, [])}
    try:
        return FluxConfig.load(config_file, **overrides)
    except ConfigError as exc:
        raise click.UsageError(exc.message) from None


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
@click.option("--config", "config_file", default=None, type=click.Path(), help="fluxtools YAML configuration.")
@config_options
def mcp_command(
    http: bool,
    host: str,
    port: int,
    allow_context: tuple[str, ...],
    token_file: str | None,
    config_file: str | None,
    **values: Any,
) -> None:
    config = load_config(config_file, values)
    if token_file is not None and not http:
        raise click.UsageError("--token-file guards the HTTP server: add --http")
    try:
        token = read_token(token_file, os.environ) if http else None
        if http:
            require_token_off_loopback(host, token)
    except ConfigError as exc:
        raise click.UsageError(exc.message) from None
    try:
        from .server import serve
    except ImportError as exc:
        raise click.ClickException(
            f"The MCP server needs the mcp package ({exc}). Install it: pip install 'fluxtools[mcp]'"
        ) from None
    from .toolset import McpToolset

    serve(McpToolset(config, contexts=allow_context), http=http, host=host, port=port, token=token)
