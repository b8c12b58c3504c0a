"""Root-cause analysis on synthetic scenarios shaped like the lab's (objects written here, named synthetic)."""

import pytest

from fluxtools._budget import size
from fluxtools.diagnosis import Narrowing, analyse, build, group
from fluxtools.diagnosis.text import normalised, readable
from fluxtools.specs import REGISTRY


def obj(kind, name, ns="flux-system", ready="True", reason="Succeeded", message="ok", suspend=False, **spec):
    stalled = spec.pop("stalled", False)
    changed = spec.pop("changed", "2026-01-01T00:00:00Z")
    conditions = [
        {"type": "Ready", "status": ready, "reason": reason, "message": message, "lastTransitionTime": changed}
    ]
    if stalled:
        conditions.append({"type": "Stalled", "status": "True", "reason": reason, "message": message})
    return {
        "kind": kind,
        "metadata": {"name": name, "namespace": ns},
        "spec": {"suspend": suspend, **spec},
        "status": {"conditions": conditions},
    }


GIT = {"kind": "GitRepository", "name": "flux-system"}
SYNTHETIC = [
    obj("GitRepository", "flux-system"),
    obj("Kustomization", "infrastructure", sourceRef=GIT, path="./infra"),
    obj("Kustomization", "apps", sourceRef=GIT, dependsOn=[{"name": "infrastructure"}]),
    obj(
        "Kustomization",
        "broken-build",
        ready="False",
        reason="BuildFailed",
        message="kustomize build failed",
        sourceRef=GIT,
        path="./broken",
    ),
    obj(
        "Kustomization",
        "dependent-app",
        ready="False",
        reason="DependencyNotReady",
        message="dependency 'flux-system/broken-build' is not ready",
        sourceRef=GIT,
        dependsOn=[{"name": "broken-build"}],
    ),
    obj("Kustomization", "suspended-app", suspend=True, sourceRef=GIT),
    obj(
        "HelmRelease",
        "broken-install",
        ns="apps",
        ready="False",
        reason="InstallFailed",
        message="Helm install failed for release apps/broken-install",
        chart={"spec": {"chart": "demo"}},
    ),
]
EVENTS = [
    {
        "involvedObject": {"kind": "Kustomization", "name": "broken-build", "namespace": "flux-system"},
        "message": "kustomize build failed: missing-file.yaml",
        "lastTimestamp": "2026-01-01T00:00:02Z",
    },
    {
        "involvedObject": {"kind": "Kustomization", "name": "apps", "namespace": "flux-system"},
        "message": "old warning on a healthy object",
        "lastTimestamp": "2026-01-01T00:00:01Z",
    },
]
LOGS = [
    {
        "level": "error",
        "ts": "t",
        "msg": "Reconciler error",
        "controllerKind": "HelmRelease",
        "name": "broken-install",
        "namespace": "apps",
        "error": "template fail.yaml:2: failInstall is true",
    },
    {
        "level": "error",
        "ts": "t0",
        "msg": "Reconciler error",
        "controllerKind": "HelmRelease",
        "name": "broken-install",
        "namespace": "apps",
        "error": "Helm install failed for release apps/broken-install",
    },
]


def by_first(report):
    return {cause["objects"][0]: cause for cause in report["causes"]}


def test_root_causes_first_with_evidence_and_actions():
    report = analyse(SYNTHETIC, EVENTS, LOGS)
    causes = by_first(report)
    assert set(causes) == {"Kustomization/flux-system/broken-build", "HelmRelease/apps/broken-install"}
    build_failure = causes["Kustomization/flux-system/broken-build"]
    assert build_failure["blocks"] == {"count": 1, "objects": ["Kustomization/flux-system/dependent-app"]}
    assert build_failure["events"] == ["kustomize build failed: missing-file.yaml"]
    assert "kustomize build fails" in build_failure["next_action"]["do"]
    install = causes["HelmRelease/apps/broken-install"]
    assert install["error_log_lines"] == 2
    assert install["logs"] == [  # the line repeating the Ready message adds nothing and is left out
        "t error HelmRelease/broken-install.apps - Reconciler error template fail.yaml:2: failInstall is true"
    ]
    assert report["causes"][0]["objects"] == ["Kustomization/flux-system/broken-build"]  # blocks one more
    assert report["suspended"]["objects"] == ["Kustomization/flux-system/suspended-app"]
    assert report["summary"] == {
        "objects": 7,
        "counts": {"failed": 3, "ready": 3, "suspended": 1},
        "root_causes": 2,
        "failing_directly": 2,
        "blocked": 1,
    }


def test_healthy_cluster():
    report = analyse([obj("Kustomization", "apps")])
    assert report["healthy"] is True and report["causes"] == []


def test_missing_dependency_is_named():
    report = analyse(
        [obj("Kustomization", "a", ready="False", reason="DependencyNotReady", dependsOn=[{"name": "ghost"}])]
    )
    assert report["causes"][0]["missing"] == ["Kustomization/flux-system/ghost"]
    assert "does not exist" in report["causes"][0]["next_action"]["do"]


def test_a_dependency_cycle_is_a_cause_not_silence():
    cycle = [
        obj("Kustomization", "a", ready="False", reason="DependencyNotReady", message="x", dependsOn=[{"name": "b"}]),
        obj("Kustomization", "b", ready="False", reason="DependencyNotReady", message="y", dependsOn=[{"name": "a"}]),
        obj("Kustomization", "c", ready="False", reason="DependencyNotReady", message="z", dependsOn=[{"name": "a"}]),
    ]
    report = analyse(cycle)
    named = {oid for cause in report["causes"] for oid in cause["objects"]}
    assert named == {"Kustomization/flux-system/a", "Kustomization/flux-system/b"}
    assert report["summary"]["blocked"] == 1


def failing(name, ns="scale", reason="ArtifactFailed", message=None, **spec):
    message = message or f"kustomization path not found: stat /tmp/kustomization-{len(name) * 37}/{name}: no such file"
    source = {**GIT, "namespace": "flux-system"}
    return obj("Kustomization", name, ns=ns, ready="False", reason=reason, message=message, sourceRef=source, **spec)


def test_shared_causes_are_one_group_with_exact_counts():
    objects = [failing(f"bad-{i:03d}", ns=f"team-{i % 3}") for i in range(40)]
    objects += [
        obj("Kustomization", f"dep-{i}", ready="False", reason="DependencyNotReady", dependsOn=[{"name": "bad-001"}])
        for i in range(7)
    ]
    objects += [obj("Kustomization", f"idle-{i}", suspend=True) for i in range(30)]
    for o in objects[40:47]:
        o["metadata"]["namespace"] = "team-1"
    report = analyse(objects)
    assert report["summary"]["root_causes"] == 1  # a cause, not forty objects, not the suspended ones
    (cause,) = report["causes"]
    assert cause["count"] == 40 and cause["namespaces"] == ["team-0", "team-1", "team-2"]
    assert cause["blocks"]["count"] == 7
    assert report["suspended"]["count"] == 30 and report["summary"]["counts"]["suspended"] == 30


def test_ranked_by_impact_then_severity_then_recency():
    objects = [
        failing("old", reason="BuildFailed", message="build failed one way", changed="2026-01-01T00:00:00Z"),
        failing("new", reason="BuildFailed", message="build failed another way", changed="2026-01-02T00:00:00Z"),
        failing("stuck", reason="HealthCheckFailed", message="timeout", stalled=True, changed="2025-01-01T00:00:00Z"),
        failing("wide-1", reason="ReconciliationFailed", message="apply failed"),
        failing("wide-2", reason="ReconciliationFailed", message="apply failed"),
    ]
    order = [cause["objects"][0] for cause in analyse(objects)["causes"]]
    assert order == [
        "Kustomization/scale/wide-1",  # two objects
        "Kustomization/scale/stuck",  # stalled before failed
        "Kustomization/scale/new",  # then the most recent change
        "Kustomization/scale/old",
    ]


def distinct_causes(n):
    """n causes that stay distinct after normalisation (different words), two objects each."""
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
    objects = []
    for i in range(n):
        phrase = " ".join(words[int(d)] for d in f"{i:03d}")
        for copy in range(2):
            objects.append(failing(f"c{i:03d}-{copy}", message=f"apply failed: {phrase} webhook refused the object"))
    return objects


@pytest.mark.parametrize("budget", [3000, 5000, 8000, 12000, 16000, 30000])
def test_the_budget_trims_examples_and_evidence_before_any_cause(budget):
    objects = distinct_causes(60)
    report = analyse(objects, narrowing=Narrowing(names=("namespace", "limit", "continue")), budget=budget)
    assert size(report) <= budget
    causes = report["causes"]
    if any(len(cause["objects"]) > 1 for cause in causes):
        assert len(causes) == 60  # a second example is shown only when every cause is
    if len(causes) < 60:
        assert all(len(c["objects"]) == 1 and "events" not in c and "logs" not in c for c in causes)
        assert report["causes_total"] == 60 and report["continue"] == str(len(causes))
        assert f"continue='{len(causes)}'" in report["narrow"] and "namespace" in report["narrow"]


def test_paging_through_causes_sees_each_once():
    objects = distinct_causes(60)
    graph = build(objects)
    grouped = group(graph)
    seen, offset = [], 0
    while True:
        page = analyse(objects, narrowing=Narrowing(offset=offset), budget=4000)
        seen += [cause["objects"][0] for cause in page["causes"]]
        if "continue" not in page:
            break
        offset = int(page["continue"])
    assert seen == [g.first.id for g in grouped.causes] and len(set(seen)) == 60


def test_narrowing_by_kind_name_and_severity():
    objects = [
        *distinct_causes(3),
        failing("stuck", reason="HealthCheckFailed", message="timeout", stalled=True),
        obj("Kustomization", "waiting", ready="Unknown", reason="Progressing", message="working"),
        obj("Kustomization", "idle", suspend=True),
    ]
    stalled = analyse(objects, narrowing=Narrowing(severity="stalled"))
    assert [c["objects"][0] for c in stalled["causes"]] == ["Kustomization/scale/stuck"]
    assert "suspended" not in stalled and "progressing" not in stalled
    named = analyse(objects, narrowing=Narrowing(wanted=lambda f: "c001" in f.name))
    assert [c["objects"] for c in named["causes"]] == [["Kustomization/scale/c001-0", "Kustomization/scale/c001-1"]]
    suspended = analyse(objects, narrowing=Narrowing(severity="suspended"))
    assert suspended["causes"] == [] and suspended["suspended"]["count"] == 1
    assert stalled["summary"] == suspended["summary"]  # the summary always counts everything


def test_the_hint_names_only_arguments_that_exist():
    from fluxtools.specs.diagnose import DiagnoseArgs, narrowing_arguments

    fields = {field.alias or name for name, field in DiagnoseArgs.model_fields.items()}
    assert set(narrowing_arguments()) <= fields
    assert {"namespace", "kind", "severity", "name_contains", "limit", "continue"} <= set(narrowing_arguments())


def test_every_next_action_is_a_valid_call_of_its_tool():
    chart = obj(
        "HelmChart",
        "apps-x",
        ready="False",
        reason="InvalidChartReference",
        stalled=True,
        message="invalid chart reference: no 'lab-chart' chart with version matching '9.9.9' found",
    )
    release = obj(
        "HelmRelease",
        "x",
        ns="apps",
        ready="False",
        reason="SourceNotReady",
        message="chart not ready",
        chart={"spec": {"chart": "lab-chart", "version": "9.9.9"}},
    )
    release["status"]["helmChart"] = "flux-system/apps-x"
    objects = [
        *SYNTHETIC,
        chart,
        release,
        obj("Kustomization", "w", ready="Unknown", reason="Progressing"),
        obj(
            "GitRepository",
            "private",
            ready="False",
            reason="GitOperationFailed",
            message="authentication required",
            url="http://git/x.git",
            secretRef={"name": "creds"},
        ),
    ]
    report = analyse(objects, EVENTS, LOGS)
    actions = [c["next_action"] for c in report["causes"] + report["progressing"]] + [
        report["suspended"]["next_action"]
    ]
    for action in actions:
        REGISTRY[action["tool"]["name"]].args_model.model_validate(action["tool"]["args"])
        assert action["flux"].startswith("flux ")
    version = by_first(report)["HelmRelease/apps/x"]
    assert version["reason"] == "InvalidChartReference" and version["severity"] == "stalled"
    assert "'9.9.9'" in version["next_action"]["do"] and "spec.chart.spec.version" in version["next_action"]["do"]
    assert report["summary"]["helm_charts_counted_with_their_release"] == 1
    assert "Secret flux-system/creds" in by_first(report)["GitRepository/flux-system/private"]["next_action"]["do"]


def test_a_failing_generated_chart_is_named_as_the_way_a_release_fails():
    chart = obj("HelmChart", "apps-x", ready="False", reason="ChartPullError", message="chart pull failed")
    release = obj("HelmRelease", "x", ns="apps", ready="False", reason="SourceNotReady", message="chart not ready")
    release["status"]["helmChart"] = "flux-system/apps-x"
    cause = by_first(analyse([chart, release]))["HelmRelease/apps/x"]
    assert cause["via"] == "HelmChart/flux-system/apps-x" and cause["reason"] == "ChartPullError"


def test_normalised_messages_fold_names_paths_revisions_and_numbers():
    one = normalised("kustomization path not found: stat /tmp/kustomization-12/bad/001: no such file", ("bad-001",))
    two = normalised("kustomization path not found: stat /tmp/kustomization-99/bad/777: no such file", ("bad-777",))
    assert one == two
    assert normalised("Applied main@sha1:fcb0701a1d2930e9443674a931f8a41d470af822") == "Applied <revision>"
    same = normalised("release ops/b-2 failed", ("b-2", "ops"))
    assert normalised("release apps/a-1 failed", ("a-1", "apps")) == same
    assert normalised("timeout waiting for x") != normalised("quota exceeded for x")


def test_recording_placeholders_read_as_paths_and_ports():
    assert readable("open <LAB><TMP>/broken-build/missing.yaml") == "open /tmp/…/broken-build/missing.yaml"
    assert (
        readable("clone 'http://***@127.0.0.1:PORT/private.git'") == "clone 'http://***@127.0.0.1:<port>/private.git'"
    )
