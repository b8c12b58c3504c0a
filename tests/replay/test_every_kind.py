"""Every Flux kind on the lab: OCI sources, image automation, notifications, ExternalArtifacts and their
generator, the Flux Operator's kinds, read, drawn, traced, exported and diagnosed like the others.

The objects are the ones `labctl start` plants in its own namespaces (lab.json `surface`).
"""

import json

import pytest

NOTIFY, IMAGES, ARTIFACTS, OPERATOR, OCI = "lab-notify", "lab-images", "lab-artifacts", "lab-operator", "lab-oci"
EXPECTED = {
    NOTIFY: {
        ("Provider", "webhook"): "True",
        ("Alert", "all-events"): "True",
        ("Alert", "orphan-alert"): "True",  # no status: the controller writes none; the diagnosis sees it
        ("Receiver", "webhook-receiver"): "True",
        ("Receiver", "broken-receiver"): "False",
        ("Kustomization", "notify-app"): "True",
    },
    IMAGES: {
        ("GitRepository", "automation"): "True",
        ("ImageRepository", "podinfo"): "True",
        ("ImagePolicy", "podinfo-semver"): "True",
        ("ImagePolicy", "podinfo-alphabetical"): "True",
        ("ImagePolicy", "podinfo-no-match"): "False",
        ("ImageUpdateAutomation", "podinfo"): "True",
    },
    ARTIFACTS: {
        ("ArtifactGenerator", "generator"): "True",
        ("ExternalArtifact", "generated-config"): "True",
        ("Kustomization", "generated-app"): "True",
        ("Kustomization", "awaits-artifact"): "False",
    },
    OPERATOR: {
        ("ResourceSetInputProvider", "tenants"): "True",
        ("ResourceSet", "tenant-config"): "True",
    },
}


@pytest.fixture
def surface(tier, lab):
    """Live, the lab must hold the surface objects (a lab started before they were added does not)."""
    if tier == "live" and lab is not None and "surface" not in lab:
        pytest.skip("this lab was started without the surface objects (lab.json has no `surface`)")


@pytest.mark.parametrize("namespace", sorted(EXPECTED))
def test_get_all_lists_every_kind_with_its_state(lab_tools, surface, namespace):
    envelope = lab_tools().call("flux_get_all", {"namespace": namespace})
    assert envelope["success"], envelope
    data = envelope["data"]
    found = {(item["kind"], item["name"]): item["ready"] for item in data["objects"]}
    assert {key: found.get(key) for key in EXPECTED[namespace]} == EXPECTED[namespace]
    assert "notes" not in data and "unread" not in data  # every kind served: nothing skipped, nothing refused


def test_stats_count_the_optional_kinds_and_the_external_artifacts_storage(lab_tools, surface):
    data = lab_tools().call("flux_stats", {"namespace": ARTIFACTS})["data"]
    rows = data["by_kind"]
    assert rows["ExternalArtifact"]["total"] == 1 and rows["ExternalArtifact"]["storage_bytes"] > 0
    assert rows["ArtifactGenerator"] == {"total": 1, "ready": 1, "failing": 0, "suspended": 0, "progressing": 0}
    assert rows["Kustomization"]["failing"] == 1
    for kind in ("FluxInstance", "Receiver", "ImagePolicy"):  # served, none in this namespace
        assert rows[kind]["total"] == 0


def test_one_object_of_each_new_kind_in_detail(lab_tools, surface):
    tools = lab_tools()

    def get(kind, name, namespace):
        envelope = tools.call("flux_source_get", {"kind": kind, "name": name, "namespace": namespace})
        assert envelope["success"], envelope
        return envelope["data"]

    provider = get("provider", "webhook", NOTIFY)
    assert provider["kind"] == "Provider" and provider["type"] == "generic" and provider["ready"] is True
    assert "address" not in json.dumps(provider) and "26501" not in json.dumps(provider)
    orphan = get("alert", "orphan-alert", NOTIFY)
    assert orphan["provider"] == "Provider/lab-notify/no-such-provider"
    receiver = get("receiver", "broken-receiver", NOTIFY)
    assert receiver["reason"] == "TokenNotFound" and receiver["resources"] == ["Kustomization/lab-notify/notify-app"]
    images = tools.call("flux_image_list", {"namespace": IMAGES, "kind": "policy"})["data"]["images"]
    policy = next(item for item in images if item["name"] == "podinfo-semver")
    assert policy["image_repository"] == "podinfo" and policy["latest_image"].endswith(":6.2.0")
    external = get("external", "generated-config", ARTIFACTS)
    assert external["source"] == "ArtifactGenerator/lab-artifacts/generator" and external["artifact"]["digest"]
    generator = get("generator", "generator", ARTIFACTS)
    assert generator["inventory"] == ["ExternalArtifact/lab-artifacts/generated-config"]
    instance = get("fluxinstance", "flux", "flux-system")
    assert instance["ready"] is False and instance["reason"] == "ArtifactFailed"
    resourceset = get("resourceset", "tenant-config", OPERATOR)
    assert resourceset["ready"] is True and resourceset["inventory_count"] == 1
    provider = get("ResourceSetInputProvider", "tenants", OPERATOR)  # the kind's name, taken for its word `rsip`
    assert provider["kind"] == "ResourceSetInputProvider" and provider["ready"] is True


@pytest.mark.parametrize(
    ("kind", "name", "namespace", "below"),
    [
        ("resourceset", "tenant-config", OPERATOR, "ConfigMap/lab-operator/lab-config"),
        ("artifactgenerator", "generator", ARTIFACTS, "ExternalArtifact/lab-artifacts/generated-config"),
        ("kustomization", "generated-app", ARTIFACTS, "ConfigMap/lab-artifacts/generated-config"),
    ],
)
def test_tree_of_what_each_applier_manages(lab_tools, surface, kind, name, namespace, below):
    envelope = lab_tools().call("flux_tree", {"kind": kind, "name": name, "namespace": namespace})
    assert envelope["success"], envelope
    tree = envelope["data"]["tree"]
    assert [child["resource"] for child in tree["children"]] == [below]


@pytest.mark.parametrize(
    ("name", "namespace", "source"),
    [
        ("generated-config", ARTIFACTS, ("ExternalArtifact", "generated-config")),
        ("oci-config", OCI, ("OCIRepository", "manifests")),
    ],
)
def test_trace_through_an_external_artifact_and_an_oci_repository(lab_tools, surface, name, namespace, source):
    envelope = lab_tools().call("flux_trace", {"kind": "configmap", "name": name, "namespace": namespace})
    assert envelope["success"], envelope
    chain = envelope["data"]["chain"]
    assert [block["kind"] for block in chain] == ["ConfigMap", "Kustomization", source[0]]
    assert chain[-1]["name"] == source[1]


@pytest.mark.parametrize(
    ("kind", "namespace", "names"),
    [
        ("alert", NOTIFY, ["all-events", "orphan-alert"]),
        ("alert-provider", NOTIFY, ["webhook"]),
        ("receiver", NOTIFY, ["broken-receiver", "webhook-receiver"]),
        ("source external", ARTIFACTS, ["generated-config"]),
        ("artifact generator", ARTIFACTS, ["generator"]),
        ("image policy", IMAGES, ["podinfo-alphabetical", "podinfo-no-match", "podinfo-semver"]),
    ],
)
def test_export_of_the_new_kinds(lab_tools, surface, kind, namespace, names):
    envelope = lab_tools().call("flux_export", {"kind": kind, "namespace": namespace})
    assert envelope["success"], envelope
    data = envelope["data"]
    assert data["objects"] == len(names)
    assert sorted(line.split(": ", 1)[1] for line in data["yaml"].splitlines() if line.startswith("  name: ")) == names
    assert "status:" not in data["yaml"]


@pytest.mark.parametrize(
    ("namespace", "causes"),
    [
        (
            NOTIFY,
            {
                "Receiver/lab-notify/broken-receiver": "receiver.token-missing",
                "Alert/lab-notify/orphan-alert": "alert.provider-missing",
            },
        ),
        (IMAGES, {"ImagePolicy/lab-images/podinfo-no-match": "imagepolicy.no-match"}),
        (ARTIFACTS, {"Kustomization/lab-artifacts/awaits-artifact": "kustomization.source-missing"}),
    ],
)
def test_the_diagnosis_names_each_new_failure_with_the_catalogues_advice(lab_tools, surface, namespace, causes):
    envelope = lab_tools().call("flux_diagnose", {"namespace": namespace, "include_logs": False})
    assert envelope["success"], envelope
    data = envelope["data"]
    found = {cause["objects"][0]: cause["next_action"]["failure"] for cause in data["causes"]}
    assert found == causes, json.dumps(data)[:2000]
    assert "unread" not in data


def test_the_diagnosis_finds_the_failing_flux_instance(lab_tools, surface):
    envelope = lab_tools().call(
        "flux_diagnose", {"namespace": "flux-system", "name_contains": "flux", "include_logs": False}
    )
    assert envelope["success"], envelope
    causes = {cause["objects"][0]: cause for cause in envelope["data"]["causes"]}
    instance = causes["FluxInstance/flux-system/flux"]
    assert instance["reason"] == "ArtifactFailed" and instance["message"].startswith("fetch failed: ")
    assert instance["next_action"]["failure"] == "fluxinstance.fetch-failed"
    assert instance["next_action"]["flux"] == (
        "kubectl events --for fluxinstances.fluxcd.controlplane.io/flux -n flux-system"
    )


def test_the_orphan_alerts_events_say_why_its_notifications_go_nowhere(lab_tools, surface):
    envelope = lab_tools().call("flux_events", {"name": "orphan-alert", "namespace": NOTIFY})
    assert envelope["success"], envelope
    (event,) = {event["reason"]: event for event in envelope["data"]["events"]}.values()
    assert event["reason"] == "NotificationDispatchFailed" and event["object"] == "Alert/orphan-alert"
    assert 'Provider.notification.toolkit.fluxcd.io "no-such-provider" not found' in event["message"]


def test_a_restricted_user_reads_the_kinds_it_may_and_is_told_which_it_may_not(lab_tools, surface):
    """Tenancy through the same pipeline: the lab's jane may list sources, Kustomizations and notification
    objects in team-a only; HelmReleases and the other components' kinds are unread, named."""
    tools = lab_tools(context="lab-restricted", namespace="team-a", enforce_namespace=True)
    envelope = tools.call("flux_get_all", {})
    assert envelope["success"], envelope
    data = envelope["data"]
    assert {item["namespace"] for item in data["objects"]} == {"team-a"}
    unread = {item["kind"]: item["error_type"] for item in data["unread"]}
    assert unread["HelmRelease"] == unread["FluxInstance"] == unread["ImagePolicy"] == "PermissionDenied"
    assert not {"Alert", "Provider", "Receiver", "ExternalArtifact", "Kustomization"} & set(unread)
