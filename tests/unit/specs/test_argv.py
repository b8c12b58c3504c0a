"""The argv each tool runs, for every parameter combination: lists only, flags explicit."""

import itertools
import json

import pytest

from fluxtools import FluxConfig, FluxTools
from fluxtools.testing import ScriptedRunner
from tests.unit.specs.support import CONN, HR, KS, tools
from tests.unit.support import ready_object


@pytest.mark.parametrize(
    ("namespace", "all_namespaces", "watch"), list(itertools.product([None, "apps"], [True, False], [True, False]))
)
@pytest.mark.parametrize(("tool", "resource"), [("flux_kustomization_list", KS), ("flux_helmrelease_list", HR)])
def test_list_argv(tool, resource, namespace, all_namespaces, watch):
    flux, runner = tools()
    args = {"all_namespaces": all_namespaces}
    if namespace:
        args["namespace"] = namespace
    if watch and tool == "flux_kustomization_list":
        args["watch"] = True
    envelope = flux.call(tool, args)
    assert envelope["success"], envelope
    group, plural = resource.split(".", 1)[1], resource.split(".", 1)[0]
    version = "v2" if plural == "helmreleases" else "v1"
    scoped = namespace or (None if all_namespaces else "flux-system")
    path = f"/apis/{group}/{version}" + (f"/namespaces/{scoped}" if scoped else "") + f"/{plural}"
    assert runner.calls == [["kubectl", *CONN, "get", "--raw", path]]
    assert ("notes" in envelope["data"]) == (watch and tool == "flux_kustomization_list")


def test_list_uses_configured_namespace_when_not_all():
    flux, runner = tools(namespace="team-a")
    flux.call("flux_kustomization_list", {"all_namespaces": False})
    assert runner.calls[0][-1] == "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/team-a/kustomizations"


@pytest.mark.parametrize("namespace", [None, "apps"])
@pytest.mark.parametrize(("tool", "resource"), [("flux_kustomization_get", KS), ("flux_helmrelease_get", HR)])
def test_get_argv(tool, resource, namespace):
    flux, runner = tools(lambda argv: (0, json.dumps({"metadata": {"name": "web"}}), ""))
    args = {"name": "web"}
    if namespace or tool == "flux_helmrelease_get":
        args["namespace"] = namespace or "flux-system"
    assert flux.call(tool, args)["success"]
    assert runner.calls == [["kubectl", *CONN, "get", resource, "web", "-n", namespace or "flux-system", "-o", "json"]]


def test_no_connection_flags_without_config():
    runner = ScriptedRunner(lambda argv: (0, '{"items": []}', ""))
    FluxTools(FluxConfig(), runner=runner).call("flux_kustomization_list", {})
    assert runner.calls == [["kubectl", "get", "--raw", "/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations"]]


def test_list_falls_back_to_the_typed_read_when_the_version_is_not_served():
    def reply(argv):
        if "--raw" in argv:
            return (1, "", "Error from server (NotFound): the server could not find the requested resource")
        return (0, '{"items": []}', "")

    runner = ScriptedRunner(reply)
    envelope = FluxTools(FluxConfig(), runner=runner).call("flux_kustomization_list", {})
    assert envelope["success"]
    assert runner.calls[1] == ["kubectl", "get", KS, "-A", "-o", "json"]


def test_binary_paths_from_config():
    runner = ScriptedRunner(lambda argv: (0, '{"items": []}', ""))
    FluxTools(FluxConfig(kubectl_path="/opt/bin/kubectl"), runner=runner).call("flux_helmrelease_list", {})
    assert runner.calls[0][0] == "/opt/bin/kubectl"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({}, ["--tail=100"]),
        ({"tail": 5}, ["--tail=5"]),
        ({"tail": 1000, "since": "1h30m"}, ["--tail=1000", "--since=1h30m"]),
        ({"kind": "helm-controller", "namespace": "flux", "level": "error"}, ["--tail=1000"]),  # filters first
        ({"resource_kind": "Kustomization", "name": "apps", "since": "5m"}, ["--tail=1000", "--since=5m"]),
    ],
)
def test_logs_argv(args, expected):
    flux, runner = tools(lambda argv: (0, "", ""))
    assert flux.call("flux_logs", args)["success"]
    controller = args.get("kind", "kustomize-controller")
    namespace = args.get("namespace", "flux-system")
    assert runner.calls == [["kubectl", *CONN, "logs", f"deployment/{controller}", "-n", namespace, *expected]]


@pytest.mark.parametrize(
    ("kind", "noun"),
    [
        ("kustomization", ["kustomization"]),
        ("helmrelease", ["helmrelease"]),
        ("gitrepository", ["source", "git"]),
        ("helmrepository", ["source", "helm"]),
        ("helmchart", ["source", "chart"]),
        ("ocirepository", ["source", "oci"]),
        ("bucket", ["source", "bucket"]),
        ("imagerepository", ["image", "repository"]),
        ("imagepolicy", ["image", "policy"]),
        ("imageupdateautomation", ["image", "update"]),
        ("receiver", ["receiver"]),
    ],
)
@pytest.mark.parametrize("with_source", [False, True])
def test_reconcile_argv(kind, noun, with_source):
    gets = iter([ready_object(), ready_object(requested="t1", handled="t1")])

    def reply(argv):
        if argv[0] == "flux":
            return (0, "", "✔ applied revision main@sha1:abc")
        return (0, json.dumps(next(gets)), "")

    flux, runner = tools(reply)
    envelope = flux.call("flux_reconcile", {"kind": kind, "name": "apps", "with_source": with_source})
    assert envelope["data"]["verdict"] == "succeeded", envelope
    flux_calls = [call for call in runner.calls if call[0] == "flux"]
    source_flag = ["--with-source"] if with_source and kind in ("kustomization", "helmrelease") else []
    assert flux_calls == [
        ["flux", *CONN, "reconcile", *noun, "apps", "-n", "flux-system", "--timeout=120s", *source_flag]
    ]


@pytest.mark.parametrize("verb", ["suspend", "resume"])
@pytest.mark.parametrize("kind", ["kustomization", "helmrelease"])
def test_suspend_resume_argv(verb, kind):
    flux, runner = tools(lambda argv: (0, json.dumps(ready_object()), ""))
    envelope = flux.call(f"flux_{verb}", {"kind": kind, "name": "apps", "namespace": "apps"})
    assert envelope["success"], envelope
    flux_calls = [call for call in runner.calls if call[0] == "flux"]
    wait = ["--wait=false"] if verb == "resume" else []
    assert flux_calls == [["flux", *CONN, verb, kind, "apps", "-n", "apps", *wait, "--timeout=30s"]]


def test_timeout_secs_in_config_overrides_defaults():
    flux, runner = tools(lambda argv: (0, json.dumps(ready_object()), ""), timeout_secs=7)
    flux.call("flux_suspend", {"kind": "kustomization", "name": "apps"})
    assert "--timeout=7s" in [call for call in runner.calls if call[0] == "flux"][0]
