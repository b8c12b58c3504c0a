"""The diagnosis as nodes and edges to draw: objects by state, root causes marked, shared causes once.

Nodes stand for one object or for several drawn once with their count: the members of
a shared cause (as `groups` folds them), and objects of one kind, state and reason with
the same edges. Edges say what an object needs: its dependencies, its source, and for a
HelmRelease its generated HelmChart (which needs the HelmRepository).

At most `limit` nodes: causes first, each with what it needs, blocked objects, progressing
and suspended ones, what those need, and ready objects last. What is left out is
counted exactly (objects by state, and edges).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from fluxtools.diagnosis.graph import Graph, references
from fluxtools.diagnosis.groups import Group, Grouped

Obj = dict[str, Any]
NODE_LIMIT = 40
EXAMPLES = 3
ABSENT = "absent"
"""The state of an object referenced but not among the objects read."""


@dataclass
class Node:
    members: list[str]
    state: str
    riders: list[str] = field(default_factory=list)
    """Generated HelmCharts drawn inside their releases' shared node (not counted again)."""
    root_cause: bool = False
    reason: str = ""
    stalled: bool = False
    blocks: int = 0
    needs: set[tuple[str, str]] = field(default_factory=set)
    """(relation, object id) pairs of the members."""


def _needs(graph: Graph, oid: str) -> list[tuple[str, str]]:
    """What one object needs, as drawn: a HelmRelease's chart stands between it and the HelmRepository."""
    obj = graph.objects.get(oid)
    if obj is None:
        return []
    refs = references(obj)
    relations = {"dependency": "dependsOn", "source": "source", "chart": "chart"}
    has_chart = any(relation == "chart" and ref in graph.objects for relation, ref in refs)
    return [
        (relations.get(relation, relation), ref)
        for relation, ref in refs
        if not (has_chart and relation == "source" and obj.get("kind") == "HelmRelease")
        and (relation != "chart" or ref in graph.objects)
    ]


def _group_node(graph: Graph, group: Group, root_cause: bool) -> Node:
    first = group.first
    members = [finding.id for finding in group.members]
    charts = {release: chart for chart, release in graph.folded.items()}
    return Node(
        members=members,
        state=first.state,
        riders=[charts[oid] for oid in members if oid in charts] if group.count > 1 else [],
        root_cause=root_cause,
        reason=first.reason,
        stalled=root_cause and group.severity == "stalled",
        blocks=len(group.blocks),
    )


def _seed_nodes(graph: Graph, grouped: Grouped) -> list[Node]:
    """The diagnosis's own groups: causes, progressing, suspended (shared ones drawn once)."""
    nodes = [_group_node(graph, g, True) for g in grouped.causes]
    nodes += [_group_node(graph, g, False) for g in grouped.progressing]
    if grouped.suspended is not None:  # suspended on purpose, one by one: they share no cause
        for finding in grouped.suspended.members:
            blocks = [other for other in grouped.suspended.blocks if finding.id in other.roots]
            nodes.append(_group_node(graph, Group([finding], blocks), False))
    return nodes


def _object_node(graph: Graph, oid: str) -> Node:
    finding = graph.findings.get(oid)
    state = graph.states.get(oid, ABSENT)
    return Node([oid], state, reason=finding.reason if finding else "")


def _fold_alike(graph: Graph, nodes: list[Node], node_of: dict[str, int]) -> list[Node]:
    """Single objects of one kind, state and reason with the same edges in and out, drawn once."""
    incoming: dict[int, set[tuple[str, int]]] = {}
    for index, node in enumerate(nodes):
        for relation, ref in node.needs:
            if ref in node_of:
                incoming.setdefault(node_of[ref], set()).add((relation, index))
    alike: dict[tuple[Any, ...], list[int]] = {}
    for index, node in enumerate(nodes):
        if len(node.members) != 1 or node.root_cause or node.blocks:
            alike[("single", index)] = [index]
            continue
        out = frozenset((relation, node_of.get(ref, ref)) for relation, ref in node.needs)
        kind = node.members[0].split("/", 1)[0]
        alike.setdefault((kind, node.state, node.reason, out, frozenset(incoming.get(index, ()))), []).append(index)
    folded = []
    for indexes in alike.values():
        first = nodes[indexes[0]]
        if len(indexes) == 1:
            folded.append(first)
            continue
        members = [oid for index in indexes for oid in nodes[index].members]
        needs = set().union(*(nodes[index].needs for index in indexes))
        folded.append(Node(members, first.state, reason=first.reason, needs=needs))
    return folded


def nodes_of(graph: Graph, grouped: Grouped) -> list[Node]:
    """Every object in exactly one node; generated charts of a shared cause inside its node."""
    nodes = _seed_nodes(graph, grouped)
    placed = {oid for node in nodes for oid in (*node.members, *node.riders)}
    referenced = {ref for oid in graph.objects for _relation, ref in _needs(graph, oid)}
    nodes += [_object_node(graph, oid) for oid in sorted(set(graph.objects) - placed)]
    nodes += [_object_node(graph, oid) for oid in sorted(referenced - set(graph.objects))]
    for node in nodes:
        node.needs = {(relation, ref) for oid in (*node.members, *node.riders) for relation, ref in _needs(graph, oid)}
    node_of = _index(nodes)
    for node in nodes:
        node.needs = {(relation, ref) for relation, ref in node.needs if node_of.get(ref) != node_of[node.members[0]]}
    return _fold_alike(graph, nodes, node_of)


def _index(nodes: list[Node]) -> dict[str, int]:
    """Object id → the index of the node drawing it."""
    return {oid: index for index, node in enumerate(nodes) for oid in (*node.members, *node.riders)}


def _order(graph: Graph, grouped: Grouped, nodes: list[Node]) -> list[int]:
    """Causes, what they need, blocked, progressing and suspended, what those need, then the rest."""
    node_of = _index(nodes)
    causes = [index for index, node in enumerate(nodes) if node.root_cause]
    blocked = sorted({node_of[finding.id] for finding in graph.blocked()})
    waiting = [index for index, node in enumerate(nodes) if node.state in ("progressing", "suspended")]
    order: list[int] = []

    def take(indexes: Iterable[int]) -> None:
        order.extend(index for index in indexes if index not in order)

    def needed(start: list[int]) -> list[int]:
        found, frontier = [], list(start)
        while frontier:
            node = nodes[frontier.pop(0)]
            for _relation, ref in sorted(node.needs):
                if node_of[ref] not in found and node_of[ref] not in start:
                    found.append(node_of[ref])
                    frontier.append(node_of[ref])
        return found

    for cause in causes:  # each cause with what it needs: a cut picture still shows them together
        take([cause])
        take(needed([cause]))
    take(blocked)
    take(waiting)
    take(needed(list(order)))
    take(range(len(nodes)))
    return order


def node_dict(graph: Graph, node: Node, node_id: str) -> Obj:
    data: Obj = {"id": node_id}
    if len(node.members) == 1:
        data["object"] = node.members[0]
    else:
        data["kind"] = node.members[0].split("/", 1)[0]
        data["count"] = len(node.members)
        data["objects"] = node.members[:EXAMPLES]
    if node.riders:
        data["charts"] = len(node.riders)
    data["state"] = node.state
    if node.root_cause:
        data["root_cause"] = True
    if node.stalled:
        data["stalled"] = True
    if node.reason:
        data["reason"] = node.reason
    if node.blocks:
        data["blocks"] = node.blocks
    return data


def drawing(graph: Graph, grouped: Grouped, limit: int = NODE_LIMIT) -> Obj:
    """`{"nodes", "edges"}` of at most `limit` nodes; `omitted` counts exactly what is not drawn."""
    nodes = nodes_of(graph, grouped)
    order = _order(graph, grouped, nodes)
    kept = order[:limit]
    ids = {index: f"n{rank}" for rank, index in enumerate(kept)}
    node_of = _index(nodes)
    edges, dropped = [], set()
    for index, node in enumerate(nodes):
        for relation, target in {(relation, node_of[ref]) for relation, ref in node.needs}:
            if index in ids and target in ids:
                edges.append([ids[index], ids[target], relation])
            else:
                dropped.add((index, target, relation))
    data: Obj = {"nodes": [node_dict(graph, nodes[index], ids[index]) for index in kept], "edges": sorted(edges)}
    left_out = [nodes[index] for index in order[limit:]]
    if left_out:
        by_state: dict[str, int] = {}
        for oid in (oid for node in left_out for oid in (*node.members, *node.riders)):
            state = graph.states.get(oid, ABSENT)
            by_state[state] = by_state.get(state, 0) + 1
        data["omitted"] = {
            "objects": sum(by_state.values()),
            "by_state": dict(sorted(by_state.items())),
            "edges": len(dropped),
        }
    return data
