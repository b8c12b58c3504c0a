"""Root-cause analysis over Flux objects, warning events and controller error logs.

Pure functions: `graph` finds what is not Ready and what blocks what, `groups`
folds findings into shared causes and ranks them, `actions` says what to do next,
`answer` renders the report within a byte budget.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .answer import Narrowing, answer
from .graph import Graph, build, id_of, object_id, references
from .groups import group

__all__ = ["Graph", "Narrowing", "analyse", "build", "group", "id_of", "object_id", "references"]


def analyse(
    objects: Iterable[dict[str, Any]],
    warnings: Iterable[dict[str, Any]] = (),
    log_entries: Iterable[dict[str, Any]] = (),
    *,
    narrowing: Narrowing | None = None,
    budget: int | None = None,
) -> dict[str, Any]:
    """The ranked report: distinct causes first, each with evidence and a next action."""
    graph = build(objects, warnings, log_entries)
    return answer(graph, group(graph), narrowing, budget)
