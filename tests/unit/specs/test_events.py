"""flux_events: argv, Flux-only events, warnings first, an object's source and chart.

Every input here is synthetic, shaped after the documented formats (reference/flux-cli.md);
replay tests cover real recorded output.
"""

import json

import pytest

from tests.unit.specs.support import (
    CONN,
    items,
    tools,
)

# flux_events ------------------------------------------------------------------------------------


def synthetic_event(kind, name, type_, when, message, api="kustomize.toolkit.fluxcd.io/v1", **extra):
    return {
        "kind": "Event",
        "metadata": {"name": f"{name}.1", "namespace": "flux-system"},
        "involvedObject": {"kind": kind, "name": name, "namespace": "flux-system", "apiVersion": api},
        "type": type_,
        "reason": "ReconciliationSucceeded" if type_ == "Normal" else "BuildFailed",
        "message": message,
        "lastTimestamp": when,
        **extra,
    }


SYNTHETIC_EVENTS = [
    synthetic_event("Kustomization", "apps", "Normal", "2026-01-01T00:03:00Z", "applied", count=3),
    synthetic_event("Kustomization", "apps", "Warning", "2026-01-01T00:01:00Z", "old failure"),
    synthetic_event("Pod", "web-1", "Warning", "2026-01-01T00:04:00Z", "not flux", api="v1"),
    synthetic_event("Kustomization", "infra", "Warning", "2026-01-01T00:02:00Z", "new failure"),
    synthetic_event(
        "GitRepository",
        "repo",
        "Normal",
        None,
        "stored artifact",
        api="source.toolkit.fluxcd.io/v1",
        series={"count": 7, "lastObservedTime": "2026-01-01T00:05:00.000000Z"},
    ),
]


@pytest.mark.parametrize(
    ("args", "tail"),
    [
        ({}, ["-n", "flux-system", "-o", "json"]),
        ({"all_namespaces": True}, ["-A", "-o", "json"]),
        ({"namespace": "apps", "type": "Warning"}, ["-n", "apps", "--field-selector", "type=Warning", "-o", "json"]),
        (
            {"kind": "kustomization", "name": "apps", "related": False},
            [
                "-n",
                "flux-system",
                "--field-selector",
                "involvedObject.kind=Kustomization,involvedObject.name=apps",
                "-o",
                "json",
            ],
        ),
        (
            {"kind": "imagepolicy", "all_namespaces": True, "type": "Normal"},
            ["-A", "--field-selector", "involvedObject.kind=ImagePolicy,type=Normal", "-o", "json"],
        ),
    ],
)
def test_events_argv(args, tail):
    flux, runner = tools()
    assert flux.call("flux_events", args)["success"]
    assert runner.calls == [["kubectl", *CONN, "get", "events", *tail]]


def test_events_flux_only_warnings_first_then_newest():
    flux, _ = tools(lambda argv: (0, items(*SYNTHETIC_EVENTS), ""))
    data = flux.call("flux_events")["data"]
    assert [event["message"] for event in data["events"]] == [
        "new failure",
        "old failure",
        "stored artifact",
        "applied",
    ]
    assert data["total"] == 4 and data["counts"] == {"Normal": 2, "Warning": 2}
    assert data["events"][0] == {
        "type": "Warning",
        "reason": "BuildFailed",
        "object": "Kustomization/infra",
        "namespace": "flux-system",
        "message": "new failure",
        "count": 1,
        "last_seen": "2026-01-01T00:02:00Z",
    }
    assert data["events"][2]["count"] == 7 and data["events"][3]["count"] == 3
    limited = flux.call("flux_events", {"limit": 1, "fresh": True})["data"]
    assert len(limited["events"]) == 1 and limited["total"] == 4 and "Showing 1 of 4" in limited["note"]


def test_events_for_an_object_include_its_source_and_chart():
    release = {
        "kind": "HelmRelease",
        "metadata": {"name": "web", "namespace": "apps"},
        "spec": {"chart": {"spec": {"sourceRef": {"kind": "HelmRepository", "name": "charts", "namespace": "flux"}}}},
        "status": {"helmChart": "flux/apps-web"},
    }
    chart_event = synthetic_event(
        "HelmChart",
        "apps-web",
        "Warning",
        "2026-01-01T00:09:00Z",
        "no chart version",
        api="source.toolkit.fluxcd.io/v1",
    )

    def reply(argv):
        if "helmreleases.helm.toolkit.fluxcd.io" in argv:
            return (0, json.dumps(release), "")
        if "involvedObject.kind=HelmChart,involvedObject.name=apps-web" in argv:
            return (0, items(chart_event), "")
        return (0, items(), "")

    flux, runner = tools(reply)
    data = flux.call("flux_events", {"kind": "helmrelease", "name": "web", "namespace": "apps"})["data"]
    selectors = sorted(call[call.index("--field-selector") + 1] for call in runner.calls if "events" in call)
    assert selectors == [
        "involvedObject.kind=HelmChart,involvedObject.name=apps-web",
        "involvedObject.kind=HelmRelease,involvedObject.name=web",
        "involvedObject.kind=HelmRepository,involvedObject.name=charts",
    ]
    assert [event["message"] for event in data["events"]] == ["no chart version"]
