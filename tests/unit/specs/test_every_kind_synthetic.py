"""Every Flux kind as a first-class object: optional components read where the server serves them, their
views, and the diagnosis with their references.

Every object here is synthetic, shaped after the CRDs and the controllers' messages at the versions the
catalogue names (notification-controller v1.9.3, image controllers v1.2.4, source-watcher v2.2.3,
flux-operator v0.58.0); the live tier reads the lab's own.
"""

import json

from fluxtools._flux import conditions, failures
from fluxtools.diagnosis import analyse, build
from fluxtools.diagnosis.advice import for_finding
from tests.unit.specs.support import CONN, HR, KS, SOURCES, items, tools

DISCOVERY = ["kubectl", *CONN, "get", "--raw", "/apis"]
ALERTS = "providers.notification.toolkit.fluxcd.io,alerts.notification.toolkit.fluxcd.io"
NOTIFICATION = f"{ALERTS},receivers.notification.toolkit.fluxcd.io"
IMAGES = (
    "imagerepositories.image.toolkit.fluxcd.io,imagepolicies.image.toolkit.fluxcd.io,"
    "imageupdateautomations.image.toolkit.fluxcd.io"
)


def served(*group_versions: tuple[str, str]) -> str:
    """A synthetic APIGroupList, as `kubectl get --raw /apis` prints it."""
    groups = [
        {"name": group, "versions": [{"groupVersion": f"{group}/{v}", "version": v}]} for group, v in group_versions
    ]
    return json.dumps({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})


def synthetic(kind, name, namespace="apps", ready=None, reason="Succeeded", message="ok", spec=None, **extra):
    obj = {
        "apiVersion": extra.pop("api_version", "v1"),
        "kind": kind,
        "metadata": {"name": name, "namespace": namespace},
    }
    obj["spec"] = spec or {}
    if ready is not None:
        condition = {"type": "Ready", "status": ready, "reason": reason, "message": message}
        obj["status"] = {"conditions": [condition], **extra.pop("status", {})}
    obj["metadata"].update(extra.pop("metadata", {}))
    return obj


SYNTHETIC_PROVIDER = synthetic(
    "Provider", "sink", spec={"type": "generic", "address": "https://hooks.example.invalid/synthetic-token"}
)
SYNTHETIC_ALERT = synthetic("Alert", "on-apps", spec={"providerRef": {"name": "sink"}, "eventSources": []})
SYNTHETIC_ORPHAN_ALERT = synthetic("Alert", "orphan", spec={"providerRef": {"name": "gone"}})
SYNTHETIC_POLICY = synthetic(
    "ImagePolicy",
    "app",
    ready="False",
    reason="DependencyNotReady",
    message="failed to get the referred ImageRepository: referenced ImageRepository does not exist: "
    'imagerepositories.image.toolkit.fluxcd.io "app" not found',
    spec={"imageRepositoryRef": {"name": "app"}},
)


def test_optional_kinds_are_read_where_the_server_serves_them_and_skipped_quietly_elsewhere():
    def reply(argv):
        if argv[-2:] == ["--raw", "/apis"]:
            return (
                0,
                served(("notification.toolkit.fluxcd.io", "v1beta3"), ("notification.toolkit.fluxcd.io", "v1")),
                "",
            )
        resource = argv[argv.index("get") + 1]
        if resource == NOTIFICATION:
            return 0, items(SYNTHETIC_PROVIDER, SYNTHETIC_ALERT), ""
        return 0, items(), ""

    flux, runner = tools(reply)
    data = flux.call("flux_get_all")["data"]
    assert runner.calls == [
        DISCOVERY,
        ["kubectl", *CONN, "get", f"{SOURCES},{KS},{HR}", "-A", "-o", "json"],
        ["kubectl", *CONN, "get", NOTIFICATION, "-A", "-o", "json"],  # Alert and Provider v1beta3, Receiver v1
    ]
    assert [item["kind"] for item in data["objects"]] == ["Provider", "Alert"]
    assert data["counts"] == {"ready": 2}  # neither has a status: the controller writes none
    assert "notes" not in data  # image, source-watcher and operator kinds are not served: no note
    assert "synthetic-token" not in json.dumps(data)


def test_stats_count_only_the_kinds_read_and_an_external_artifacts_storage():
    artifact = synthetic(
        "ExternalArtifact",
        "generated",
        ready="True",
        status={"artifact": {"revision": "latest@sha256:aa", "size": 2048}},
    )

    def reply(argv):
        if argv[-2:] == ["--raw", "/apis"]:
            return 0, served(("source.toolkit.fluxcd.io", "v1")), ""
        resource = argv[argv.index("get") + 1]
        return 0, items(artifact) if resource == "externalartifacts.source.toolkit.fluxcd.io" else items(), ""

    flux, _ = tools(reply)
    data = flux.call("flux_stats")["data"]
    assert data["by_kind"]["ExternalArtifact"] == {
        "total": 1,
        "ready": 1,
        "failing": 0,
        "suspended": 0,
        "progressing": 0,
        "storage_bytes": 2048,
    }
    assert "Alert" not in data["by_kind"] and "FluxInstance" not in data["by_kind"]
    assert data["storage_bytes"] == 2048


def test_when_the_servers_groups_cannot_be_read_the_kinds_every_installation_has_are_still_read():
    def reply(argv):
        if argv[-2:] == ["--raw", "/apis"]:
            return 1, "", "error: the server could not find the requested resource"
        return 0, items(), ""

    flux, runner = tools(reply)
    assert flux.call("flux_get_all")["success"]
    assert runner.calls[-1] == ["kubectl", *CONN, "get", f"{SOURCES},{KS},{HR}", "-A", "-o", "json"]


def test_source_get_reads_another_kind_by_its_word_and_never_shows_a_providers_address():
    flux, runner = tools(lambda argv: (0, json.dumps(SYNTHETIC_PROVIDER), ""))
    data = flux.call("flux_source_get", {"kind": "provider", "name": "sink", "namespace": "apps"})["data"]
    assert runner.calls == [
        ["kubectl", *CONN, "get", "providers.notification.toolkit.fluxcd.io", "sink", "-n", "apps", "-o", "json"]
    ]
    assert data["kind"] == "Provider" and data["type"] == "generic" and data["ready"] is True
    assert "synthetic-token" not in json.dumps(data)
    instance = synthetic(
        "FluxInstance", "flux", ready="False", reason="ArtifactFailed", message="fetch failed: synthetic"
    )
    flux, runner = tools(lambda argv: (0, json.dumps(instance), ""))
    data = flux.call("flux_source_get", {"kind": "FluxInstance", "name": "flux", "namespace": "apps"})["data"]
    assert runner.calls[0][6] == "fluxinstances.fluxcd.controlplane.io"
    assert data["kind"] == "FluxInstance" and data["reason"] == "ArtifactFailed" and data["ready"] is False


def test_the_reconcile_annotation_of_source_watcher_and_the_operator_suspends():
    generator = synthetic(
        "ArtifactGenerator",
        "gen",
        ready="True",
        api_version="source.extensions.fluxcd.io/v1beta1",
        metadata={"annotations": {"source.extensions.fluxcd.io/reconcile": "Disabled"}},
    )
    instance = synthetic("FluxInstance", "flux", ready="True", api_version="fluxcd.controlplane.io/v1")
    assert conditions.state(generator) == "suspended" and conditions.state(instance) == "ready"


def test_an_alert_whose_provider_is_missing_is_a_root_cause_with_its_advice():
    graph = build([SYNTHETIC_PROVIDER, SYNTHETIC_ALERT, SYNTHETIC_ORPHAN_ALERT])
    assert graph.states["Alert/apps/on-apps"] == "ready"
    finding = graph.findings["Alert/apps/orphan"]
    assert finding.state == "failed" and finding.missing == ["Provider/apps/gone"]
    action = for_finding(finding, [])
    assert action.failure == "alert.provider-missing"
    assert "Provider apps/gone (spec.providerRef) of Alert/apps/orphan does not exist" in action.do
    assert action.tool == "flux_events" and action.args == {"name": "orphan", "namespace": "apps"}


def test_the_dispatch_failure_an_alert_meets_is_the_catalogues():
    event = (
        "failed to dispatch notification for Kustomization/apps/app: failed to read provider: "
        'Provider.notification.toolkit.fluxcd.io "gone" not found'
    )
    found = failures.match("Alert", None, [event])
    assert found.failure.key == "alert.provider-missing" and found.groups["target"] == "gone"


def test_image_automation_failures_are_the_catalogues():
    policy = build([SYNTHETIC_POLICY]).findings["ImagePolicy/apps/app"]
    assert policy.missing == []  # its own condition says it
    assert for_finding(policy, []).failure == "imagepolicy.repository-missing"
    refused = synthetic(
        "ImageUpdateAutomation",
        "bump",
        ready="False",
        reason="GitOperationFailed",
        message="failed to update source: failed to push to remote: command error on refs/heads/main: "
        "pre-receive hook declined",
        spec={"sourceRef": {"kind": "GitRepository", "name": "fleet"}},
    )
    action = for_finding(build([refused]).findings["ImageUpdateAutomation/apps/bump"], [])
    assert action.failure == "imageupdate.push-failed" and "pre-receive hook declined" in action.do


def test_a_kustomization_waiting_for_an_external_artifact_is_blocked_by_the_generator_that_writes_it():
    generator = synthetic(
        "ArtifactGenerator",
        "gen",
        ready="False",
        reason="SourceFetchFailed",
        message="fetch sources failed: source GitRepository/apps/fleet is not ready",
        spec={
            "sources": [{"alias": "fleet", "kind": "GitRepository", "name": "fleet"}],
            "artifacts": [{"name": "out"}],
        },
    )
    waiting = synthetic(
        "Kustomization",
        "app",
        ready="False",
        reason="ArtifactFailed",
        message='externalartifacts.source.toolkit.fluxcd.io "out" not found',
        spec={"sourceRef": {"kind": "ExternalArtifact", "name": "out"}},
    )
    graph = build([generator, waiting])
    assert graph.findings["Kustomization/apps/app"].blocked_by == ["ArtifactGenerator/apps/gen"]
    report = analyse([generator, waiting])
    (cause,) = report["causes"]
    assert "ArtifactGenerator/apps/gen" in json.dumps(cause) and "Kustomization/apps/app" in json.dumps(cause)
    assert for_finding(graph.findings["ArtifactGenerator/apps/gen"], []).failure == "artifactgenerator.source-failed"


def test_a_failing_flux_instance_is_the_catalogues():
    instance = synthetic(
        "FluxInstance",
        "flux",
        ready="False",
        reason="ArtifactFailed",
        message="fetch failed: GET https://registry.example.invalid/v2/: dial tcp: lookup registry.example.invalid: "
        "no such host",
        api_version="fluxcd.controlplane.io/v1",
    )
    action = for_finding(build([instance]).findings["FluxInstance/apps/flux"], [])
    assert action.failure == "fluxinstance.fetch-failed" and "no such host" in action.do


CORPUS_ENTRIES = {
    "failed to dispatch notification for": ("Alert", "alert.provider-missing"),
    "referenced ImageRepository does not exist": ("ImagePolicy", "imagepolicy.repository-missing"),
    "no tags in database": ("ImagePolicy", "imagepolicy.no-tags"),
    "unable to determine latest version": ("ImagePolicy", "imagepolicy.no-match"),
    "failed to push to remote": ("ImageUpdateAutomation", "imageupdate.push-failed"),
    "fetch sources failed": ("ArtifactGenerator", "artifactgenerator.source-failed"),
    "fetch failed: GET": ("FluxInstance", "fluxinstance.fetch-failed"),
}


def test_the_corpus_messages_of_the_optional_controllers_meet_their_catalogue_entries():
    from pathlib import Path

    import yaml

    corpus = yaml.safe_load((Path(__file__).parents[2] / "data" / "controller_messages.yaml").read_text())["messages"]
    met = set()
    for entry in corpus:
        for needle, (kind, key) in CORPUS_ENTRIES.items():
            if needle in entry["message"]:
                reason = None if kind == "Alert" else entry["reason"]  # an Alert's comes as an event, not a condition
                assert failures.match(kind, reason, [entry["message"]]).failure.key == key, entry["message"]
                met.add(needle)
    assert met == set(CORPUS_ENTRIES)


def test_an_error_about_a_kind_names_its_plural_as_the_api_spells_it():
    from fluxtools._process.classify import Target

    assert Target("ImagePolicy", None, "team-a", "list").object_text() == "imagepolicies in namespace 'team-a'"
    assert Target("ImageRepository", None, None, "list").object_text() == "imagerepositories in all namespaces"


def test_a_helmrelease_on_a_chart_ref_is_blocked_by_the_failing_oci_repository():
    repository = synthetic(
        "OCIRepository",
        "lab-chart",
        ready="False",
        reason="OCIArtifactPullFailed",
        message="failed to pull artifact: synthetic",
    )
    release = synthetic(
        "HelmRelease",
        "oci-release",
        ready="False",
        reason="DependencyNotReady",
        message="synthetic: source not ready",
        spec={"chartRef": {"kind": "OCIRepository", "name": "lab-chart"}},
    )
    graph = build([repository, release])
    assert graph.findings["HelmRelease/apps/oci-release"].blocked_by == ["OCIRepository/apps/lab-chart"]
    assert graph.findings["HelmRelease/apps/oci-release"].source == "OCIRepository/apps/lab-chart"


def test_what_the_server_serves_is_asked_once_a_minute_per_cluster():
    def reply(argv):
        if argv[-2:] == ["--raw", "/apis"]:
            return (
                0,
                served(("notification.toolkit.fluxcd.io", "v1beta3"), ("notification.toolkit.fluxcd.io", "v1")),
                "",
            )
        return 0, items(), ""

    flux, runner = tools(reply, cache_ttl_secs=0)
    assert flux.call("flux_get_all")["success"] and flux.call("flux_stats")["success"]
    asked = [argv for argv in runner.calls if argv[-2:] == ["--raw", "/apis"]]
    assert len(asked) == 1
    assert runner.calls.count(["kubectl", *CONN, "get", NOTIFICATION, "-A", "-o", "json"]) == 2


def test_events_about_the_operators_and_source_watchers_objects_are_flux_events():
    from fluxtools.specs.events import flux_events

    def event(api_version, kind):
        involved = {"apiVersion": api_version, "kind": kind, "name": "x", "namespace": "apps"}
        return {"type": "Warning", "reason": "Synthetic", "involvedObject": involved, "message": "synthetic"}

    kept = flux_events(
        [
            event("fluxcd.controlplane.io/v1", "FluxInstance"),
            event("source.extensions.fluxcd.io/v1beta1", "ArtifactGenerator"),
            event("notification.toolkit.fluxcd.io/v1beta3", "Alert"),
            event("apps/v1", "Deployment"),
        ]
    )
    assert sorted(item["object"] for item in kept) == ["Alert/x", "ArtifactGenerator/x", "FluxInstance/x"]


def test_exporting_a_kind_whose_crd_is_missing_says_so_without_failing():
    stderr = "✗ no matches for kind \"Receiver\" in version \"notification.toolkit.fluxcd.io/v1\"\n"
    flux, _ = tools(lambda argv: (1, "", stderr))
    envelope = flux.call("flux_export", {"kind": "receiver", "namespace": "apps"})
    assert envelope["success"], envelope
    data = envelope["data"]
    assert data["installed"] is False and data["objects"] == 0
    assert data["note"] == "The receivers.notification.toolkit.fluxcd.io CRD is not installed in this cluster."
