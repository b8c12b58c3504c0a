"""Answers that show themselves: a picture in Jupyter (HTML, Mermaid Markdown), text elsewhere.

`diagnose(tools)` and `tree(tools, name)` call the tools and wrap the envelope; the
envelope stays available as `.envelope` for code that wants the data.
"""

from __future__ import annotations

import json
from typing import Any

from fluxtools._entry import FluxTools
from fluxtools._report import header, render
from fluxtools.picture.mermaid import markdown, mermaid
from fluxtools.picture.model import Picture, from_diagnosis, from_tree
from fluxtools.picture.page import fragment, page

Obj = dict[str, Any]


class View:
    """A tool's envelope with its picture; subclasses say how to draw and describe it."""

    title = "fluxtools"

    def __init__(self, envelope: Obj) -> None:
        self.envelope = envelope

    @property
    def data(self) -> Obj:
        return self.envelope.get("data") or {}

    @property
    def picture(self) -> Picture | None:
        raise NotImplementedError

    def text(self) -> str:
        raise NotImplementedError

    def summary(self) -> str:
        return ""

    def note(self) -> str:
        """Shown instead of the picture when there is none (a failed call)."""
        if not self.envelope.get("success"):
            return self.text()
        return "No graph to draw."

    def mermaid(self) -> str:
        """Mermaid flowchart text; empty when there is no picture."""
        picture = self.picture
        return mermaid(picture) if picture else ""

    def html(self) -> str:
        """A self-contained HTML page: the picture and the text below it."""
        return page(self.title, self.picture, self.summary(), self.text(), self.note())

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        bundle = {"text/plain": self.text(), "text/html": fragment(self.picture, self.summary(), self.note())}
        picture = self.picture
        if picture is not None:
            bundle["text/markdown"] = markdown(picture)
        return bundle

    def __repr__(self) -> str:
        return self.text()


class Diagnosis(View):
    """A `flux_diagnose` answer asked with graph=true."""

    title = "Flux diagnosis"

    @property
    def picture(self) -> Picture | None:
        return from_diagnosis(self.data) if self.envelope.get("success") else None

    def text(self) -> str:
        return render(self.envelope)

    def summary(self) -> str:
        return header(self.data)[0] if self.envelope.get("success") else ""


class Tree(View):
    """A `flux_tree` answer: one Kustomization and what it manages."""

    title = "Flux tree"

    @property
    def picture(self) -> Picture | None:
        return from_tree(self.data) if self.envelope.get("success") else None

    def text(self) -> str:
        if not self.envelope.get("success"):
            return render(self.envelope)
        return json.dumps(self.data, indent=2)

    def summary(self) -> str:
        data = self.data
        if not self.envelope.get("success"):
            return ""
        counts = ", ".join(f"{count} {kind}" for kind, count in data.get("counts", {}).items())
        total = data.get("resources", 0)
        return f"{data.get('namespace')}/{data.get('name')} manages {total} object{'' if total == 1 else 's'}: {counts}"


def diagnose(tools: FluxTools, args: Obj | None = None) -> Diagnosis:
    """Run `flux_diagnose` with its graph section; the answer draws itself in Jupyter."""
    return Diagnosis(tools.call("flux_diagnose", {**(args or {}), "graph": True}))


async def adiagnose(tools: FluxTools, args: Obj | None = None) -> Diagnosis:
    return Diagnosis(await tools.acall("flux_diagnose", {**(args or {}), "graph": True}))


def tree(tools: FluxTools, name: str, namespace: str | None = None) -> Tree:
    """Run `flux_tree` for one Kustomization; the answer draws itself in Jupyter."""
    args = {"name": name, **({"namespace": namespace} if namespace else {})}
    return Tree(tools.call("flux_tree", args))
