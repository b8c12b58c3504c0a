"""Multi-reads answer with what they could read and list what they could not (`unread`).

The objects are the demo cluster's recorded ones; the Forbidden text is the restricted user's, as recorded
from the lab, with the resource it names changed. Failures are scripted per argv.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import yaml

from fluxtools import FluxConfig, FluxTools
from fluxtools._flux.kinds import ALL_KINDS, HELMRELEASE, KUSTOMIZATION
from fluxtools.demo import demo_runner
from fluxtools.testing import ScriptedRunner

CASSETTES = Path(__file__).parents[1] / "replay" / "cassettes"
RESTRICTED = CASSETTES / "test_errors" / "test_permission_denied_for_the_restricted_user[replay].cli.yaml"


def recorded_forbidden(plural: str, group: str, namespace: str) -> str:
    """The restricted user's recorded Forbidden text, naming `plural` of API `group` in `namespace`."""
    interactions = yaml.safe_load(RESTRICTED.read_text())["interactions"]
    text = next(i["stderr"] for i in interactions if "forbidden" in i["stderr"])
    recorded = KUSTOMIZATION
    assert f"{recorded.resource} is forbidden" in text and 'in the namespace "flux-system"' in text
    resource = f"{plural}.{group}" if group else plural
    return (
        text.replace(recorded.resource, resource)
        .replace(f'"{recorded.group}"', f'"{group}"')
        .replace(f'"{recorded.plural}"', f'"{plural}"')
        .replace('"flux-system"', f'"{namespace}"')
    )


def demo_objects() -> list[dict]:
    argv = ["kubectl", "get", ",".join(kind.resource for kind in ALL_KINDS), "-A", "-o", "json"]
    result = asyncio.run(demo_runner().run(argv, timeout=10))
    return json.loads(result.stdout)["items"]


OBJECTS = demo_objects()


def as_list(items: list[dict]) -> str:
    return json.dumps({"apiVersion": "v1", "kind": "List", "items": items})


def kinds_in(argv: list[str]) -> list[str]:
    """The Flux kinds a `kubectl get <resources>` argv asks for."""
    resources = argv[argv.index("get") + 1].split(",")
    return [kind.kind for kind in ALL_KINDS if kind.resource in resources]


def namespace_in(argv: list[str]) -> str | None:
    return argv[argv.index("-n") + 1] if "-n" in argv else None


def objects_of(kinds: list[str], namespace: str | None) -> list[dict]:
    return [
        obj
        for obj in OBJECTS
        if obj["kind"] in kinds and (namespace is None or obj["metadata"]["namespace"] == namespace)
    ]


def cluster(forbid: dict[str, set[str | None]], explode: set[tuple[str, str | None]] = frozenset()):
    """A scripted cluster: `forbid` maps a kind to the namespaces where listing it is Forbidden;
    `explode` holds (what, namespace) pairs whose read raises an unexpected exception."""

    def reply(argv: list[str]):
        namespace = namespace_in(argv)
        if "logs" in argv:
            return 0, "", ""
        if "events" in argv:
            if ("events", namespace) in explode:
                raise RuntimeError("decoder crashed")
            return 0, as_list([]), ""
        kinds = kinds_in(argv)
        if ("objects", namespace) in explode:
            raise RuntimeError("decoder crashed")
        denied = [kind for kind in kinds if namespace in forbid.get(kind, set())]
        readable = [kind for kind in kinds if kind not in denied]
        if denied:
            kind = next(k for k in ALL_KINDS if k.kind == denied[0])
            # kubectl prints what it could read and exits 1 with the server's Forbidden text
            return 1, as_list(objects_of(readable, namespace)), recorded_forbidden(kind.plural, kind.group, namespace)
        return 0, as_list(objects_of(readable, namespace)), ""

    return ScriptedRunner(reply)


def tools(runner, **config) -> FluxTools:
    return FluxTools(FluxConfig(cache_ttl_secs=0, **config), runner=runner)


def test_diagnosis_answers_with_what_it_read_and_lists_what_it_could_not():
    runner = cluster({"HelmRelease": {"flux-system"}}, explode={("events", "flux-system")})
    envelope = tools(runner).call("flux_diagnose", {"namespace": "flux-system", "include_logs": False})
    assert envelope["success"], envelope
    data = envelope["data"]
    unread = {(u["kind"], u["namespace"]): u for u in data["unread"]}
    assert set(unread) == {("HelmRelease", "flux-system"), ("Event", "flux-system")}
    denied = unread[("HelmRelease", "flux-system")]
    assert denied["error_type"] == "PermissionDenied"
    assert "helmreleases" in denied["message"]
    crashed = unread[("Event", "flux-system")]
    assert crashed["error_type"] == "InternalError" and "RuntimeError: decoder crashed" in crashed["message"]
    assert data["healthy"] is False
    assert data["summary"]["objects"] == len(objects_of([k.kind for k in ALL_KINDS if k != HELMRELEASE], "flux-system"))
    named = json.dumps(data)
    assert "broken-build" in named and "broken-path" in named  # what could be read is still diagnosed
    reads = [argv for argv in runner.calls if "events" not in argv and "--raw" not in argv]
    per_kind = [argv for argv in reads if "," not in argv[argv.index("get") + 1]]
    assert len(per_kind) == len(ALL_KINDS)  # after the combined read was refused, kind by kind


def test_never_healthy_while_anything_is_unread():
    ready = [obj for obj in objects_of(["Kustomization"], "team-a")]
    assert ready and all(
        c["status"] == "True" for o in ready for c in o["status"]["conditions"] if c["type"] == "Ready"
    )
    runner = cluster({}, explode={("events", "team-a")})
    data = tools(runner).call("flux_diagnose", {"namespace": "team-a", "include_logs": False})["data"]
    assert data["healthy"] is False and data["unread"][0]["kind"] == "Event"


def test_an_unexpected_exception_is_unread_not_an_empty_healthy_cluster():
    runner = cluster({}, explode={("objects", None)})
    envelope = tools(runner).call("flux_diagnose", {"include_logs": False})
    assert envelope["success"], envelope
    data = envelope["data"]
    assert data["healthy"] is False and data["summary"]["objects"] == 0
    assert data["unread"][0]["error_type"] == "InternalError"


def test_everything_refused_is_the_typed_error():
    runner = cluster({kind.kind: {"flux-system"} for kind in ALL_KINDS})
    envelope = tools(runner).call("flux_diagnose", {"namespace": "flux-system", "include_logs": False})
    assert envelope["error_type"] == "PermissionDenied"


def test_get_all_and_stats_list_the_kinds_they_could_not_read():
    runner = cluster({"HelmRelease": {"flux-system"}})
    listed = tools(runner).call("flux_get_all", {"namespace": "flux-system"})
    assert listed["success"], listed
    assert [(u["kind"], u["error_type"]) for u in listed["data"]["unread"]] == [("HelmRelease", "PermissionDenied")]
    assert {item["kind"] for item in listed["data"]["objects"]} >= {"Kustomization", "GitRepository"}
    counted = tools(cluster({"HelmRelease": {"flux-system"}})).call("flux_stats", {"namespace": "flux-system"})
    assert counted["success"], counted
    assert "HelmRelease" not in counted["data"]["by_kind"]
    assert [u["kind"] for u in counted["data"]["unread"]] == ["HelmRelease"]


def test_get_all_unexpected_exception_in_one_tenant_namespace():
    runner = cluster({}, explode={("objects", "team-b")})
    config = {"enforce_namespace": True, "allowed_namespaces": ["team-a", "team-b"], "namespace": "team-a"}
    listed = tools(runner, **config).call("flux_get_all", {})
    assert listed["success"], listed
    assert [(u["namespace"], u["error_type"]) for u in listed["data"]["unread"]] == [("team-b", "InternalError")]
    assert listed["data"]["total"] == len(objects_of([k.kind for k in ALL_KINDS], "team-a"))


def test_events_list_the_namespaces_they_could_not_read():
    def reply(argv):
        if namespace_in(argv) == "team-b":
            return 1, "", recorded_forbidden("events", "", "team-b")
        return 0, as_list([]), ""

    config = {"enforce_namespace": True, "allowed_namespaces": ["team-a", "team-b"], "namespace": "team-a"}
    envelope = tools(ScriptedRunner(reply), **config).call("flux_events", {})
    assert envelope["success"], envelope
    assert [(u["kind"], u["namespace"], u["error_type"]) for u in envelope["data"]["unread"]] == [
        ("Event", "team-b", "PermissionDenied")
    ]


def test_the_terminal_report_says_what_it_could_not_read():
    from fluxtools._report import render

    runner = cluster({"HelmRelease": {"flux-system"}})
    text = render(tools(runner).call("flux_diagnose", {"namespace": "flux-system", "include_logs": False}))
    assert "Not read: HelmRelease in namespace flux-system (PermissionDenied" in text
    assert "Everything is Ready" not in text
