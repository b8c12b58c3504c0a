"""The fleet answer fitted to the output budget, with exact totals.

Cut order: long lists inside entries (clusters named, examples) and per-cluster
detail first, then entries of the main list from the lowest ranked (saying how
many remain and how to page), and only then the rows of clusters that answered
fully (counted). Clusters that did not answer fully are always named.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fluxtools import _budget as budget
from fluxtools.diagnosis.text import short
from fluxtools.fleet.merge import LIST_KEYS

Obj = dict[str, Any]
MAIN_KEYS = ("causes", *LIST_KEYS.values())
"""The ranked list a fleet answer pages through; the shared failures of lists are secondary."""


@dataclass(frozen=True)
class Level:
    clusters: int
    examples: int
    message: int
    row_detail: bool
    secondary: int


LEVELS = (
    Level(20, 5, 300, True, 20),
    Level(10, 3, 300, True, 10),
    Level(5, 1, 160, False, 5),
    Level(3, 0, 120, False, 0),
)
NARROW = (
    "Cut to fit the output budget. Page with continue, narrow with namespace, kind or name_contains, "
    "name fewer contexts, or raise max_bytes."
)


def main_key(data: Obj) -> str | None:
    return next((key for key in MAIN_KEYS if key in data), None)


def _entry(entry: Obj, level: Level) -> Obj:
    out = {**entry}
    if "clusters" in out and len(out["clusters"]) > level.clusters:
        out["clusters"] = out["clusters"][: level.clusters]
    if "examples" in out:
        out["examples"] = out["examples"][: level.examples]
        if not out["examples"]:
            del out["examples"]
    if isinstance(out.get("message"), str):
        out["message"] = short(out["message"], level.message)
    return out


def _row(row: Obj, level: Level) -> Obj:
    if level.row_detail:
        return row
    out = {key: value for key, value in row.items() if key not in ("seconds", "counts", "hint")}
    if "unread" in out:
        out["unread"] = sorted({item["kind"] for item in out["unread"]})
    if "error" in out:
        out["error"] = short(out["error"], 120)
    return out


def _rows(data: Obj, level: Level, complete_listed: int | None) -> Obj:
    """Rows for every cluster; with `complete_listed`, clusters that answered fully are only named (that many)."""
    rows = [_row(row, level) for row in data["clusters"]]
    if complete_listed is None:
        return {"clusters": rows}
    complete = [row["context"] for row in rows if row["status"] == "ok"]
    out: Obj = {"clusters": [row for row in rows if row["status"] != "ok"], "complete": complete[:complete_listed]}
    if complete_listed < len(complete):
        out["complete_not_listed"] = len(complete) - complete_listed
    return out


def render(data: Obj, level: Level, shown: int | None = None, complete_listed: int | None = None) -> Obj:
    out = {**data}
    key = main_key(data)
    if key is not None:
        entries = data[key][:shown] if shown is not None else data[key]
        out[key] = [_entry(e, level) if key == "causes" else e for e in entries]
        if shown is not None and shown < len(data[key]):
            start = int(data.get("offset", 0))
            out.update(shown=shown, truncated=True, narrow=NARROW, **{"continue": str(start + shown)})
    if "failures" in out:
        out["failures"] = [_entry(e, level) for e in out["failures"][: level.secondary]]
        if not out["failures"]:
            del out["failures"]
    out.update(_rows(data, level, complete_listed))
    return out


def fit(data: Obj, limit: int) -> Obj:
    """The fullest rendering within `limit` bytes."""

    def fits(candidate: Obj) -> bool:
        return budget.size(candidate) <= limit

    for level in LEVELS:
        if fits(candidate := render(data, level)):
            return candidate
    compact = LEVELS[-1]
    key = main_key(data)
    total = len(data[key]) if key else 0
    complete = sum(1 for row in data["clusters"] if row["status"] == "ok")
    if fits(candidate := render(data, compact, None, complete)):
        return candidate
    shown = budget.largest(total, lambda n: fits(render(data, compact, n, complete)))
    if shown or fits(render(data, compact, 0, complete)):
        return render(data, compact, shown, complete)
    listed = budget.largest(complete, lambda n: fits(render(data, compact, 0, n)))
    return budget.fit(render(data, compact, 0, listed), limit)
