"""The picture as inline SVG, laid out here: no script, no font or style fetched at view time."""

from __future__ import annotations

from html import escape

from fluxtools.picture.layout import NODE_HEIGHT, NODE_WIDTH, Layout, layout
from fluxtools.picture.model import STATES, Edge, Node, Picture
from fluxtools.picture.routes import Route, lanes, route

STYLE = {
    "failed": ("#fde7e7", "#c62828"),
    "progressing": ("#fff3d1", "#b7791f"),
    "suspended": ("#ececf3", "#6a6a86"),
    "ready": ("#e5f4e8", "#2e7d32"),
    "absent": ("#ffffff", "#8a8a8a"),
    "managed": ("#e8eef8", "#44679b"),
}
"""State → (fill, stroke)."""
ROOT_FILL = "#f9c5c5"
STATE_WORD = {"absent": "not read", "managed": ""}
DASHED = {"suspended", "absent"}
LINE_CHARS = 36
LEGEND_HEIGHT = 34
FONT = "font-family:DejaVu Sans,Verdana,Arial,sans-serif"


def clip(text: str, limit: int = LINE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _node(node: Node, x: int, y: int) -> str:
    fill, stroke = STYLE.get(node.state, STYLE["managed"])
    classes = f"node state-{node.state}" + (" root-cause" if node.root_cause else "")
    width = 4 if node.root_cause else 1.6
    dash = ' stroke-dasharray="6 4"' if node.state in DASHED else ""
    body = ROOT_FILL if node.root_cause else fill
    parts = [f'<g class="{classes}" data-id="{escape(node.id)}">']
    tooltip = "\n".join([*node.objects, node.detail] if node.detail else node.objects) or node.title
    parts.append(f"<title>{escape(tooltip)}</title>")
    if node.count > 1:  # a stack of cards: several objects drawn once
        for offset in (8, 4):
            parts.append(
                f'<rect x="{x + offset}" y="{y - offset}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="8" '
                f'fill="{fill}" stroke="{stroke}" stroke-width="1.2"/>'
            )
    parts.append(
        f'<rect x="{x}" y="{y}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="8" fill="{body}" '
        f'stroke="{stroke}" stroke-width="{width}"{dash}/>'
    )
    mark = "✗ " if node.root_cause else ""
    parts.append(
        f'<text x="{x + 10}" y="{y + 19}" font-size="13" font-weight="bold" fill="#1b1b1b">'
        f"{escape(clip(mark + node.title, 26))}</text>"
    )
    if node.root_cause:
        label = "ROOT CAUSE"
        parts.append(
            f'<rect x="{x + NODE_WIDTH - 92}" y="{y + 6}" width="84" height="18" rx="9" fill="{stroke}"/>'
            f'<text x="{x + NODE_WIDTH - 50}" y="{y + 19}" font-size="10" font-weight="bold" fill="#ffffff" '
            f'text-anchor="middle">{label}</text>'
        )
    parts.append(f'<text x="{x + 10}" y="{y + 38}" font-size="12" fill="#1b1b1b">{escape(clip(node.name))}</text>')
    detail = node.detail or STATE_WORD.get(node.state, node.state)
    parts.append(f'<text x="{x + 10}" y="{y + 56}" font-size="11" fill="{stroke}">{escape(clip(detail, 40))}</text>')
    parts.append("</g>")
    return "".join(parts)


def _edge(drawn: Route, edge: Edge) -> str:
    label_x, label_y = drawn.label
    relation = edge.relation
    return (
        f'<g class="edge relation-{escape(relation)}" data-source="{escape(edge.source)}" '
        f'data-target="{escape(edge.target)}"><path d="{drawn.path}" fill="none" stroke="#7a7a7a" '
        f'stroke-width="1.4" marker-end="url(#flux-arrow)"/>'
        f'<text x="{label_x}" y="{label_y - 4}" font-size="10" fill="#555555" '
        f'text-anchor="middle">{escape(relation)}</text></g>'
    )


def _legend(picture: Picture, width: int) -> str:
    used = [state for state in STATES if any(node.state == state for node in picture.nodes)]
    parts, x = [], 24
    for state in used:
        fill, stroke = STYLE[state]
        parts.append(
            f'<rect x="{x}" y="10" width="16" height="16" rx="3" fill="{fill}" stroke="{stroke}" stroke-width="1.6"/>'
            f'<text x="{x + 22}" y="23" font-size="12" fill="#1b1b1b">{STATE_WORD.get(state, state)}</text>'
        )
        x += 40 + 8 * len(STATE_WORD.get(state, state))
    if picture.root_causes():
        parts.append(
            f'<rect x="{x}" y="10" width="16" height="16" rx="3" fill="{ROOT_FILL}" stroke="{STYLE["failed"][1]}" '
            f'stroke-width="4"/><text x="{x + 22}" y="23" font-size="12" fill="#1b1b1b">root cause</text>'
        )
    return f'<g class="legend">{"".join(parts)}</g>'


def svg(picture: Picture, placed: Layout | None = None) -> str:
    """An `<svg>` element drawing every node and edge of the picture, with a legend on top."""
    placed = placed or layout(picture)
    width = max(placed.width, 560)
    height = placed.height + LEGEND_HEIGHT
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flux-picture" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" style="{FONT}">',
        f"<title>{escape(picture.title)}</title>",
        '<defs><marker id="flux-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#7a7a7a"/></marker></defs>',
        _legend(picture, width),
        f'<g transform="translate(0,{LEGEND_HEIGHT})">',
    ]
    free = lanes(placed)
    for edge in picture.edges:
        (x1, y1), (x2, y2) = placed.positions[edge.source], placed.positions[edge.target]
        start, end = (x1 + NODE_WIDTH, y1 + NODE_HEIGHT // 2), (x2, y2 + NODE_HEIGHT // 2)
        drawn = route(start, end, placed.columns[edge.source], placed.columns[edge.target], free)
        parts.append(_edge(drawn, edge))
    for node in picture.nodes:
        parts.append(_node(node, *placed.positions[node.id]))
    parts.append("</g></svg>")
    return "".join(parts)
