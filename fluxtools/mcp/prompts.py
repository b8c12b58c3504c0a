"""MCP prompts an operator picks from a client's menu, and completion of their arguments from the cluster.

`diagnose_cluster` (the cluster or one namespace, with fixes proposed), `explain_failure` (why one Flux
object fails) and, when fleet calls are allowed, `check_fleet`. Each renders one user message that names
the tool calls to make. Arguments are validated as the tools validate them; namespaces and object names
are completed from what the cluster holds (`flux_get_all`), kinds and contexts from their allowed values.
No SDK needed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fluxtools._errors import InvalidInput
from fluxtools._validation import NAME_PATTERN, NAMESPACE_PATTERN

if TYPE_CHECKING:
    from fluxtools.mcp.toolset import McpToolset

KINDS = ("kustomization", "helmrelease", "gitrepository", "ocirepository", "bucket", "helmrepository", "helmchart")
SOURCE_NOUN = {"gitrepository": "git", "ocirepository": "oci", "bucket": "bucket", "helmrepository": "helm",
               "helmchart": "chart"}  # fmt: skip
MAX_VALUES = 100
"""Most values one completion answer may carry (MCP's limit)."""


@dataclass(frozen=True)
class Argument:
    name: str
    description: str
    required: bool = False


@dataclass(frozen=True)
class Prompt:
    name: str
    title: str
    description: str
    arguments: tuple[Argument, ...]
    render: Callable[[Mapping[str, str]], str]


CONTEXT = Argument("context", "kubeconfig context of the cluster (default: the server's)")
NAMESPACE = Argument("namespace", "Only this namespace (default: all namespaces)")


def _where(args: Mapping[str, str]) -> str:
    context = f", in the kubeconfig context '{args['context']}'" if args.get("context") else ""
    scope = f"in the namespace '{args['namespace']}'" if args.get("namespace") else "across all namespaces"
    return scope + context


def _call(tool: str, args: Mapping[str, Any]) -> str:
    shown = ", ".join(f"{key}={value!r}" for key, value in args.items() if value not in (None, ""))
    return f"{tool}({shown})"


def diagnose_text(args: Mapping[str, str]) -> str:
    call = _call("flux_diagnose", {"namespace": args.get("namespace"), "context": args.get("context")})
    return (
        f"Diagnose the Flux GitOps pipeline {_where(args)}. Start with {call}: it ranks the root causes and "
        "groups the objects that fail for the same one. For each cause, in order of impact: say what is "
        "broken and why (reason, message, the warning events and controller log lines it cites), what it "
        "blocks, and propose a fix: the next action the report names (a tool call or a flux command), what "
        "it would change, and what to check afterwards. Read more (flux_events, flux_logs, the get tools) only "
        "where the evidence is thin. Change nothing yourself: list the mutations you propose (flux_reconcile, "
        "flux_resume, ...) for me to approve."
    )


def explain_text(args: Mapping[str, str]) -> str:
    kind, name = args["kind"], args["name"]
    namespace = args.get("namespace") or None
    where = {"namespace": namespace, "context": args.get("context")}
    if kind in SOURCE_NOUN:
        read = _call("flux_source_get", {"kind": SOURCE_NOUN[kind], "name": name, **where})
    else:
        read = _call(f"flux_{kind}_get", {"name": name, **where})
    narrow = _call("flux_diagnose", {"kind": kind, "name_contains": name, **where})
    return (
        f"Explain why the {kind} '{name}'{f' in {namespace}' if namespace else ''} fails. Read it with {read} "
        f"(its conditions, reason and message), then {narrow} to follow its dependsOn and source references "
        "to the root cause, with the warning events and controller log lines about it. Answer with: the root "
        "cause in one sentence, the evidence (quoted), whether it is this object or something it depends on, "
        "and the fix (the next action, as a tool call or flux command). Change nothing yourself."
    )


def fleet_text(args: Mapping[str, str]) -> str:
    contexts = [part.strip() for part in (args.get("contexts") or "").split(",") if part.strip()]
    fleet: dict[str, Any] = {"contexts": contexts} if contexts else {"all_contexts": True}
    return (
        f"Check the fleet of clusters. Call {_call('flux_diagnose', fleet)} and "
        f"{_call('flux_stats', fleet)}. Report per cluster: healthy or not, its top causes, and clusters "
        "that could not be read. Then name the causes several clusters share, and rank the clusters by "
        "impact. Propose fixes, most impact first; change nothing yourself."
    )


DIAGNOSE = Prompt(
    "diagnose_cluster",
    "Diagnose the cluster and propose fixes",
    "Find what is broken in the GitOps pipeline (the whole cluster or one namespace), why, and how to fix it.",
    (NAMESPACE, CONTEXT),
    diagnose_text,
)
EXPLAIN = Prompt(
    "explain_failure",
    "Explain why one object fails",
    "Why one Flux object is not Ready: its own state, what it depends on, the evidence, the fix.",
    (
        Argument("kind", f"Flux kind: {', '.join(KINDS)}", required=True),
        Argument("name", "Object name", required=True),
        Argument("namespace", "Namespace of the object (default: the server's namespace)"),
        CONTEXT,
    ),
    explain_text,
)
FLEET = Prompt(
    "check_fleet",
    "Check a fleet of clusters",
    "The health of every allowed cluster at once: causes per cluster, shared causes, clusters ranked.",
    (Argument("contexts", "Comma-separated kubeconfig contexts (default: every allowed one)"),),
    fleet_text,
)


def prompts_for(toolset: McpToolset) -> list[Prompt]:
    """The prompts this server offers: the fleet check only where fleet calls are allowed."""
    return [DIAGNOSE, EXPLAIN] + ([FLEET] if toolset.config.fleet_contexts else [])


def find(toolset: McpToolset, name: str) -> Prompt:
    for prompt in prompts_for(toolset):
        if prompt.name == name:
            return prompt
    offered = ", ".join(prompt.name for prompt in prompts_for(toolset))
    raise InvalidInput(f"Unknown prompt '{name}' (offered: {offered})", field="name")


def checked(toolset: McpToolset, prompt: Prompt, given: Mapping[str, str] | None) -> dict[str, str]:
    """The prompt's arguments, validated as the tools would validate them."""
    args = {key: value.strip() for key, value in (given or {}).items() if isinstance(value, str) and value.strip()}
    allowed = {argument.name for argument in prompt.arguments}
    unknown = sorted(set(args) - allowed)
    if unknown:
        raise InvalidInput(f"Unknown argument '{unknown[0]}' of prompt {prompt.name} (allowed: {', '.join(allowed)})")
    for argument in prompt.arguments:
        if argument.required and argument.name not in args:
            raise InvalidInput(f"'{argument.name}' is required by prompt {prompt.name}", field=argument.name)
    if "kind" in args and args["kind"].lower() not in KINDS:
        raise InvalidInput(f"'kind' must be one of {', '.join(KINDS)}", field="kind")
    if "kind" in args:
        args["kind"] = args["kind"].lower()
    if "namespace" in args and not NAMESPACE_PATTERN.fullmatch(args["namespace"]):
        raise InvalidInput(f"'{args['namespace']}' is not a valid namespace (RFC 1123 label)", field="namespace")
    if "name" in args and not NAME_PATTERN.fullmatch(args["name"]):
        raise InvalidInput(f"'{args['name']}' is not a valid object name", field="name")
    contexts = toolset.contexts or toolset.config.fleet_contexts
    wanted = [args["context"]] if "context" in args else []
    wanted += [part.strip() for part in args.get("contexts", "").split(",") if part.strip()]
    refused = [context for context in wanted if context not in contexts]
    if refused:
        allowed_contexts = ", ".join(contexts) or "none: this server runs in one context"
        raise InvalidInput(f"Context '{refused[0]}' is not allowed here (allowed: {allowed_contexts})", field="context")
    return args


def render(toolset: McpToolset, name: str, given: Mapping[str, str] | None) -> tuple[Prompt, str]:
    """The prompt and its one user message."""
    prompt = find(toolset, name)
    return prompt, prompt.render(checked(toolset, prompt, given))


async def complete(
    toolset: McpToolset, prompt_name: str, argument: str, typed: str, known: Mapping[str, str] | None
) -> tuple[list[str], bool]:
    """Values for `argument` starting with `typed`, and whether there are more than were sent."""
    known = dict(known or {})
    if argument == "kind":
        values: Sequence[str] = KINDS
    elif argument == "context":
        values = toolset.contexts
    elif argument == "contexts":
        done, _, typed = typed.rpartition(",")
        prefix = f"{done}," if done else ""
        values = [prefix + context for context in toolset.config.fleet_contexts]
        typed = prefix + typed.strip()
    elif argument in ("namespace", "name"):
        values = await _from_cluster(toolset, argument, known)
    else:
        values = []
    matching = [value for value in dict.fromkeys(values) if value.startswith(typed)]
    return matching[:MAX_VALUES], len(matching) > MAX_VALUES


async def _from_cluster(toolset: McpToolset, argument: str, known: Mapping[str, str]) -> list[str]:
    """Namespaces holding Flux objects, or the names of objects of the known kind (and namespace)."""
    flux = toolset.tools_for(known["context"]) if known.get("context") in toolset.contexts else toolset.default
    envelope = await flux.acall("flux_get_all", {"max_bytes": 1_048_576})
    objects = (envelope.get("data") or {}).get("objects") or [] if envelope.get("success") else []
    if argument == "namespace":
        return sorted({str(item.get("namespace")) for item in objects if item.get("namespace")})
    kind = (known.get("kind") or "").lower()
    namespace = known.get("namespace")
    return sorted(
        {
            str(item.get("name"))
            for item in objects
            if (not kind or str(item.get("kind", "")).lower() == kind)
            and (not namespace or item.get("namespace") == namespace)
        }
    )
