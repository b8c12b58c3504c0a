"""flux_reconcile of the kinds beyond Kustomizations, HelmReleases and Git/Helm sources, on the lab's real
controllers: image repositories, policies and update automations, Receivers, an OCIRepository, and a HelmRelease
whose chart comes from an OCIRepository (`chartRef`), each decided by watching the object."""

import pytest

from fluxtools.specs.actions import RECONCILABLE
from lab import zoo
from tests.replay.commands import Commands, decided_by_watch

SUCCEEDED = [
    ({"kind": "imagerepository", "name": "podinfo", "namespace": "lab-images"}, "successful scan: found 7 tags"),
    ({"kind": "imagepolicy", "name": "podinfo-semver", "namespace": "lab-images"}, "resolved to 6.2.0"),
    ({"kind": "imageupdateautomation", "name": "podinfo", "namespace": "lab-images"}, ""),
    ({"kind": "receiver", "name": "webhook-receiver", "namespace": "lab-notify"}, "Receiver initialized"),
    ({"kind": "oci", "name": "manifests", "namespace": "lab-oci"}, "stored artifact"),
]
FAILED = [
    ({"kind": "imagepolicy", "name": "podinfo-no-match", "namespace": "lab-images"}, "Failure"),
    ({"kind": "receiver", "name": "broken-receiver", "namespace": "lab-notify"}, "TokenNotFound"),
]
REVISIONS = {"imagepolicy": "/lab/podinfo:6.2.0", "oci": "v1@sha256:"}
"""What the succeeded verdict names as the run's result, where the kind has one."""
NOUNS = {
    "imagerepository": ["image", "repository"],
    "imagepolicy": ["image", "policy"],
    "imageupdateautomation": ["image", "update"],
    "receiver": ["receiver"],
    "oci": ["source", "oci"],
}


def flux_nouns(commands, name):
    """The words after `flux reconcile` up to the object's name, for each flux command that ran."""
    runs = [ran.argv for ran in commands.ran if ran.argv[0].rsplit("/", 1)[-1] == "flux"]
    return [argv[argv.index("reconcile") + 1 : argv.index(name)] for argv in runs]


def controller_log(tier, args):
    """On the live lab, the controller's last lines about the object's namespace: printed when a verdict is wrong."""
    kind = RECONCILABLE.get(args["kind"], RECONCILABLE["ocirepository"])  # `oci`, the short form
    return zoo.controller_log(kind.controller, args["namespace"]) if tier == "live" else []


@pytest.mark.parametrize(("args", "said"), SUCCEEDED, ids=[args["kind"] for args, _ in SUCCEEDED])
def test_reconcile_succeeds(lab_tools, tier, args, said):
    tools = lab_tools(reconcile_min_interval_secs=0)
    commands = Commands(tools)
    data = tools.call("flux_reconcile", args)["data"]
    assert data["verdict"] == "succeeded" and data["ready"] == "True", (data, controller_log(tier, args))
    assert said in data["message"]
    assert REVISIONS.get(args["kind"], "") in (data["revision"] or "")
    assert flux_nouns(commands, args["name"]) == [NOUNS[args["kind"]]]
    decided_by_watch(commands)


@pytest.mark.parametrize(("args", "reason"), FAILED, ids=[args["name"] for args, _ in FAILED])
def test_reconcile_fails_with_the_controllers_reason(lab_tools, tier, args, reason):
    tools = lab_tools(reconcile_min_interval_secs=0)
    commands = Commands(tools)
    data = tools.call("flux_reconcile", args)["data"]
    assert data["verdict"] == "failed" and data["reason"] == reason, (data, controller_log(tier, args))
    assert data["duration_secs"] < 30
    decided_by_watch(commands)


def test_reconcile_a_helmrelease_with_its_oci_chart_source(lab_tools):
    tools = lab_tools(reconcile_min_interval_secs=0)
    commands = Commands(tools)
    args = {"kind": "hr", "name": "oci-release", "namespace": "lab-oci", "with_source": True}
    data = tools.call("flux_reconcile", args)["data"]
    assert data["verdict"] == "succeeded", data
    assert flux_nouns(commands, "oci-release") == [["helmrelease"]]
    decided_by_watch(commands)
