"""Pictures of Flux answers: the diagnosis's dependency and source graph, and a Kustomization's tree.

`model` turns an answer into nodes and edges, `layout` places them, `svg` draws them,
`mermaid` writes them as a flowchart, `page` wraps them in HTML and `display` makes an
answer show itself in Jupyter.
"""

from __future__ import annotations

from fluxtools.picture.display import Diagnosis, Tree, adiagnose, diagnose, tree
from fluxtools.picture.mermaid import markdown, mermaid
from fluxtools.picture.model import Edge, Node, Picture, from_diagnosis, from_tree
from fluxtools.picture.page import fragment, page
from fluxtools.picture.svg import svg

__all__ = [
    "Diagnosis",
    "Edge",
    "Node",
    "Picture",
    "Tree",
    "adiagnose",
    "diagnose",
    "fragment",
    "from_diagnosis",
    "from_tree",
    "markdown",
    "mermaid",
    "page",
    "svg",
    "tree",
]
