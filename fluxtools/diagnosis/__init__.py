"""Root-cause analysis over Flux objects, warning events and controller error logs.

Pure functions: `graph` finds what is not Ready and what blocks what, `groups`
folds findings into shared causes and ranks them, `actions` says what to do next,
`answer` renders the report within a byte budget, `drawing` gives the nodes and
edges of its picture.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fluxtools._budget import largest, size
from fluxtools._telemetry import stage
from fluxtools.diagnosis.answer import Narrowing, answer
from fluxtools.diagnosis.drawing import NODE_LIMIT, drawing
from fluxtools.diagnosis.graph import Graph, build, id_of, object_id, references
from fluxtools.diagnosis.groups import group

__all__ = ["NODE_LIMIT", "Graph", "Narrowing", "analyse", "build", "group", "id_of", "object_id", "references"]


def analyse(
    objects: Iterable[dict[str, Any]],
    warnings: Iterable[dict[str, Any]] = (),
    log_entries: Iterable[dict[str, Any]] = (),
    *,
    narrowing: Narrowing | None = None,
    budget: int | None = None,
    graph_nodes: int | None = None,
) -> dict[str, Any]:
    """The ranked report: distinct causes first, each with evidence and a next action.

    With `graph_nodes`, a `graph` section of at most that many nodes is added; it takes
    at most half the budget (fewer nodes when it would take more).
    """
    with stage("graph"):
        graph = build(objects, warnings, log_entries)
    with stage("group"):
        grouped = group(graph)
    if not graph_nodes:
        with stage("answer"):
            return answer(graph, grouped, narrowing, budget)
    with stage("draw"):
        drawn = drawing(graph, grouped, graph_nodes)
        if budget is not None and size(drawn) > budget // 2:
            fits = largest(graph_nodes, lambda n: size(drawing(graph, grouped, n)) <= budget // 2)
            drawn = drawing(graph, grouped, fits)
    with stage("answer"):
        report = answer(graph, grouped, narrowing, None if budget is None else budget - size(drawn))
    return {**report, "graph": drawn}
