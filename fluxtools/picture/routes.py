"""Edge paths: one curve between neighbouring columns; through the gaps between boxes past columns skipped.

An edge from column a to column b > a + 1 would cross the boxes of the columns between them and look
like an edge between two boxes it does not join. It is routed instead through each such column along a
free lane (above, between or below its boxes, the one nearest the straight line), as curves within the
empty gaps between columns and straight lines through the lanes.
"""

from __future__ import annotations

from dataclasses import dataclass

from fluxtools.picture.layout import COLUMN_GAP, MARGIN, NODE_HEIGHT, NODE_WIDTH, ROW_GAP, Layout

STACK_OFFSET = 8
"""How far the cards behind a stacked node (several objects drawn once) stand out above and to its right."""
BACK_DROP = 80
"""How far below an edge back to an earlier column (a cycle) loops."""

Point = tuple[float, float]


@dataclass(frozen=True)
class Route:
    path: str
    """The SVG path data."""
    label: tuple[int, int]
    """Where the edge's label goes: near its start, so labels of edges meeting at one node stay apart."""


def column_left(column: int) -> int:
    return MARGIN + column * (NODE_WIDTH + COLUMN_GAP)


def lanes(placed: Layout) -> dict[int, list[float]]:
    """Per column, the y of each free horizontal lane: above its boxes, between each two, below them."""
    tops: dict[int, list[int]] = {}
    for node_id, (_, y) in placed.positions.items():
        tops.setdefault(placed.columns[node_id], []).append(y)
    free: dict[int, list[float]] = {}
    for column, ys in tops.items():
        ys.sort()
        between = [(a + NODE_HEIGHT + b - STACK_OFFSET) / 2 for a, b in zip(ys, ys[1:], strict=False)]
        free[column] = [ys[0] - STACK_OFFSET - ROW_GAP / 2, *between, ys[-1] + NODE_HEIGHT + ROW_GAP / 2]
    return free


def point(points: list[Point], t: float) -> tuple[int, int]:
    """The point at `t` on a cubic Bézier curve."""
    weights = ((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3)
    return (
        round(sum(w * p[0] for w, p in zip(weights, points, strict=True))),
        round(sum(w * p[1] for w, p in zip(weights, points, strict=True))),
    )


def _curve(controls: list[Point]) -> str:
    """`C` with two control points and the end point, in whole pixels."""
    return "C{},{} {},{} {},{}".format(*(round(value) for p in controls for value in p))


def route(start: Point, end: Point, source_column: int, target_column: int, free: dict[int, list[float]]) -> Route:
    """The path from the right side of a source box (`start`) to the left side of its target (`end`)."""
    (x1, y1), (x2, y2) = start, end
    if target_column <= source_column or target_column == source_column + 1 or not free:
        bend = max(abs(x2 - x1) / 2, 60)
        drop = BACK_DROP if x2 <= x1 else 0
        points = [(x1, y1), (x1 + bend, y1 + drop), (x2 - bend, y2 + drop), (x2, y2)]
        return Route(f"M{round(x1)},{round(y1)} {_curve(points[1:])}", point(points, 0.3))
    passes: list[tuple[float, float, float]] = []  # (enter x, leave x, lane y) through each column skipped
    for column in range(source_column + 1, target_column):
        left = column_left(column)
        straight = y1 + (y2 - y1) * (left + NODE_WIDTH / 2 - x1) / (x2 - x1)
        lane = min(free.get(column) or [straight], key=lambda y: abs(y - straight))
        passes.append((left - STACK_OFFSET, left + NODE_WIDTH + 2 * STACK_OFFSET, lane))
    parts = [f"M{round(x1)},{round(y1)}"]
    here: Point = (x1, y1)
    first: list[Point] = []
    for enter, leave, lane in passes:
        middle = (here[0] + enter) / 2
        curve = [here, (middle, here[1]), (middle, lane), (enter, lane)]
        first = first or curve
        parts += [_curve(curve[1:]), f"L{round(leave)},{round(lane)}"]
        here = (leave, lane)
    middle = (here[0] + x2) / 2
    parts.append(_curve([(middle, here[1]), (middle, y2), (x2, y2)]))
    return Route(" ".join(parts), point(first, 0.5))
