"""The `fluxtools` command line: list tools, call one, print the envelope."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from fluxtools._cli_flags import config_flags, config_from_flags
from fluxtools._entry import FluxTools, default_runner
from fluxtools._errors import InvalidInput, UnknownTool
from fluxtools._published import get_spec, specs_for
from fluxtools._toolsets import check_toolsets
from fluxtools.integration import arguments_from_json, call, content
from fluxtools.specs import ToolSpec

FULL_REPORT_BYTES = 1_048_576
"""`--full`: the largest answer a tool gives."""
DIAGNOSE_FORMATS = ("text", "json", "mermaid", "html")
EXIT_ANSWERED, EXIT_FAILED, EXIT_USAGE, EXIT_NOT_SUCCEEDED = 0, 1, 2, 3
"""The exit statuses: the envelope's `success` (0, 1), a usage error (2, click's), and 3 when the tool answered
but what it answered is not a success: a verdict other than `succeeded`, or (`diagnose --exit-code`) objects
failing or not read."""


def tool_entry(spec: ToolSpec) -> dict[str, Any]:
    return {"name": spec.name, "description": spec.description, "parameters": spec.json_schema()}


@click.group(help="Safe, structured Flux CD tools for agents and humans.")
@click.version_option(package_name="fluxtools")
def main() -> None:
    """Entry point."""


@main.command(
    "tools", help="List the tools (one line each), or with NAME print that tool's {name, description, parameters}."
)
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of {name, description, parameters}.")
@click.option("--toolsets", multiple=True, help="Only the tools of these toolsets (read, operate, diagnose, ...).")
def tools_command(name: str | None, as_json: bool, toolsets: tuple[str, ...]) -> None:
    if name is not None:
        try:
            spec = get_spec(name)
        except UnknownTool as exc:
            raise click.UsageError(exc.message) from None
        click.echo(json.dumps(tool_entry(spec), indent=2))
        return
    try:
        listed = specs_for(toolsets=check_toolsets(toolsets))
    except ValueError as exc:
        raise click.UsageError(f"--toolsets: {exc}") from None
    entries = [tool_entry(spec) for spec in listed]
    if as_json:
        click.echo(json.dumps(entries, indent=2))
        return
    width = max(len(spec.name) for spec in listed)
    for spec in listed:
        flags = "mutating" if spec.mutating else "read"
        params = ", ".join(spec.json_schema()["properties"])
        click.echo(f"{spec.name:<{width}}  {flags:<8}  {params}")


@main.command(
    "call",
    help="Call TOOL and print the result envelope as JSON. Exit 0 on success, 1 on failure, 2 on a usage error, "
    "3 when the answer is a verdict other than succeeded (failed, timed_out, not_handled, suspended).",
)
@click.argument("tool")
@click.option("--args", "args_json", default="{}", help="Tool arguments as a JSON object.")
@config_flags()
def call_command(tool: str, args_json: str, **values: Any) -> None:
    try:
        args = arguments_from_json(tool, args_json)
    except InvalidInput as exc:
        raise click.UsageError(f"--args: {exc.message}") from None
    envelope = call(FluxTools(config_from_flags(values)), tool, args)
    click.echo(content(envelope, indent=2))
    sys.exit(call_status(envelope))


def call_status(envelope: dict[str, Any]) -> int:
    """0, 1 by the envelope's `success`; 3 for a verdict other than succeeded (`flux reconcile` fails then too)."""
    if not envelope.get("success"):
        return EXIT_FAILED
    verdict = (envelope.get("data") or {}).get("verdict")
    return EXIT_NOT_SUCCEEDED if verdict not in (None, "succeeded") else EXIT_ANSWERED


def diagnose_status(envelope: dict[str, Any], exit_code: bool) -> int:
    """0, 1 by the envelope's `success`; with `exit_code`, 3 while anything fails or was not read."""
    if not envelope.get("success"):
        return EXIT_FAILED
    if not exit_code:
        return EXIT_ANSWERED
    data = envelope.get("data") or {}
    if "fleet" in data:
        clean = all(row["status"] == "ok" for row in data["clusters"])
        failing = (data["fleet"].get("counts") or {}).get("failed", 0) or data.get("causes_total", 0)
    else:
        clean = not data.get("unread")
        failing = ((data.get("summary") or {}).get("counts") or {}).get("failed", 0)
    return EXIT_NOT_SUCCEEDED if failing or not clean else EXIT_ANSWERED


@main.command("diagnose", help="Find what is broken in the GitOps pipeline and why (root causes first).")
@click.option("--namespace", "scope", default=None, help="Only this namespace (default: every namespace in scope).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(DIAGNOSE_FORMATS),
    default="text",
    help="text (terminal report), json (the envelope), mermaid (flowchart) or html (self-contained page).",
)
@click.option("--output", type=click.Path(dir_okay=False, writable=True), default=None, help="Write to FILE.")
@click.option(
    "--context",
    "contexts",
    multiple=True,
    help="kubeconfig context to diagnose; repeat it for a fleet report across clusters.",
)
@click.option(
    "--all-contexts", is_flag=True, help="Every kubeconfig context on the allow-list fleet_contexts, one report."
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option(
    "--max-bytes",
    type=click.IntRange(1024, FULL_REPORT_BYTES),
    default=None,
    help="Report budget in bytes (default: the configured budget).",
)
@click.option("--full", is_flag=True, help="No budget: every cause with every example (large on large clusters).")
@click.option(
    "--exit-code",
    is_flag=True,
    help="Exit 3 while any object is failing or anything could not be read (as git diff --exit-code); "
    "without it the exit status says only whether the diagnosis ran (0) or not (1).",
)
@config_flags(exclude={"namespace", "context"})
def diagnose_command(
    scope: str | None,
    output_format: str,
    output: str | None,
    contexts: tuple[str, ...],
    all_contexts: bool,
    as_json: bool,
    max_bytes: int | None,
    full: bool,
    exit_code: bool,
    **values: Any,
) -> None:
    from fluxtools.diagnosis.progress import ProgressRunner
    from fluxtools.picture import Diagnosis

    output_format = "json" if as_json else output_format
    if all_contexts and contexts:
        raise click.UsageError("--context and --all-contexts exclude each other")
    fleet = all_contexts or len(contexts) > 1
    if fleet and output_format in ("mermaid", "html"):
        raise click.UsageError(f"--format {output_format} draws one cluster: give one --context (or none)")
    if not fleet and contexts:
        values["context"] = contexts[0]
    config = config_from_flags(values)
    if fleet and contexts and not config.fleet_contexts:  # the contexts named here are this run's allow-list
        config = config.model_copy(update={"fleet_contexts": list(dict.fromkeys(contexts))})
    args: dict[str, Any] = {"namespace": scope} if scope else {}
    args["max_bytes"] = FULL_REPORT_BYTES if full else max_bytes or config.output_budget_bytes
    if fleet:
        from fluxtools.fleet.terminal import diagnose_fleet

        envelope, text = diagnose_fleet(config, args, list(contexts), sys.stderr)
        _emit(content(envelope, indent=2) if output_format == "json" else text, output)
        sys.exit(diagnose_status(envelope, exit_code))
    if output_format in ("mermaid", "html"):
        args["graph"] = True
    runner = ProgressRunner(default_runner(config), sys.stderr)
    envelope = call(FluxTools(config, runner=runner), "flux_diagnose", args)
    runner.finish()
    view = Diagnosis(envelope)
    text = {
        "text": view.text,
        "json": lambda: content(envelope, indent=2),
        "mermaid": lambda: view.mermaid() or view.text(),
        "html": view.html,
    }[output_format]()
    if config.cluster == "demo" and output_format == "text":
        from fluxtools.demo import fleet_hint

        text = text.rstrip("\n") + "\n" + fleet_hint()
    _emit(text, output)
    sys.exit(diagnose_status(envelope, exit_code))


def _emit(text: str, output: str | None) -> None:
    """The report on stdout, or written to `output` (said on stderr)."""
    if output:
        with open(output, "w", encoding="utf-8") as file:
            file.write(text if text.endswith("\n") else text + "\n")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))


def _mcp_command() -> click.Command:
    from fluxtools.mcp.command import mcp_command

    return mcp_command


main.add_command(_mcp_command())


if __name__ == "__main__":
    main()
