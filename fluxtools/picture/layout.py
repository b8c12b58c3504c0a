"""A layered layout: columns by dependency depth, rows ordered to keep edges short.

Edges point left to right: from an object to what it needs (diagnosis, sources in
the rightmost column) or from a parent to what it manages (tree, root leftmost).
Within a column, nodes start in the picture's order (causes first) and are then
sorted by the mean row of their neighbours, a few sweeps each way.
"""

from __future__ import annotations

from dataclasses import dataclass

from fluxtools.picture.model import Picture

NODE_WIDTH = 260
NODE_HEIGHT = 64
COLUMN_GAP = 110
ROW_GAP = 22
MARGIN = 24
SWEEPS = 4


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    positions: dict[str, tuple[int, int]]
    """Node id → top-left corner."""
    columns: dict[str, int]


def _heights(picture: Picture) -> dict[str, int]:
    """Longest path to a node that needs nothing; edges closing a cycle are not followed."""
    out: dict[str, list[str]] = {node.id: [] for node in picture.nodes}
    for edge in picture.edges:
        out[edge.source].append(edge.target)
    heights: dict[str, int] = {}
    visiting: set[str] = set()

    def height(node_id: str) -> int:
        if node_id in heights:
            return heights[node_id]
        visiting.add(node_id)
        below = [height(target) for target in out[node_id] if target not in visiting]
        visiting.discard(node_id)
        heights[node_id] = 1 + max(below) if below else 0
        return heights[node_id]

    for node in picture.nodes:
        height(node.id)
    return heights


def _depths(picture: Picture) -> dict[str, int]:
    """Distance from the first node (the tree's root) along the edges."""
    depths = {picture.nodes[0].id: 0} if picture.nodes else {}
    changed = True
    while changed:
        changed = False
        for edge in picture.edges:
            if edge.source in depths and edge.target not in depths:
                depths[edge.target] = depths[edge.source] + 1
                changed = True
    return {node.id: depths.get(node.id, 0) for node in picture.nodes}


def columns(picture: Picture) -> dict[str, int]:
    if picture.layering == "depth":
        return _depths(picture)
    heights = _heights(picture)
    top = max(heights.values(), default=0)
    return {node_id: top - value for node_id, value in heights.items()}


def _order(picture: Picture, column_of: dict[str, int]) -> list[list[str]]:
    count = max(column_of.values(), default=-1) + 1
    stacks: list[list[str]] = [[] for _ in range(count)]
    for node in picture.nodes:
        stacks[column_of[node.id]].append(node.id)
    neighbours: dict[str, list[str]] = {node.id: [] for node in picture.nodes}
    for edge in picture.edges:
        neighbours[edge.source].append(edge.target)
        neighbours[edge.target].append(edge.source)
    for sweep in range(SWEEPS):
        sequence = range(1, count) if sweep % 2 == 0 else range(count - 2, -1, -1)
        for index in sequence:
            fixed = stacks[index - 1] if sweep % 2 == 0 else stacks[index + 1]
            rows = {node_id: row for row, node_id in enumerate(fixed)}
            current = {node_id: row for row, node_id in enumerate(stacks[index])}

            def key(node_id: str, rows: dict[str, int] = rows, current: dict[str, int] = current) -> float:
                near = [rows[other] for other in neighbours[node_id] if other in rows]
                return sum(near) / len(near) if near else float(current[node_id])

            stacks[index].sort(key=key)
    return stacks


def layout(picture: Picture) -> Layout:
    column_of = columns(picture)
    stacks = _order(picture, column_of)
    tallest = max((len(stack) for stack in stacks), default=0)
    height = 2 * MARGIN + max(tallest * (NODE_HEIGHT + ROW_GAP) - ROW_GAP, 0)
    width = 2 * MARGIN + max(len(stacks) * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP, 0)
    positions = {}
    for index, stack in enumerate(stacks):
        used = len(stack) * (NODE_HEIGHT + ROW_GAP) - ROW_GAP
        top = MARGIN + (height - 2 * MARGIN - used) // 2
        for row, node_id in enumerate(stack):
            positions[node_id] = (MARGIN + index * (NODE_WIDTH + COLUMN_GAP), top + row * (NODE_HEIGHT + ROW_GAP))
    return Layout(width, height, positions, column_of)
