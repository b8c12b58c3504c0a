"""`labctl.py scale` adds generated namespaces of Kustomizations to the running lab and removes them again."""

import json

from fluxtools import FluxTools
from fluxtools._process.runners import SubprocessRunner
from lab.info import lab_info

from .labctl import labctl


def generated(kustomizations):
    return [k for k in kustomizations if k["namespace"].startswith("scale-")]


def test_scale_adds_shared_failures_and_removes_them(lab_config):
    tools = FluxTools(lab_config(), runner=SubprocessRunner())
    before = tools.call("flux_kustomization_list", {})["data"]
    try:
        labctl("scale", "--objects", "33", "--namespaces", "3")
        scale = lab_info()["scale"]
        assert (scale["suspended"], scale["failing"], scale["blocked"]) == (30, 2, 1) and scale["settled"]
        data = tools.call("flux_kustomization_list", {})["data"]
        ours = generated(data["kustomizations"])
        assert len(ours) == 33 and {k["namespace"] for k in ours} == {"scale-01", "scale-02", "scale-03"}
        assert data["counts"]["suspended"] == before["counts"]["suspended"] + 30
        failing = [k for k in ours if k["name"].startswith("bad-")]
        assert len(failing) == 2 and all("kustomization path not found" in json.dumps(k) for k in failing)
        blocked = [k for k in ours if k["name"].startswith("blocked-")]
        assert blocked and all("is not ready" in json.dumps(k) and "bad-000" in json.dumps(k) for k in blocked)
    finally:
        labctl("scale", "--remove")
    after = tools.call("flux_kustomization_list", {})["data"]
    assert generated(after["kustomizations"]) == [] and "scale" not in lab_info()
    assert after["counts"] == before["counts"]
