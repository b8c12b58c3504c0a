"""The diagnosis at scale on the lab: the scenario plus generated namespaces (`labctl.py scale`).

Every distinct cause of the scenario is named in one answer within the 16 KB budget, the shared cause
of the generated failures is one group with its exact count, and suspended objects are counted apart.
"""

import json

from fluxtools import FluxTools
from fluxtools._process.runners import SubprocessRunner
from lab.info import lab_info

from .labctl import labctl

BUDGET = 16 * 1024


def cause_key(cause: dict) -> tuple:
    return cause["kind"], cause["reason"], cause.get("source")


def test_every_distinct_cause_in_one_answer_at_scale(lab_config):
    tools = FluxTools(lab_config(), runner=SubprocessRunner())
    baseline = tools.call("flux_diagnose", {"max_bytes": BUDGET})["data"]
    try:
        labctl("scale", "--objects", "1650")
        scale = lab_info()["scale"]
        assert scale["settled"], scale
        envelope = tools.call("flux_diagnose", {"max_bytes": BUDGET})
        assert envelope["success"], envelope
        assert len(json.dumps(envelope).encode()) <= BUDGET
        data = envelope["data"]
        added = scale["suspended"] + scale["failing"] + scale["blocked"]
        assert data["summary"]["objects"] == baseline["summary"]["objects"] + added
        assert "continue" not in data  # no cause had to be cut
        named = {cause_key(cause) for cause in data["causes"]}
        assert {cause_key(cause) for cause in baseline["causes"]} <= named
        generated = [c for c in data["causes"] if any("/scale-" in o for o in c["objects"])]
        assert len(generated) == 1  # 100 failures, one shared cause
        same_before = [c["count"] for c in baseline["causes"] if cause_key(c) == cause_key(generated[0])]
        assert generated[0]["count"] == scale["failing"] + sum(same_before)  # grouped with the scenario's own
        assert generated[0]["blocks"]["count"] >= scale["blocked"]
        assert data["summary"]["root_causes"] == len(baseline["causes"]) + (0 if same_before else 1)
        assert data["suspended"]["count"] == baseline["suspended"]["count"] + scale["suspended"]
    finally:
        labctl("scale", "--remove")
