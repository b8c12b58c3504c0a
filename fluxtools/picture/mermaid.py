"""The picture as a Mermaid flowchart (renders on GitHub and in JupyterLab's Markdown)."""

from __future__ import annotations

from fluxtools.picture.model import Node, Picture
from fluxtools.picture.svg import ROOT_FILL, STATE_WORD, STYLE

ENTITIES = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "#": "#35;"}
ROOT_CLASS = "rootcause"
OMITTED_ID = "omitted"


def label_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: quotes, angle brackets and # as entity codes."""
    return "".join(ENTITIES.get(char, char) for char in " ".join(text.split()))


def _label(node: Node) -> str:
    mark = "✗ " if node.root_cause else ""
    lines = [mark + node.title, node.name, node.detail or STATE_WORD.get(node.state, node.state)]
    if node.root_cause:
        lines[-1] += " · root cause"
    return "<br/>".join(label_text(line) for line in lines if line)


def class_of(node: Node) -> str:
    return ROOT_CLASS if node.root_cause else node.state


def class_defs(classes: set[str]) -> list[str]:
    lines = []
    for state in sorted(classes - {ROOT_CLASS}):
        fill, stroke = STYLE.get(state, STYLE["managed"])
        dash = ",stroke-dasharray:5 3" if state in ("suspended", "absent") else ""
        lines.append(f"  classDef {state} fill:{fill},stroke:{stroke},color:#1b1b1b{dash}")
    if ROOT_CLASS in classes:
        stroke = STYLE["failed"][1]
        lines.append(f"  classDef {ROOT_CLASS} fill:{ROOT_FILL},stroke:{stroke},stroke-width:4px,color:#1b1b1b")
    return lines


def mermaid(picture: Picture) -> str:
    """`flowchart LR` text: one node per picture node, one edge per reference, classes by state."""
    lines = ["flowchart LR"]
    lines += [f'  {node.id}["{_label(node)}"]' for node in picture.nodes]
    lines += [f"  {edge.source} -->|{edge.relation}| {edge.target}" for edge in picture.edges]
    by_class: dict[str, list[str]] = {}
    for node in picture.nodes:
        by_class.setdefault(class_of(node), []).append(node.id)
    omitted = picture.omitted_text()
    if omitted:
        lines.append(f'  {OMITTED_ID}["{label_text(omitted)}"]')
        by_class.setdefault("absent", []).append(OMITTED_ID)
    lines += class_defs(set(by_class))
    lines += [f"  class {','.join(ids)} {name}" for name, ids in sorted(by_class.items())]
    return "\n".join(lines) + "\n"


def markdown(picture: Picture) -> str:
    """The flowchart in a fenced ```mermaid block."""
    return f"```mermaid\n{mermaid(picture)}```\n"
