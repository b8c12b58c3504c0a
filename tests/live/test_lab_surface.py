"""The whole Flux installation of the lab (lab/surface.py) on a fresh lab: every added process runs and every added
kind reaches the state `lab.json` → `surface` says, through the real controllers, registry, Git server and sink."""

import json
import subprocess
import urllib.request
from pathlib import Path

import pytest

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def kubectl(lab, *args):
    argv = [lab["kubectl"], "--kubeconfig", lab["kubeconfig"], "--context", "lab", *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60)


def get(lab, resource, name, namespace):
    done = kubectl(lab, "get", resource, name, "-n", namespace, "-o", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def ready(obj):
    return next(c for c in obj["status"]["conditions"] if c["type"] == "Ready")


def http_json(url, data=None):
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    with OPENER.open(request, timeout=10) as answer:
        return answer.status, json.loads(answer.read() or b"null")


@pytest.fixture(scope="module")
def surface(lab):
    assert "surface" in lab, "lab.json has no `surface`: restart the lab with this version of lab/"
    return lab["surface"]


def test_every_added_process_runs_and_flux_check_counts_the_new_controllers(lab, surface):
    pids = json.loads((Path(lab["state_dir"]) / "pids.json").read_text())
    assert set(surface["processes"]) <= set(pids), sorted(pids)
    for process in surface["processes"]:
        health = lab["ports"].get(process + "-health")
        if health:  # the controllers and the operator
            with OPENER.open(f"http://127.0.0.1:{health}/readyz", timeout=5) as answer:
                assert answer.status == 200, process
    checked = subprocess.run(
        [lab["flux"], "--kubeconfig", lab["kubeconfig"], "check"], capture_output=True, text=True, timeout=120
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    for controller in ("image-reflector-controller", "image-automation-controller", "source-watcher"):
        assert f"{controller}:" in checked.stdout + checked.stderr
    operator = get(lab, "deployment", "flux-operator", "flux-system")
    assert operator["status"]["availableReplicas"] == 1


def test_every_surface_object_is_in_its_intended_state(lab, surface):
    wrong = []
    for want in surface["expected"]:
        obj = get(lab, want["resource"], want["name"], want["namespace"])
        cond = ready(obj)
        if cond["status"] not in want["ready"].split("|") or cond["reason"] not in want["reasons"]:
            wrong.append((want["kind"], want["namespace"], want["name"], cond["status"], cond["reason"]))
    assert not wrong, wrong
    assert set(surface["namespaces"]) <= {want["namespace"] for want in surface["expected"]}


def test_the_registry_serves_what_the_lab_pushed_and_the_sources_read_it(lab, surface):
    content = surface["content"]
    repository = content["images"]["repository"].split("/", 1)[1]
    _, listed = http_json(f"http://{surface['registry']}/v2/{repository}/tags/list")
    assert sorted(listed["tags"]) == sorted(content["images"]["tags"])
    manifests = get(lab, "ocirepositories.source.toolkit.fluxcd.io", "manifests", "lab-oci")
    assert (
        manifests["status"]["artifact"]["revision"] == f"{content['manifests']['tag']}@{content['manifests']['digest']}"
    )
    chart = get(lab, "ocirepositories.source.toolkit.fluxcd.io", "lab-chart", "lab-oci")
    assert chart["status"]["artifact"]["revision"] == f"0.2.0@{content['chart']['digests']['0.2.0']}"
    release = get(lab, "helmreleases.helm.toolkit.fluxcd.io", "oci-release", "lab-oci")
    assert release["spec"]["chartRef"] == {"kind": "OCIRepository", "name": "lab-chart"}
    assert release["status"]["history"][0]["chartVersion"].startswith("0.2.0")
    installed = get(lab, "configmap", "oci-release-config", "lab-oci")
    assert installed["data"]["message"] == "hello from an OCI chart"
    assert get(lab, "configmap", "oci-config", "lab-oci")["data"]["owner"] == "oci-app"


def test_image_policies_pick_from_the_scanned_tags_and_the_automation_pushed_its_own_branch(lab, surface):
    policies = {
        p: get(lab, "imagepolicies.image.toolkit.fluxcd.io", p, "lab-images")
        for p in ("podinfo-semver", "podinfo-alphabetical")
    }
    assert policies["podinfo-semver"]["status"]["latestRef"]["tag"] == "6.2.0"
    assert policies["podinfo-alphabetical"]["status"]["latestRef"]["tag"] == "main-c3"
    failing = ready(get(lab, "imagepolicies.image.toolkit.fluxcd.io", "podinfo-no-match", "lab-images"))
    assert failing["message"] == "unable to determine latest version from provided list"
    automation = get(lab, "imageupdateautomations.image.toolkit.fluxcd.io", "podinfo", "lab-images")
    git = surface["content"]["automation_git"]
    remote = subprocess.run(["git", "ls-remote", git["url"]], capture_output=True, text=True, timeout=30)
    heads = dict(reversed(line.split("\t")) for line in remote.stdout.splitlines())
    assert heads[f"refs/heads/{git['push_branch']}"] == automation["status"]["lastPushCommit"]
    assert f"main@sha1:{heads['refs/heads/main']}" == git["main"]  # the automation left main alone
    fleet = subprocess.run(["git", "ls-remote", lab["git"]["fleet"], "main"], capture_output=True, text=True)
    assert lab["git_revision"] == "main@sha1:" + fleet.stdout.split()[0]


def test_alerts_reach_the_sink_a_missing_provider_is_reported_and_the_receiver_answers(lab, surface):
    _, received = http_json(surface["received_url"])
    sent = [r["body"] for r in received if r["path"] == "/lab-notify"]
    assert any(b["involvedObject"]["name"] == "notify-app" and b["reason"] == "ReconciliationSucceeded" for b in sent)
    events = kubectl(lab, "get", "events", "-n", "lab-notify", "-o", "json")
    failed = [
        e["message"]
        for e in json.loads(events.stdout)["items"]
        if e["involvedObject"]["name"] == "orphan-alert" and e["reason"] == "NotificationDispatchFailed"
    ]
    assert failed and 'Provider.notification.toolkit.fluxcd.io "no-such-provider" not found' in failed[0]
    receiver = get(lab, "receivers.notification.toolkit.fluxcd.io", "webhook-receiver", "lab-notify")
    status, _ = http_json(surface["receiver_url"] + receiver["status"]["webhookPath"], data=b"{}")
    assert status == 200
    app = get(lab, "kustomizations.kustomize.toolkit.fluxcd.io", "notify-app", "lab-notify")
    assert "reconcile.fluxcd.io/requestedAt" in app["metadata"].get("annotations", {})


def test_the_generated_artifact_is_applied_and_the_one_never_generated_is_waited_for(lab, surface):
    generator = get(lab, "artifactgenerators.source.extensions.fluxcd.io", "generator", "lab-artifacts")
    assert [i["name"] for i in generator["status"]["inventory"]] == ["generated-config"]
    assert get(lab, "configmap", "generated-config", "lab-artifacts")["data"]["owner"] == "generated-app"
    waiting = ready(get(lab, "kustomizations.kustomize.toolkit.fluxcd.io", "awaits-artifact", "lab-artifacts"))
    assert 'ExternalArtifact.source.toolkit.fluxcd.io "never-generated" not found' in waiting["message"]


def test_the_operator_renders_its_resource_set_reports_flux_and_fails_the_instance_without_a_distribution(lab, surface):
    rendered = get(lab, "configmap", "lab-config", "lab-operator")
    assert rendered["data"]["message"] == "rendered by the Flux Operator"
    resource_set = get(lab, "resourcesets.fluxcd.controlplane.io", "tenant-config", "lab-operator")
    assert [e["id"] for e in resource_set["status"]["inventory"]["entries"]] == ["lab-operator_lab-config__ConfigMap"]
    instance = ready(get(lab, "fluxinstances.fluxcd.controlplane.io", "flux", "flux-system"))
    assert instance["message"].startswith(f"fetch failed: pulling artifact {surface['operator_manifests']} failed")
    assert "MANIFEST_UNKNOWN" in instance["message"]  # the lab's registry answered: nothing was pushed there
    report = get(lab, "fluxreports.fluxcd.controlplane.io", "flux", "flux-system")
    components = {c["name"] for c in report["spec"]["components"]}
    assert {"image-reflector-controller", "image-automation-controller", "source-watcher"} <= components
