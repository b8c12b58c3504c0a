"""Pictures as nodes, edges and positions: the diagnosis's graph section, flux_tree, the layout
(synthetic inputs are named synthetic)."""

import xml.etree.ElementTree as ET

import pytest

from fluxtools import FluxTools
from fluxtools.picture import Edge, Node, Picture, diagnose, from_tree, svg
from fluxtools.picture.layout import NODE_HEIGHT, NODE_WIDTH, layout
from tests.synthetic_scale import SCENARIO_CAUSES


@pytest.fixture(scope="module")
def demo():
    return diagnose(FluxTools(cluster="demo")).picture


def test_sources_stand_in_the_last_column_and_edges_point_right(demo):
    placed = layout(demo)
    last = max(placed.columns.values())
    sources = [node.id for node in demo.nodes if node.kind in ("GitRepository", "HelmRepository")]
    assert sources and all(placed.columns[node_id] == last for node_id in sources)
    assert all(placed.columns[edge.source] < placed.columns[edge.target] for edge in demo.edges)


def test_no_two_nodes_overlap(demo):
    boxes = list(layout(demo).positions.values())
    for index, (x1, y1) in enumerate(boxes):
        for x2, y2 in boxes[index + 1 :]:
            assert abs(x1 - x2) >= NODE_WIDTH or abs(y1 - y2) >= NODE_HEIGHT


def test_a_dependency_cycle_is_laid_out():
    synthetic = Picture(
        "synthetic cycle",
        tuple(Node(f"n{i}", "Kustomization", f"ns/k{i}", "failed") for i in range(3)),
        (Edge("n0", "n1", "dependsOn"), Edge("n1", "n2", "dependsOn"), Edge("n2", "n0", "dependsOn")),
    )
    placed = layout(synthetic)
    assert len(set(placed.positions.values())) == 3
    ET.fromstring(svg(synthetic, placed))


def test_the_svg_is_well_formed_and_names_every_root_cause(demo):
    root = ET.fromstring(svg(demo))
    texts = ["".join(element.itertext()) for element in root.iter("{http://www.w3.org/2000/svg}text")]
    for node in demo.root_causes():
        assert node.name in texts and f"✗ {node.kind}" in texts
    assert texts.count("ROOT CAUSE") == len(demo.root_causes()) == len(SCENARIO_CAUSES)
    groups = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if "node" in g.get("class", "").split()]
    assert len(groups) == len(demo.nodes)


def test_a_tree_is_bounded_and_folds_leaves_with_exact_counts():
    synthetic = {
        "kind": "kustomization",
        "name": "apps",
        "namespace": "flux-system",
        "tree": {
            "resource": "Kustomization/flux-system/apps",
            "children": [
                *({"resource": f"ConfigMap/apps/c{i}", "children": []} for i in range(7)),
                {"resource": "Service/apps/web", "children": []},
                *(
                    {
                        "resource": f"HelmRelease/apps/r{i}",
                        "children": [{"resource": f"Deployment/apps/d{i}", "children": []}],
                    }
                    for i in range(6)
                ),
            ],
        },
    }
    picture = from_tree(synthetic, limit=6)
    titles = [node.title for node in picture.nodes]
    assert titles == ["Kustomization", "7 × ConfigMap", "Service", "HelmRelease", "HelmRelease", "HelmRelease"]
    assert picture.nodes[1].name == "c0, c1, c2 +4"
    # 3 HelmReleases left out, and the Deployments of all six
    assert picture.omitted == {"objects": 9, "by_kind": {"Deployment": 6, "HelmRelease": 3}}
    assert picture.omitted_text() == "9 more objects not drawn (6 Deployment, 3 HelmRelease)"
    assert all(edge.relation == "manages" for edge in picture.edges) and len(picture.edges) == 5
