"""The `fluxtools` command line: list tools, call one, print the envelope."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from .config import ConfigError, FluxConfig
from .executor import FluxTools, default_runner
from .specs import ALL_SPECS, ToolSpec

FULL_REPORT_BYTES = 1_048_576
"""`--full`: the largest answer a tool gives."""


def tool_entry(spec: ToolSpec) -> dict[str, Any]:
    return {"name": spec.name, "description": spec.description, "parameters": spec.json_schema()}


def _config(config_file: str | None, **overrides: Any) -> FluxConfig:
    try:
        return FluxConfig.load(config_file, **overrides)
    except ConfigError as exc:
        raise click.UsageError(exc.message) from None


@click.group(help="Safe, structured Flux CD tools for agents and humans.")
@click.version_option(package_name="fluxtools")
def main() -> None:
    """Entry point."""


@main.command("tools", help="List the tools with their JSON Schemas.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of {name, description, parameters}.")
def tools_command(as_json: bool) -> None:
    entries = [tool_entry(spec) for spec in ALL_SPECS]
    if as_json:
        click.echo(json.dumps(entries, indent=2))
        return
    width = max(len(spec.name) for spec in ALL_SPECS)
    for spec in ALL_SPECS:
        flags = "mutating" if spec.mutating else "read"
        params = ", ".join(spec.json_schema()["properties"])
        click.echo(f"{spec.name:<{width}}  {flags:<8}  {params}")


@main.command("call", help="Call TOOL and print the result envelope as JSON (exit 0 on success, 1 on failure).")
@click.argument("tool")
@click.option("--args", "args_json", default="{}", help="Tool arguments as a JSON object.")
@click.option("--kubeconfig", default=None, help="Path to the kubeconfig file.")
@click.option("--context", default=None, help="kubeconfig context.")
@click.option("--namespace", default=None, help="Default namespace.")
@click.option("--config", "config_file", default=None, type=click.Path(), help="fluxtools YAML configuration.")
@click.option("--cluster", type=click.Choice(["demo"]), default=None, help="'demo': the embedded recorded cluster.")
def call_command(
    tool: str,
    args_json: str,
    kubeconfig: str | None,
    context: str | None,
    namespace: str | None,
    config_file: str | None,
    cluster: str | None,
) -> None:
    try:
        args = json.loads(args_json)
    except json.JSONDecodeError as exc:
        raise click.UsageError(f"--args is not valid JSON: {exc.msg} at position {exc.pos}") from None
    if not isinstance(args, dict):
        raise click.UsageError("--args must be a JSON object")
    config = _config(config_file, kubeconfig=kubeconfig, context=context, namespace=namespace, cluster=cluster)
    envelope = FluxTools(config).call(tool, args)
    click.echo(json.dumps(envelope, indent=2))
    sys.exit(0 if envelope.get("success") else 1)


@main.command("diagnose", help="Find what is broken in the GitOps pipeline and why (root causes first).")
@click.option("--cluster", type=click.Choice(["demo"]), default=None, help="'demo': the embedded recorded cluster.")
@click.option("--kubeconfig", default=None, help="Path to the kubeconfig file.")
@click.option("--context", default=None, help="kubeconfig context.")
@click.option("--namespace", default=None, help="Only this namespace.")
@click.option("--config", "config_file", default=None, type=click.Path(), help="fluxtools YAML configuration.")
@click.option("--json", "as_json", is_flag=True, help="Print the report envelope as JSON.")
@click.option("--max-bytes", type=click.IntRange(1024, FULL_REPORT_BYTES), default=None, help="Report budget in bytes.")
@click.option("--full", is_flag=True, help="No budget: every cause with every example (large on large clusters).")
def diagnose_command(
    cluster: str | None,
    kubeconfig: str | None,
    context: str | None,
    namespace: str | None,
    config_file: str | None,
    as_json: bool,
    max_bytes: int | None,
    full: bool,
) -> None:
    from .diagnosis.progress import ProgressRunner
    from .report import render

    config = _config(config_file, cluster=cluster, kubeconfig=kubeconfig, context=context)
    args: dict[str, Any] = {"namespace": namespace} if namespace else {}
    if full or max_bytes:
        args["max_bytes"] = FULL_REPORT_BYTES if full else max_bytes
    runner = ProgressRunner(default_runner(config), sys.stderr)
    envelope = FluxTools(config, runner=runner).call("flux_diagnose", args)
    runner.finish()
    click.echo(json.dumps(envelope, indent=2) if as_json else render(envelope))
    sys.exit(0 if envelope.get("success") else 1)


def _mcp_command() -> click.Command:
    from .mcp.command import mcp_command

    return mcp_command


main.add_command(_mcp_command())


if __name__ == "__main__":
    main()
