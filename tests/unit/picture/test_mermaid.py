"""The Mermaid flowchart, checked line by line (no maintained Mermaid parser is on PyPI: the one there
wraps mermaid.js and needs Node.js), on the demo cluster and on synthetic pictures (named synthetic)."""

import pytest

from fluxtools import FluxTools
from fluxtools.picture import Edge, Node, Picture, diagnose, markdown, mermaid, tree
from tests.synthetic_scale import SCENARIO_CAUSES

from .support import check_mermaid


@pytest.fixture(scope="module")
def demo():
    return diagnose(FluxTools(cluster="demo"))


def test_the_demo_diagnosis_is_a_valid_flowchart_with_every_root_cause_marked(demo):
    labels = check_mermaid(demo.mermaid())
    causes = [cause["objects"][0] for cause in demo.data["causes"]]
    assert sorted(causes) == sorted(ids[0] for ids in SCENARIO_CAUSES)
    for cause in causes:
        kind, namespace, name = cause.split("/")
        marked = [label for label in labels.values() if f"{namespace}/{name}<br/>" in label]
        assert len(marked) == 1 and marked[0].startswith(f"✗ {kind}<br/>") and "root cause" in marked[0]
    text = demo.mermaid()
    root_ids = [node.id for node in demo.picture.root_causes()]
    assert f"  class {','.join(root_ids)} rootcause" in text.splitlines() and len(root_ids) == len(causes)
    node = {(n.kind, n.name): n.id for n in demo.picture.nodes}
    dependent, needed = (
        node["Kustomization", "flux-system/dependent-app"],
        node["Kustomization", "flux-system/broken-build"],
    )
    assert f"{dependent} -->|dependsOn| {needed}" in text  # dependent-app needs broken-build


def test_labels_escape_what_would_end_them():
    synthetic = Picture(
        "synthetic",
        (
            Node("n0", "Kustomization", 'ns/"quoted" <b>#1', "failed", root_cause=True, reason='Bad "x"'),
            Node("n1", "GitRepository", "ns/repo", "absent"),
        ),
        (Edge("n0", "n1", "source"),),
        {"objects": 3, "by_state": {"ready": 3}, "edges": 2},
    )
    labels = check_mermaid(mermaid(synthetic))
    assert labels["n0"] == "✗ Kustomization<br/>ns/#quot;quoted#quot; #lt;b#gt;#35;1<br/>Bad #quot;x#quot; · root cause"
    assert labels["omitted"] == "3 more objects not drawn (3 ready) and 2 references to or from them"
    assert markdown(synthetic).startswith("```mermaid\nflowchart LR\n") and markdown(synthetic).endswith("```\n")


def test_a_tree_is_a_valid_flowchart():
    view = tree(FluxTools(cluster="demo"), "apps", "flux-system")
    labels = check_mermaid(view.mermaid())
    assert labels["n0"] == "Kustomization<br/>flux-system/apps"
    assert "n0 -->|manages| n1" in view.mermaid()
