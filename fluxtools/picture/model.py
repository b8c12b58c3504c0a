"""What a picture draws: nodes with a state, edges with a relation, and what was left out.

Built from the `graph` section of a `flux_diagnose` answer (the diagnosis decides the
nodes and edges) or from a `flux_tree` answer (one Kustomization and what it manages).
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any, Literal

from fluxtools.diagnosis import NODE_LIMIT

Obj = dict[str, Any]
STATES = ("failed", "progressing", "suspended", "ready", "absent", "managed")
"""Node states in legend order; `absent` is referenced but not read, `managed` a tree node (no status)."""
EXAMPLES = 3


@dataclass(frozen=True)
class Node:
    id: str
    kind: str
    name: str
    """`namespace/name` of one object, or examples of the objects a shared node stands for."""
    state: str
    count: int = 1
    root_cause: bool = False
    stalled: bool = False
    reason: str = ""
    blocks: int = 0
    objects: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return f"{self.count} × {self.kind}" if self.count > 1 else self.kind

    @property
    def detail(self) -> str:
        """The third line: why it is not Ready and what it blocks."""
        parts = [self.reason] if self.reason else []
        if self.stalled:
            parts.append("stalled")
        if self.blocks:
            parts.append(f"blocks {self.blocks}")
        return " · ".join(parts)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    relation: str


@dataclass(frozen=True)
class Picture:
    title: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    omitted: Obj = field(default_factory=dict)
    layering: Literal["height", "depth"] = "height"
    """`height`: columns by what an object needs (sources rightmost); `depth`: by distance from the root."""

    def root_causes(self) -> list[Node]:
        return [node for node in self.nodes if node.root_cause]

    def omitted_text(self) -> str:
        """One sentence of what is not drawn, with exact counts; empty when everything is."""
        objects = self.omitted.get("objects", 0)
        if not objects:
            return ""
        parts = self.omitted.get("by_state") or self.omitted.get("by_kind") or {}
        detail = ", ".join(f"{count} {what}" for what, count in parts.items())
        text = f"{objects} more object{'' if objects == 1 else 's'} not drawn ({detail})"
        edges = self.omitted.get("edges", 0)
        return text + (f" and {edges} reference{'' if edges == 1 else 's'} to or from them" if edges else "")


def _split(object_id: str) -> tuple[str, str]:
    kind, _, rest = object_id.partition("/")
    return kind, rest


def _short_name(object_id: str) -> str:
    return object_id.rsplit("/", 1)[-1]


def node_of(entry: Obj) -> Node:
    """One node of a diagnosis's graph section."""
    if "object" in entry:
        kind, name = _split(entry["object"])
        objects: tuple[str, ...] = (entry["object"],)
        count = 1
    else:
        kind, count, objects = entry["kind"], int(entry["count"]), tuple(entry.get("objects", ()))
        more = f" +{count - len(objects)}" if count > len(objects) else ""
        name = ", ".join(_short_name(oid) for oid in objects) + more
    return Node(
        id=entry["id"],
        kind=kind,
        name=name,
        state=entry.get("state", "ready"),
        count=count,
        root_cause=bool(entry.get("root_cause")),
        stalled=bool(entry.get("stalled")),
        reason=entry.get("reason", ""),
        blocks=int(entry.get("blocks", 0)),
        objects=objects,
    )


def from_diagnosis(report: Obj) -> Picture | None:
    """The picture of a `flux_diagnose` answer asked with graph=true (None without a graph section)."""
    section = report.get("graph")
    if not section:
        return None
    nodes = tuple(node_of(entry) for entry in section.get("nodes", []))
    ids = {node.id for node in nodes}
    edges = tuple(Edge(a, b, relation) for a, b, relation in section.get("edges", []) if a in ids and b in ids)
    summary = report.get("summary") or {}
    causes, objects = summary.get("root_causes", 0), summary.get("objects", 0)
    title = f"Flux diagnosis: {causes} root cause{'' if causes == 1 else 's'}, {objects} objects"
    return Picture(title, nodes, edges, dict(section.get("omitted") or {}))


def from_tree(data: Obj, limit: int = NODE_LIMIT) -> Picture:
    """The picture of a `flux_tree` answer, breadth first: parent → what it manages, childless
    siblings of one kind drawn once with their count."""
    nodes: list[Node] = []
    edges: list[Edge] = []
    left_out: Counter[str] = Counter()
    queue: deque[tuple[Obj, str | None]] = deque([(data["tree"], None)])
    while queue:
        entry, parent = queue.popleft()
        kind, name = _split(entry["resource"])
        node = Node(f"n{len(nodes)}", kind, name, "managed", entry.get("count", 1), objects=entry.get("objects", ()))
        if len(nodes) >= limit:
            left_out[kind] += node.count
            left_out.update(_kinds_below(entry))
            continue
        nodes.append(node)
        if parent is not None:
            edges.append(Edge(parent, node.id, "manages"))
        queue.extend((child, node.id) for child in _children(entry))
    omitted: Obj = {}
    if left_out:
        omitted = {"objects": sum(left_out.values()), "by_kind": dict(sorted(left_out.items()))}
    title = f"flux tree {data.get('kind', 'kustomization')} {data.get('namespace', '')}/{data.get('name', '')}"
    return Picture(title, tuple(nodes), tuple(edges), omitted, layering="depth")


def _children(entry: Obj) -> list[Obj]:
    """Children with children of their own, then childless ones, several of a kind as one entry."""
    inner, by_kind = [], {}
    for child in entry.get("children") or []:
        if child.get("children") or child.get("leaves"):
            inner.append(child)
        else:
            by_kind.setdefault(_split(child["resource"])[0], []).append(child["resource"])
    leaves = Counter(entry.get("leaves") or {})
    for kind, resources in by_kind.items():
        leaves[kind] += len(resources)
    folded = []
    for kind, count in sorted(leaves.items()):
        resources = by_kind.get(kind, [])
        if count == 1 and resources:
            folded.append({"resource": resources[0]})
            continue
        examples = resources[:EXAMPLES]
        more = f" +{count - len(examples)}" if count > len(examples) else ""
        name = ", ".join(_short_name(oid) for oid in examples) + more if examples else "(names folded)"
        folded.append({"resource": f"{kind}/{name}", "count": count, "objects": tuple(examples)})
    return folded + inner


def _kinds_below(entry: Obj) -> Counter[str]:
    """The objects under a tree node that is left out (its own kind not included)."""
    found: Counter[str] = Counter(entry.get("leaves") or {})
    for child in entry.get("children") or []:
        found[_split(child["resource"])[0]] += 1
        found.update(_kinds_below(child))
    return found
