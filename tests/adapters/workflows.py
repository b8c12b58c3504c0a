"""The specification's three agent workflows as model scripts both frameworks can play.

A step is a list of tool calls, a final answer, or a function of the observations so far
(anything with `.name`, `.args`, `.is_error`, `.envelope`, `.data`): the scripted model
reads the tools' answers the way a real one would, including the one failing call each
workflow makes on purpose.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SPECS = Path(__file__).parent / "agent_specs"

Call = tuple[str, dict[str, Any]]
Step = Any  # str | list[Call] | Callable[[list[Observation-like]], str | list[Call]]


@dataclass(frozen=True)
class Workflow:
    name: str
    agent_spec: Path
    prompt: str
    steps: Sequence[Step]
    failing: tuple[str, str]
    """(tool, error_type) of the call that fails on purpose."""
    calls: Callable[[list[Any]], list[str]]
    """The tools the run must call, in order (some runs depend on what the tools answered)."""
    final: Callable[[list[Any]], str]


def _last(observations: list[Any], name: str) -> Any:
    return next(obs for obs in reversed(observations) if obs.name == name)


def _retry_after(error_type: str, calls: list[Call]) -> Callable[[list[Any]], Any]:
    """The model reads the error it got and continues with corrected calls.

    Calls of one turn run in parallel, so their answers come back in any order: the step looks
    for the newest error rather than the last answer.
    """

    def step(observations: list[Any]) -> Any:
        errors = [obs for obs in observations if obs.is_error]
        if not errors or errors[-1].envelope.get("error_type") != error_type:
            return f"stopping: expected a {error_type} error, got {[obs.envelope for obs in errors]}"
        return calls

    return step


# deployment: get → reconcile with source → check --------------------------------------
def _deployment_summary(observations: list[Any]) -> str:
    verdict = _last(observations, "flux_reconcile").data
    state = _last(observations, "flux_kustomization_get").data
    return (
        f"Deployed apps: reconcile verdict {verdict.get('verdict')} at revision {verdict.get('revision')}; "
        f"apps is now ready={state.get('ready')}."
    )


DEPLOYMENT = Workflow(
    name="deployment",
    agent_spec=SPECS / "deployment-agent.yaml",
    prompt="Deploy the latest commit of the Apps kustomization and tell me whether it worked.",
    steps=[
        [("flux_kustomization_get", {"name": "Apps"})],
        _retry_after("InvalidInput", [("flux_kustomization_get", {"name": "apps"})]),
        [("flux_reconcile", {"kind": "kustomization", "name": "apps", "with_source": True})],
        [
            ("flux_kustomization_get", {"name": "apps"}),
            ("flux_logs", {"kind": "kustomize-controller", "level": "error"}),
        ],
        _deployment_summary,
    ],
    failing=("flux_kustomization_get", "InvalidInput"),
    calls=lambda _: [
        "flux_kustomization_get",
        "flux_kustomization_get",
        "flux_reconcile",
        "flux_kustomization_get",
        "flux_logs",
    ],
    final=_deployment_summary,
)


# RCA: list both kinds → get the failing ones → logs -------------------------------------
TEAM_NAMESPACES = ("flux-system", "apps")
"""The user asks about their team's namespaces; the model keeps to them."""


def _failing(observations: list[Any]) -> list[Call]:
    calls: list[Call] = []
    for tool, key, get in (
        ("flux_kustomization_list", "kustomizations", "flux_kustomization_get"),
        ("flux_helmrelease_list", "helmreleases", "flux_helmrelease_get"),
    ):
        for item in _last(observations, tool).data[key]:
            if item["ready"] != "True" and not item["suspended"] and item["namespace"] in TEAM_NAMESPACES:
                calls.append((get, {"name": item["name"], "namespace": item["namespace"]}))
    return calls


def _rca_summary(observations: list[Any]) -> str:
    found = [obs.data for obs in observations if obs.name.endswith("_get") and not obs.is_error]
    found.sort(key=lambda item: (item["namespace"], item["name"]))  # parallel answers arrive in any order
    lines = [f"- {item['namespace']}/{item['name']}: {item.get('reason')}: {item.get('status')}" for item in found]
    return "Root cause analysis, failing objects:\n" + "\n".join(lines)


RCA = Workflow(
    name="rca",
    agent_spec=SPECS / "rca-agent.yaml",
    prompt=(
        "Someone says does-not-exist is broken, and several of our deployments in flux-system and apps "
        "fail. Find out why."
    ),
    steps=[
        [("flux_kustomization_get", {"name": "does-not-exist"})],
        _retry_after("NotFound", [("flux_kustomization_list", {}), ("flux_helmrelease_list", {})]),
        _failing,
        [
            ("flux_logs", {"kind": "kustomize-controller", "level": "error"}),
            ("flux_logs", {"kind": "helm-controller", "level": "error"}),
        ],
        _rca_summary,
    ],
    failing=("flux_kustomization_get", "NotFound"),
    calls=lambda observations: [
        "flux_kustomization_get",
        "flux_kustomization_list",
        "flux_helmrelease_list",
        *(name for name, _ in _failing(observations)),
        "flux_logs",
        "flux_logs",
    ],
    final=_rca_summary,
)


# incident response: suspend → get → logs → resume ---------------------------------------
def _incident_summary(observations: list[Any]) -> str:
    resumed = _last(observations, "flux_resume").data
    return (
        f"Incident handled: apps was suspended, inspected and resumed "
        f"(resume verdict {resumed.get('verdict')}, ready={resumed.get('ready')})."
    )


INCIDENT = Workflow(
    name="incident",
    agent_spec=SPECS / "incident-response-agent.yaml",
    prompt="apps is rolling out a bad change: stop it, look at it, then put it back when I confirm. Confirmed.",
    steps=[
        [("flux_suspend", {"kind": "kustomization", "name": "apps"})],
        [("flux_kustomization_get", {"name": "apps"}), ("flux_helmrelease_get", {"name": "podinfo"})],
        _retry_after(
            "InvalidInput",
            [
                ("flux_helmrelease_get", {"name": "podinfo", "namespace": "apps"}),
                ("flux_logs", {"kind": "kustomize-controller"}),
            ],
        ),
        [("flux_resume", {"kind": "kustomization", "name": "apps"})],
        _incident_summary,
    ],
    failing=("flux_helmrelease_get", "InvalidInput"),
    calls=lambda _: [
        "flux_suspend",
        "flux_kustomization_get",
        "flux_helmrelease_get",
        "flux_helmrelease_get",
        "flux_logs",
        "flux_resume",
    ],
    final=_incident_summary,
)

WORKFLOWS = {workflow.name: workflow for workflow in (DEPLOYMENT, RCA, INCIDENT)}


def check_run(workflow: Workflow, observations: list[Any], answer: str) -> None:
    """What every run must show: the failing call seen as an error, then the run going on to the end."""
    names = [obs.name for obs in observations]
    assert names == workflow.calls(observations), names
    errors = [obs for obs in observations if obs.is_error]
    assert len(errors) == 1, [obs.envelope for obs in errors]
    failed = errors[0]
    assert (failed.name, failed.envelope["error_type"]) == workflow.failing
    assert failed.envelope["error"] and failed.envelope.get("hint")
    assert observations.index(failed) < len(observations) - 1, "the agent stopped at the error"
    assert answer == workflow.final(observations)


def transcript(workflow: Workflow, observations: list[Any], answer: str, width: int = 150) -> str:
    lines = [f"user: {workflow.prompt}"]
    for obs in observations:
        lines.append(f"  → {obs.name}({', '.join(f'{k}={v!r}' for k, v in obs.args.items())})")
        shown = obs.content if len(obs.content) <= width else obs.content[: width - 1] + "…"
        lines.append(f"  ← {'ERROR ' if obs.is_error else ''}{shown}")
    lines.append(f"assistant: {answer}")
    return "\n".join(lines)
