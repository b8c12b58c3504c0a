"""The diagnosis's graph section on synthetic clusters (objects written here, named synthetic)."""

from fluxtools import FluxTools
from fluxtools._budget import size
from fluxtools.diagnosis import analyse

from .test_analysis import GIT, obj

HELM_REPO = {"kind": "HelmRepository", "name": "charts", "namespace": "flux-system"}


def release(name, chart_name, ready="True", reason="Succeeded", message="ok"):
    data = obj("HelmRelease", name, ns="apps", ready=ready, reason=reason, message=message)
    data["spec"]["chart"] = {"spec": {"chart": "demo", "sourceRef": HELM_REPO}}
    data["status"]["helmChart"] = f"flux-system/{chart_name}"
    return data


def chart(name, ready="True", reason="ChartPullSucceeded", message="ok"):
    return obj("HelmChart", name, ready=ready, reason=reason, message=message, sourceRef=HELM_REPO, chart="demo")


SYNTHETIC = [
    obj("GitRepository", "flux-system"),
    obj("HelmRepository", "charts"),
    obj("Kustomization", "infrastructure", sourceRef=GIT),
    obj("Kustomization", "broken", ready="False", reason="BuildFailed", message="build failed", sourceRef=GIT),
    obj(
        "Kustomization",
        "dependent",
        ready="False",
        reason="DependencyNotReady",
        message="dependency 'flux-system/broken' is not ready",
        sourceRef=GIT,
        dependsOn=[{"name": "broken"}],
    ),
    obj("Kustomization", "paused", suspend=True, sourceRef=GIT),
    release("podinfo", "apps-podinfo"),
    chart("apps-podinfo"),
]


def drawn(objects, **kwargs):
    return analyse(objects, graph_nodes=kwargs.pop("limit", 40), **kwargs)["graph"]


def by_object(graph):
    return {node["object"]: node for node in graph["nodes"] if "object" in node}


def edges_by_object(graph):
    names = {node["id"]: node.get("object") or f"{node['count']} × {node['kind']}" for node in graph["nodes"]}
    return {(names[a], names[b], relation) for a, b, relation in graph["edges"]}


def drawn_objects(graph):
    return sum(1 if "object" in node else node["count"] + node.get("charts", 0) for node in graph["nodes"])


def test_states_root_causes_and_edges():
    graph = drawn(SYNTHETIC)
    nodes = by_object(graph)
    assert nodes["Kustomization/flux-system/broken"] == {
        "id": "n0",
        "object": "Kustomization/flux-system/broken",
        "state": "failed",
        "root_cause": True,
        "reason": "BuildFailed",
        "blocks": 1,
    }
    assert nodes["Kustomization/flux-system/dependent"]["state"] == "failed"
    assert "root_cause" not in nodes["Kustomization/flux-system/dependent"]
    assert nodes["Kustomization/flux-system/paused"]["state"] == "suspended"
    assert nodes["GitRepository/flux-system/flux-system"]["state"] == "ready"
    edges = edges_by_object(graph)
    assert ("Kustomization/flux-system/dependent", "Kustomization/flux-system/broken", "dependsOn") in edges
    assert ("Kustomization/flux-system/broken", "GitRepository/flux-system/flux-system", "source") in edges
    # HelmRelease → HelmChart → HelmRepository, not straight to the repository
    assert ("HelmRelease/apps/podinfo", "HelmChart/flux-system/apps-podinfo", "chart") in edges
    assert ("HelmChart/flux-system/apps-podinfo", "HelmRepository/flux-system/charts", "source") in edges
    assert not any(a == "HelmRelease/apps/podinfo" and b.startswith("HelmRepository") for a, b, _ in edges)
    assert "omitted" not in graph and drawn_objects(graph) == len(SYNTHETIC)


def test_a_shared_cause_is_drawn_once_with_its_count():
    failing = [
        obj(
            "Kustomization", f"app-{i:02}", ready="False", reason="BuildFailed", message=f"app-{i:02}: x", sourceRef=GIT
        )
        for i in range(30)
    ]
    graph = drawn([obj("GitRepository", "flux-system"), *failing])
    shared = [node for node in graph["nodes"] if node.get("count")]
    assert len(shared) == 1 and shared[0]["count"] == 30 and shared[0]["root_cause"] is True
    assert shared[0]["objects"] == [
        "Kustomization/flux-system/app-00",
        "Kustomization/flux-system/app-01",
        "Kustomization/flux-system/app-02",
    ]
    assert edges_by_object(graph) == {("30 × Kustomization", "GitRepository/flux-system/flux-system", "source")}


def test_shared_cause_of_helm_releases_carries_their_charts():
    objects = [obj("HelmRepository", "charts")]
    for i in range(4):
        objects += [
            release(f"r{i}", f"apps-r{i}", ready="False", reason="InstallFailed", message="install failed"),
            chart(f"apps-r{i}"),
        ]
    graph = drawn(objects)
    assert len(graph["nodes"]) == 2
    shared = next(node for node in graph["nodes"] if node.get("count"))
    assert (shared["kind"], shared["count"], shared["charts"]) == ("HelmRelease", 4, 4)
    assert edges_by_object(graph) == {("4 × HelmRelease", "HelmRepository/flux-system/charts", "source")}
    assert drawn_objects(graph) == len(objects)


def test_alike_ready_objects_fold_but_dependencies_stay_apart():
    ready = [obj("Kustomization", f"ok-{i}", sourceRef=GIT) for i in range(12)]
    needing = obj("Kustomization", "needs-ok-0", sourceRef=GIT, dependsOn=[{"name": "ok-0"}])
    graph = drawn([obj("GitRepository", "flux-system"), *ready, needing])
    counts = sorted(node.get("count", 1) for node in graph["nodes"])
    assert counts == [1, 1, 1, 11]  # the source, ok-0 (depended on), needs-ok-0, and 11 alike
    assert drawn_objects(graph) == 14


def test_a_missing_source_is_an_absent_node():
    ghost = {"kind": "GitRepository", "name": "ghost"}
    graph = drawn([obj("Kustomization", "a", ready="False", reason="ArtifactFailed", message="m", sourceRef=ghost)])
    assert by_object(graph)["GitRepository/flux-system/ghost"]["state"] == "absent"


def test_bounded_with_exact_counts_of_what_is_left_out():
    objects = [obj("GitRepository", "flux-system")]
    objects += [
        obj("Kustomization", f"k{i}", ready="False", reason=f"Reason{i}", message=f"failure {i}", sourceRef=GIT)
        for i in range(25)
    ]
    objects += [obj("Kustomization", f"ok{i}", sourceRef=GIT, dependsOn=[{"name": f"k{i}"}]) for i in range(5)]
    graph = drawn(objects, limit=10)
    assert len(graph["nodes"]) == 10
    # the first cause, then what it needs, then the other causes by rank
    assert graph["nodes"][1]["object"] == "GitRepository/flux-system/flux-system"
    assert all(node.get("root_cause") for node in graph["nodes"][:1] + graph["nodes"][2:])
    omitted = graph["omitted"]
    assert omitted["objects"] == len(objects) - drawn_objects(graph) == 21
    assert omitted["by_state"] == {"failed": 16, "ready": 5}  # 9 causes and the source drawn
    assert omitted["edges"] == 16 + 5 * 2  # 16 failing → source; 5 ready → source and → dependency
    ids = {node["id"] for node in graph["nodes"]}
    assert all(a in ids and b in ids for a, b, _ in graph["edges"])


def test_the_graph_takes_at_most_half_the_budget():
    objects = [obj("GitRepository", "flux-system")]
    objects += [
        obj("Kustomization", f"k{i:03}", ready="False", reason=f"R{i}", message=f"failure {i}", sourceRef=GIT)
        for i in range(200)
    ]
    report = analyse(objects, graph_nodes=40, budget=4000)
    assert size(report["graph"]) <= 2000 and size(report) <= 4000
    assert 0 < len(report["graph"]["nodes"]) < 40
    assert report["graph"]["omitted"]["objects"] == 201 - drawn_objects(report["graph"])


def test_flux_diagnose_adds_the_graph_only_when_asked():
    tools = FluxTools(cluster="demo")
    plain = tools.call("flux_diagnose", {})["data"]
    with_graph = tools.call("flux_diagnose", {"graph": True})["data"]
    assert "graph" not in plain
    roots = {node["object"] for node in with_graph["graph"]["nodes"] if node.get("root_cause")}
    assert roots == {cause["objects"][0] for cause in with_graph["causes"]}
