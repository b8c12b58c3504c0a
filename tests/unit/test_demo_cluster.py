"""The embedded demo cluster answers every tool on every object of the lab scenario, as the lab did.

The objects come from the demo itself (`flux_get_all`); every call is a valid
one an agent could make, with argument variants that only narrow what was read.
"""

from __future__ import annotations

from typing import Any, get_args

import pytest

from fluxtools import FluxTools
from fluxtools._flux.kinds import BY_CLI_NOUN, CONTROLLERS, SOURCE_BY_NOUN, SOURCE_KINDS
from fluxtools.specs.actions import RECONCILABLE
from fluxtools.specs.events import EventKind
from fluxtools.specs.export import ExportKind
from fluxtools.specs.sources import OTHER_BY_WORD
from fluxtools.specs.tree import TREE_KINDS
from lab.noise import GUARDED_NAME, GUARDED_NAMESPACE

Call = tuple[str, dict[str, Any]]
GET_WORD = {kind.kind: word for word, kind in (*SOURCE_BY_NOUN.items(), *OTHER_BY_WORD.items())}
EXPORT_WORDS = {BY_CLI_NOUN[words].kind: words for words in get_args(ExportKind)}
EVENT_KINDS = get_args(EventKind)
APPLIERS = ("Kustomization", "HelmRelease")
SOURCES = tuple(kind.kind for kind in SOURCE_KINDS)
"""What `flux_reconcile` kind `source` finds by name."""


def demo() -> FluxTools:
    return FluxTools(cluster="demo", reconcile_min_interval_secs=0, breaker_failures=1000)


@pytest.fixture(scope="module")
def objects() -> list[dict[str, Any]]:
    found = demo().call("flux_get_all", {"max_bytes": 1_048_576})
    assert found["success"], found
    return found["data"]["objects"]


@pytest.fixture(scope="module")
def namespaces(objects) -> list[str]:
    return sorted({obj["namespace"] for obj in objects})


def get_call(obj: dict[str, Any]) -> Call | None:
    """The tool reading one object: none for the kinds only lists show (image kinds, FluxReport)."""
    where = {"name": obj["name"], "namespace": obj["namespace"]}
    if obj["kind"] == "Kustomization":
        return "flux_kustomization_get", where
    if obj["kind"] == "HelmRelease":
        return "flux_helmrelease_get", where
    if obj["kind"] in GET_WORD:
        return "flux_source_get", {"kind": GET_WORD[obj["kind"]], **where}
    return None


def object_calls(obj: dict[str, Any]) -> list[Call]:
    where = {"name": obj["name"], "namespace": obj["namespace"]}
    kind = obj["kind"].lower()
    by_kind = {"kind": kind} if kind in EVENT_KINDS else {}
    calls = [
        ("flux_events", {**by_kind, **where}),
        ("flux_events", {**by_kind, **where, "type": "Warning"}),
        ("flux_events", {**by_kind, **where, "related": False, "limit": 2}),
        ("flux_trace", {"kind": kind, **where}),
    ]
    if by_kind:
        calls.append(("flux_events", {**by_kind, "namespace": obj["namespace"]}))
    if get_call(obj) is not None:
        calls.append(get_call(obj))
    if obj["kind"] in EXPORT_WORDS:
        calls.append(("flux_export", {"kind": EXPORT_WORDS[obj["kind"]], **where}))
    if kind in TREE_KINDS:
        calls.append(("flux_tree", {"kind": kind, **where}))
    if obj["kind"] in APPLIERS:
        calls.append(("flux_values", {"kind": kind, **where}))
    if obj["namespace"] == "flux-system" and obj["kind"] == "Kustomization":
        calls.append(("flux_kustomization_get", {"name": obj["name"]}))
    if obj["kind"] in APPLIERS:
        controller = "kustomize-controller" if obj["kind"] == "Kustomization" else "helm-controller"
        filters = {"kind": controller, "resource_kind": obj["kind"], "name": obj["name"]}
        calls += [("flux_logs", filters), ("flux_logs", {**filters, "level": "error", "tail": 50})]
    return calls


def namespace_calls(namespace: str | None) -> list[Call]:
    scope = {"namespace": namespace} if namespace else {}
    calls: list[Call] = [
        ("flux_kustomization_list", scope),
        ("flux_kustomization_list", {**scope, "status": "not_ready"}),
        ("flux_kustomization_list", {**scope, "name_contains": "app", "limit": 1}),
        ("flux_kustomization_list", {**scope, "limit": 1, "continue": "1"}),
        ("flux_helmrelease_list", scope),
        ("flux_helmrelease_list", {**scope, "status": "ready"}),
        *[("flux_source_list", {**scope, "kind": kind}) for kind in ("all", "git", "helm", "chart", "oci", "bucket")],
        ("flux_source_list", {**scope, "status": "not_ready"}),
        *[("flux_image_list", {**scope, "kind": kind}) for kind in ("all", "repository", "policy", "update")],
        ("flux_get_all", scope),
        ("flux_get_all", {**scope, "status": "suspended"}),
        ("flux_stats", scope),
        ("flux_events", scope if namespace else {"all_namespaces": True}),
        ("flux_events", {**(scope if namespace else {"all_namespaces": True}), "type": "Warning"}),
        ("flux_diagnose", scope),
        ("flux_diagnose", {**scope, "include_logs": False}),
        ("flux_diagnose", {**scope, "kind": "helmrelease", "severity": "failed", "graph": True}),
        ("flux_diagnose", {**scope, "name_contains": "broken", "limit": 1, "continue": "1"}),
    ]
    if namespace:
        calls += [("flux_export", {"kind": kind, "namespace": namespace}) for kind in ("kustomization", "helmrelease")]
        calls += [("flux_export", {"kind": "source git", "namespace": namespace})]
    return calls


def log_calls() -> list[Call]:
    calls: list[Call] = [("flux_logs", {})]
    for controller in CONTROLLERS[:4]:
        calls += [("flux_logs", {"kind": controller, "tail": tail}) for tail in (1, 10, 100, 500, 1000)]
        calls += [("flux_logs", {"kind": controller, "since": since}) for since in ("1m", "1h", "168h")]
        calls += [("flux_logs", {"kind": controller, "level": "error", "since": "2h", "tail": 20})]
    return calls


def not_recorded(tools: FluxTools, calls: list[Call]) -> list[str]:
    missing = []
    for name, args in calls:
        envelope = tools.call(name, args)
        if envelope.get("error_type") == "NotRecorded":
            missing.append(f"{name} {args}: {envelope['error']}")
    return missing


def managed_objects(tools: FluxTools, objects: list[dict[str, Any]]) -> list[Call]:
    """A trace of every object a Kustomization's tree shows."""
    calls: list[Call] = []
    for obj in objects:
        if obj["kind"] == "Kustomization":
            tree = tools.call("flux_tree", {"name": obj["name"], "namespace": obj["namespace"]})["data"]["tree"]
            stack = list(tree["children"])
            while stack:
                node = stack.pop()
                stack += node["children"]
                kind, namespace, name = node["resource"].split("/", 2)
                calls.append(("flux_trace", {"kind": kind.lower(), "name": name, "namespace": namespace}))
    return calls


def test_every_read_on_every_object_and_namespace_is_answered(objects, namespaces):
    calls = [call for obj in objects for call in object_calls(obj)]
    calls += managed_objects(demo(), objects)
    calls += [call for namespace in [None, *namespaces] for call in namespace_calls(namespace)]
    calls += [*log_calls(), ("flux_check", {}), ("flux_check", {"pre": True})]
    assert len(calls) > 250
    assert not_recorded(demo(), calls) == []


def test_every_mutation_on_every_object_is_answered_with_a_verdict(objects):
    tools = demo()
    missing: list[str] = []
    for obj in objects:
        where = {"name": obj["name"], "namespace": obj["namespace"]}
        kind = obj["kind"].lower()
        if kind not in RECONCILABLE:
            continue
        calls: list[Call] = [("flux_reconcile", {"kind": kind, **where})]
        if obj["kind"] == "HelmRelease":
            calls += [("flux_reconcile", {"kind": kind, **where, request: True}) for request in ("force", "reset")]
        if obj["kind"] in APPLIERS:
            calls += [("flux_reconcile", {"kind": kind, **where, "with_source": True})]
            flip = ["flux_resume", "flux_suspend"] if obj["suspended"] else ["flux_suspend", "flux_resume"]
            calls += [(flip[0], {"kind": kind, **where}), (flip[0], {"kind": kind, **where})]
            calls += [("flux_reconcile", {"kind": kind, **where}), (flip[1], {"kind": kind, **where})]
        elif obj["kind"] in SOURCES:
            calls += [("flux_reconcile", {"kind": "source", **where})]
        guarded = (obj["namespace"], obj["name"]) == (GUARDED_NAMESPACE, GUARDED_NAME)
        for name, args in calls:
            envelope = tools.call(name, args)
            if guarded and name == "flux_reconcile":  # the lab's admission webhook refuses every change to it
                assert envelope["error_type"] == "AdmissionRefused", envelope
            elif envelope.get("error_type") == "NotRecorded" or (name == "flux_reconcile" and not envelope["success"]):
                missing.append(f"{name} {args}: {envelope.get('error')}")
            elif name == "flux_reconcile":
                assert envelope["data"]["verdict"] in ("succeeded", "failed", "suspended", "timed_out")
    assert missing == []


def is_suspended(tools: FluxTools, call: Call) -> bool:
    envelope = tools.call(*call)
    assert envelope["success"], envelope
    return envelope["data"]["suspended"]


@pytest.mark.parametrize(
    ("kind", "name", "namespace"),
    [("kustomization", "apps", "flux-system"), ("helmrelease", "podinfo", "apps")],
)
def test_suspend_and_resume_change_what_the_demo_shows(kind, name, namespace):
    tools = demo()
    where = {"kind": kind, "name": name, "namespace": namespace}
    get = get_call({**where, "kind": "Kustomization" if kind == "kustomization" else "HelmRelease"})
    listing = "flux_kustomization_list" if kind == "kustomization" else "flux_helmrelease_list"
    assert is_suspended(tools, get) is False
    assert tools.call("flux_suspend", where)["success"]
    assert is_suspended(tools, get) is True
    listed = tools.call(listing, {"status": "suspended"})["data"]
    assert name in [item["name"] for item in listed[f"{kind}s"]]
    reconcile = tools.call("flux_reconcile", where)
    assert reconcile["data"]["verdict"] == "suspended"
    resumed = tools.call("flux_resume", where)
    assert resumed["success"] and resumed["data"]["was_suspended"] is True, resumed
    assert is_suspended(tools, get) is False
    assert is_suspended(demo(), get) is False  # another demo cluster never saw any of it


def test_the_suggested_next_actions_of_the_diagnosis_are_answered():
    tools = demo()
    for name, args in [
        ("flux_reconcile", {"kind": "kustomization", "name": "broken-build", "with_source": True}),
        ("flux_resume", {"kind": "kustomization", "name": "suspended-app"}),
        ("flux_source_get", {"kind": "git", "name": "private-repo"}),
        ("flux_diagnose", {"namespace": "apps"}),
    ]:
        envelope = tools.call(name, args)
        assert envelope["success"], envelope


@pytest.mark.parametrize(
    "call",
    [
        ("flux_kustomization_get", {"name": "no-such-app"}),
        ("flux_kustomization_get", {"name": "apps", "namespace": "team-b"}),
        ("flux_helmrelease_get", {"name": "no-such-release", "namespace": "apps"}),
        ("flux_source_get", {"kind": "git", "name": "no-such-repo"}),
        ("flux_source_get", {"kind": "chart", "name": "no-such-chart", "namespace": "team-a"}),
        ("flux_tree", {"name": "no-such-app"}),
        ("flux_export", {"kind": "kustomization", "name": "no-such-app"}),
        ("flux_trace", {"kind": "configmap", "name": "no-such-config", "namespace": "apps"}),
        ("flux_suspend", {"kind": "helmrelease", "name": "no-such-release", "namespace": "apps"}),
        ("flux_reconcile", {"kind": "kustomization", "name": "no-such-app"}),
        ("flux_reconcile", {"kind": "source", "name": "no-such-source"}),
    ],
)
def test_a_name_the_scenario_lacks_is_not_found(call):
    envelope = demo().call(*call)
    assert envelope["error_type"] == "NotFound", envelope
    assert call[1]["name"] in envelope["error"]


def test_not_recorded_is_short_and_names_the_nearest_recorded_command():
    envelope = demo().call("flux_trace", {"kind": "service", "name": "web", "namespace": "apps"})
    assert envelope["error_type"] == "NotRecorded"
    assert "flux trace service web -n apps" in envelope["error"]
    assert len(envelope["hint"]) < 300 and "`flux trace " in envelope["hint"]


def test_flux_check_on_the_demo_says_what_it_is():
    notes = demo().call("flux_check")["data"]["notes"]
    assert any("replays recordings of the lab" in note and "in memory" in note for note in notes)


def test_verdicts_by_watch_answer_as_the_recorded_polling_did():
    """The demo recording holds the polling reads: with the watch on (the default) its unrecorded watch falls
    back to them, and every answer is the one polling gives; the CLI's own failure may end the wait sooner."""
    calls = [
        ("flux_reconcile", {"kind": "kustomization", "name": "broken-build"}),
        ("flux_reconcile", {"kind": "kustomization", "name": "apps", "with_source": True}),
        ("flux_reconcile", {"kind": "helmrelease", "name": "podinfo", "namespace": "apps", "with_source": True}),
        ("flux_reconcile", {"kind": "kustomization", "name": "stalled-config"}),
        ("flux_suspend", {"kind": "kustomization", "name": "apps"}),
        ("flux_resume", {"kind": "kustomization", "name": "apps"}),
    ]
    watching, polling = demo(), FluxTools(cluster="demo", reconcile_min_interval_secs=0, verdict_watch=False)
    assert watching.config.verdict_watch is True
    for call in calls:
        answer, polled = watching.call(*call), polling.call(*call)
        assert answer["success"], answer
        took, polled_took = answer["data"].pop("duration_secs", 0), polled["data"].pop("duration_secs", 0)
        assert answer == polled and took <= polled_took


def test_the_demo_holds_every_object_of_the_lab_surface_in_its_intended_state(objects):
    """OCI artifacts, image automation, notifications, generated artifacts and the operator, as `lab/surface.py`
    creates them: an agent exploring the demo meets them all."""
    from lab.surface import SURFACE_EXPECT, surface_objs

    shown = {(obj["kind"], obj["namespace"], obj["name"]): obj for obj in objects}
    created = [(o["kind"], o["metadata"]["namespace"], o["metadata"]["name"]) for o in surface_objs()]
    wanted = {*[key for key in created if key[0] != "Secret"], *[(k, ns, n) for k, ns, n, *_ in SURFACE_EXPECT]}
    assert sorted(wanted - set(shown)) == []
    states = {(k, ns, n): ready for k, ns, n, ready, *_ in SURFACE_EXPECT}
    assert {key: shown[key]["ready"] for key in states} == states
