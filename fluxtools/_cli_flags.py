"""Command-line flags generated from `FluxConfig`: `--config FILE` and one flag per setting."""

from __future__ import annotations

import types
from collections.abc import Callable, Collection
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

import click
from pydantic.fields import FieldInfo

from fluxtools._config import ConfigError, FluxConfig
from fluxtools.integration import load_config

F = TypeVar("F", bound=Callable[..., Any])
SCALARS: dict[Any, click.ParamType] = {int: click.INT, float: click.FLOAT, str: click.STRING}
CONFIG_FILE = "config_file"


def _without_none(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        rest = [arg for arg in get_args(annotation) if arg is not type(None)]
        return rest[0] if len(rest) == 1 else annotation
    return annotation


def setting_flag(name: str, field: FieldInfo) -> Callable[[F], F] | None:
    """A click option for one FluxConfig setting, or None when it has no command-line form (a callback)."""
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


def config_flags(*, exclude: Collection[str] = ()) -> Callable[[F], F]:
    """Decorate a command with `--config FILE` and one flag per FluxConfig setting not in `exclude`."""

    def decorate(command: F) -> F:
        for name, field in reversed(list(FluxConfig.model_fields.items())):
            option = None if name in exclude else setting_flag(name, field)
            if option is not None:
                command = option(command)
        config_file = click.option(
            "--config", CONFIG_FILE, default=None, type=click.Path(), help="fluxtools YAML configuration."
        )
        return config_file(command)

    return decorate


def config_from_flags(values: dict[str, Any]) -> FluxConfig:
    """The configuration the flags give (flags > file > environment); takes the flags out of `values`."""
    settings = {name: values.pop(name) for name in list(values) if name in FluxConfig.model_fields}
    try:
        return load_config(values.pop(CONFIG_FILE, None), overrides=settings)
    except ConfigError as exc:
        raise click.UsageError(exc.message) from None
