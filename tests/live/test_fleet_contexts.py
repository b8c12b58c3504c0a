"""The lab's kubeconfig as a fleet: admin, restricted tenant, a closed port and N aliases of the lab."""

import pytest
import yaml

from fluxtools import FluxTools
from fluxtools._process.runners import SubprocessRunner
from lab.info import lab_info

from .labctl import labctl


@pytest.fixture
def three_aliases(lab):
    before = lab_info().get("aliases", 0)
    labctl("env", "--aliases", "3")
    yield
    labctl("env", "--aliases", str(before))


def context_names(lab):
    with open(lab["kubeconfig"]) as f:
        return [c["name"] for c in yaml.safe_load(f)["contexts"]]


def test_aliases_are_written_and_removed(lab, three_aliases):
    names = context_names(lab)
    assert names[:4] == ["lab", "lab-restricted", "lab-noflux", "lab-unreachable"]
    assert [n for n in names if n.startswith("lab-alias-")] == ["lab-alias-01", "lab-alias-02", "lab-alias-03"]
    assert list(lab_info()["contexts"])[-3:] == ["lab-alias-01", "lab-alias-02", "lab-alias-03"]


def test_each_fleet_context_answers_as_its_cluster_would(lab_config, three_aliases):
    def listing(context, **args):
        return FluxTools(lab_config(context=context, retry_attempts=1), runner=SubprocessRunner()).call(
            "flux_kustomization_list", args
        )

    admin = listing("lab")
    alias = listing("lab-alias-02")
    assert admin["success"] and alias["success"]
    assert {k["name"] for k in alias["data"]["kustomizations"]} == {k["name"] for k in admin["data"]["kustomizations"]}
    tenant = listing("lab-restricted", namespace="team-a")
    assert tenant["success"] and {k["namespace"] for k in tenant["data"]["kustomizations"]} == {"team-a"}
    assert listing("lab-unreachable")["error_type"] == "ClusterUnreachable"
