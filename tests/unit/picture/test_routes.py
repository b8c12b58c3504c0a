"""Edges that skip a column go around the boxes of the columns between, never behind them
(synthetic inputs are named synthetic)."""

import re

import pytest

from fluxtools import FluxTools
from fluxtools.picture import Edge, Node, Picture, diagnose, svg
from fluxtools.picture.layout import NODE_HEIGHT, NODE_WIDTH, layout
from fluxtools.picture.routes import STACK_OFFSET

STEPS = 60


def samples(path: str) -> list[tuple[float, float]]:
    """Points along an SVG path made of M, C and L commands."""
    tokens = re.findall(r"[MCL]|-?\d+(?:\.\d+)?", path)
    points: list[tuple[float, float]] = []
    here = (0.0, 0.0)
    index = 0
    while index < len(tokens):
        command = tokens[index]
        index += 1
        count = {"M": 1, "L": 1, "C": 3}[command]
        coords = [(float(tokens[index + 2 * i]), float(tokens[index + 2 * i + 1])) for i in range(count)]
        index += 2 * count
        if command == "M":
            here = coords[0]
            points.append(here)
            continue
        controls = [here, *coords] if command == "C" else [here, here, coords[0], coords[0]]
        for step in range(1, STEPS + 1):
            t = step / STEPS
            weights = ((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3)
            pairs = list(zip(weights, controls, strict=True))
            points.append((sum(w * p[0] for w, p in pairs), sum(w * p[1] for w, p in pairs)))
        here = coords[-1]
    return points


def crossings(picture: Picture) -> list[str]:
    """Each edge that passes through a box other than its own two ends (cards of a stack included)."""
    placed = layout(picture)
    paths = re.findall(r'<g class="edge[^>]*><path d="([^"]*)"', svg(picture, placed))
    assert len(paths) == len(picture.edges)
    found = []
    for edge, path in zip(picture.edges, paths, strict=True):
        for node in picture.nodes:
            if node.id in (edge.source, edge.target):
                continue
            x, y = placed.positions[node.id]
            top = y - (STACK_OFFSET if node.count > 1 else 0)
            right = x + NODE_WIDTH + (STACK_OFFSET if node.count > 1 else 0)
            if any(x < px < right and top < py < y + NODE_HEIGHT for px, py in samples(path)):
                found.append(f"{edge.source}->{edge.target} crosses {node.id}")
    return found


def test_the_demo_pictures_edges_cross_no_box():
    picture = diagnose(FluxTools(cluster="demo")).picture
    placed = layout(picture)
    assert any(placed.columns[e.target] - placed.columns[e.source] > 1 for e in picture.edges), "a skipping edge"
    assert crossings(picture) == []


def chain_with_a_skip_synthetic(middle: int, count: int = 1) -> Picture:
    """a → m0..m{middle-1} → b, and a → b directly: the direct edge skips the middle column."""
    nodes = [Node("a", "Kustomization", "ns/a", "failed")]
    nodes += [Node(f"m{i}", "Kustomization", f"ns/m{i}", "ready", count=count) for i in range(middle)]
    nodes.append(Node("b", "GitRepository", "ns/b", "ready"))
    edges = [Edge("a", f"m{i}", "dependsOn") for i in range(middle)]
    edges += [Edge(f"m{i}", "b", "source") for i in range(middle)] + [Edge("a", "b", "source")]
    return Picture("synthetic skip", tuple(nodes), tuple(edges))


@pytest.mark.parametrize("middle", [1, 2, 3, 6])
@pytest.mark.parametrize("count", [1, 3])
def test_an_edge_skipping_a_column_goes_around_its_boxes_synthetic(middle, count):
    assert crossings(chain_with_a_skip_synthetic(middle, count)) == []


def test_edges_between_neighbouring_columns_stay_one_curve_synthetic():
    picture = chain_with_a_skip_synthetic(2)
    paths = re.findall(r'<g class="edge[^>]*><path d="([^"]*)"', svg(picture))
    direct = [path for path in paths if " L" in path]
    assert len(direct) == 1 and sum(path.count("C") == 1 for path in paths) == 4
