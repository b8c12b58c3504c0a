"""The diagnosis as an answer within a byte budget.

Cut order when the answer is too large: examples inside groups, evidence beyond
one line, message length and the flux commands beside the tool calls first, then
the list of progressing groups, then causes, from the lowest ranked, saying how
many remain and how to page: each cause shown keeps its next action and one line
of evidence, which goes only when not even one cause fits with it.
A distinct cause is never dropped while another still shows a second example.
Event and log lines that repeat the message are not shown: the message says it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fluxtools._budget import largest, size
from fluxtools.diagnosis.advice import for_finding
from fluxtools.diagnosis.graph import Finding, Graph, id_of
from fluxtools.diagnosis.groups import Group, Grouped
from fluxtools.diagnosis.text import fingerprint, short

Obj = dict[str, Any]


@dataclass(frozen=True)
class Detail:
    examples: int
    evidence: int
    namespaces: int
    message: int
    commands: bool = True
    """The next action's flux command beside its tool call (left out last but one: the tool call stays)."""


STILL_IN_PROGRESS = (
    "In progress, not failed: the controller has not finished this attempt yet; the warning events and error "
    "logs are from an earlier attempt, which failed."
)
"""What a progressing entry with failure evidence is: said plainly, so the evidence does not read as its verdict."""
EVIDENCE_LIMIT = 160
"""Characters of one event or log line: its start says what happened; the counts say how often."""
AGGREGATED = "(combined from similar events): "
"""What Kubernetes' event aggregation puts before the message of events it folds together."""
LOG_LINE = re.compile(r"\d{4}-\d\d-\d\dT[\d:.]+Z \w+ ")
"""A controller log line as `flux logs` prints it: `<time> <level> <Kind>/<name>.<namespace> - <message>`."""

LEVELS = (
    Detail(5, 3, 10, 240),
    Detail(3, 1, 5, 240),
    Detail(1, 1, 3, 200),
    Detail(1, 1, 1, 160),
    Detail(1, 1, 1, 160, commands=False),
    Detail(1, 0, 1, 160, commands=False),
)
"""From the fullest answer to the most compact; a cause shown keeps one line of evidence, and causes are cut
(paged) before it unless not even one fits with it."""


@dataclass(frozen=True)
class Narrowing:
    """Which causes to show (`wanted` selects on failing or blocked objects) and which page of them."""

    wanted: Callable[[Finding], bool] | None = None
    severity: str | None = None
    offset: int = 0
    limit: int | None = None
    names: tuple[str, ...] = ()
    """The narrowing arguments the caller can give, named in the hint when the answer is cut."""


def summary(graph: Graph, grouped: Grouped) -> Obj:
    counts = graph.counts()
    data: Obj = {
        "objects": len(graph.objects),
        "counts": counts,
        "root_causes": len(grouped.causes),
        "failing_directly": sum(group.count for group in grouped.causes),
        "blocked": grouped.blocked,
    }
    if graph.folded:
        data["helm_charts_counted_with_their_release"] = len(graph.folded)
    return data


def _examples(findings: list[Finding], limit: int, wanted: Callable[[Finding], bool] | None) -> list[str]:
    chosen = [f for f in findings if wanted(f)] if wanted else []
    chosen += [f for f in findings if f not in chosen]
    return [finding.id for finding in chosen[:limit]]


def _evidence(group: Group, limit: int, message: str) -> tuple[list[str], list[str]]:
    """The group's event and log lines that say something the message and the lines before do not."""
    said = [_said(message)]
    events: list[str] = []
    logs: list[str] = []
    for member in group.members[:10]:
        for lines, texts in ((events, member.events), (logs, member.logs)):
            for text in texts:
                core = _said(text)
                if not any(_repeats(core, earlier) for earlier in said):
                    lines.append(short(text, EVIDENCE_LIMIT))
                    said.append(core)
    return events[:limit], logs[:limit]


def _said(text: str) -> str:
    """What a line says, to compare: without the log line's time and object, or the event aggregator's prefix."""
    text = text.split(" - ", 1)[-1] if LOG_LINE.match(text) else text
    return fingerprint(text.removeprefix(AGGREGATED), None).rstrip("…")


def _repeats(line: str, earlier: str) -> bool:
    """`line` says nothing `earlier` did not (compared by its first 100 characters: lines are cut)."""
    return line[:100] in earlier


def group_dict(group: Group, detail: Detail, wanted: Callable[[Finding], bool] | None, cause: bool = True) -> Obj:
    first = group.first
    data: Obj = {"kind": first.kind, "reason": first.reason}
    if cause:
        data["severity"] = group.severity
    data["message"] = short(first.explanation(), detail.message)
    data["count"] = group.count
    data["objects"] = _examples(group.members, detail.examples, wanted)
    namespaces = group.namespaces()
    if group.count > 1:  # one object's namespace is in its id
        data["namespaces"] = namespaces[: detail.namespaces]
    if len(namespaces) > detail.namespaces:
        data["namespaces_total"] = len(namespaces)
    if first.source and cause:
        data["source"] = first.source
    if first.chart is not None and first.explaining() is first.chart:
        data["via"] = id_of(first.chart)
    if group.blocks:
        data["blocks"] = {"count": len(group.blocks), "objects": _examples(group.blocks, detail.examples, wanted)}
    if first.missing:
        data["missing"] = first.missing[:1]
    events, logs = _evidence(group, 3, first.explanation())
    warnings = sum(member.warning_events for member in group.members)
    error_lines = sum(member.error_lines for member in group.members)
    if warnings:
        data["warning_events"] = warnings
    if detail.evidence and events:
        data["events"] = events[: detail.evidence]
    if error_lines:
        data["error_log_lines"] = error_lines
    if detail.evidence and logs:
        data["logs"] = logs[: detail.evidence]
    if not cause and (warnings or error_lines):
        data["state"] = STILL_IN_PROGRESS
    if first.changed:
        data["since"] = group.changed
    action = for_finding(first, [*events, *logs]).to_dict()
    compact = {key: action[key] for key in action if key not in ("flux", "failure")}
    data["next_action"] = action if detail.commands else compact
    return data


def _selected(grouped: Grouped, narrowing: Narrowing) -> tuple[list[Group], list[Group], Group | None]:
    wanted, severity = narrowing.wanted, narrowing.severity

    def keep(group: Group) -> bool:
        return wanted is None or group.matches(wanted)

    causes = [g for g in grouped.causes if keep(g) and (severity in (None, "failed") or g.severity == severity)]
    progressing = [g for g in grouped.progressing if keep(g) and severity in (None, "progressing")]
    suspended = grouped.suspended if grouped.suspended and keep(grouped.suspended) else None
    if severity not in (None, "suspended"):
        suspended = None
    if severity == "suspended":
        causes, progressing = [], []
    return causes, progressing, suspended


def answer(graph: Graph, grouped: Grouped, narrowing: Narrowing | None = None, budget: int | None = None) -> Obj:
    """The report: summary, ranked causes, progressing and suspended apart; within `budget` bytes."""
    narrowing = narrowing or Narrowing()
    causes, progressing, suspended = _selected(grouped, narrowing)
    start = min(narrowing.offset, len(causes))
    end = len(causes) if narrowing.limit is None else min(len(causes), start + narrowing.limit)
    first_page = start == 0
    head = {"summary": summary(graph, grouped)}

    def render(detail: Detail, shown: int, progressing_shown: int) -> Obj:
        data: Obj = {**head, "causes": [group_dict(g, detail, narrowing.wanted) for g in causes[start : start + shown]]}
        if first_page and progressing:
            data["progressing"] = [
                group_dict(g, detail, narrowing.wanted, cause=False) for g in progressing[:progressing_shown]
            ]
            if progressing_shown < len(progressing):
                data["progressing_groups_omitted"] = len(progressing) - progressing_shown
        if first_page and suspended is not None:
            data["suspended"] = _suspended_dict(suspended, detail, narrowing.wanted)
        data["healthy"] = not graph.findings
        if start or start + shown < len(causes):
            data.update(_page(start, shown, len(causes), narrowing.names))
        return data

    full = end - start
    if budget is None:
        return render(LEVELS[0], full, len(progressing))
    for detail in LEVELS[:-1]:
        data = render(detail, full, len(progressing))
        if size(data) <= budget:
            return data
    whole = LEVELS[-2]  # each cause with its next action and one line of evidence
    kept = largest(len(progressing), lambda n: size(render(whole, full, n)) <= budget)
    if size(render(whole, full, kept)) <= budget:  # fewer progressing groups before any cause
        return render(whole, full, kept)
    shown = largest(full, lambda n: size(render(whole, n, 0)) <= budget)
    if shown:  # the highest ranked causes whole; the others page on
        return render(whole, shown, 0)
    compact = LEVELS[-1]  # not even one whole cause fits: its last line of evidence goes
    shown = largest(full, lambda n: size(render(compact, n, 0)) <= budget)
    return render(compact, shown, 0)


def _suspended_dict(group: Group, detail: Detail, wanted: Callable[[Finding], bool] | None) -> Obj:
    data = group_dict(group, detail, wanted, cause=False)
    return {
        key: data[key]
        for key in ("count", "objects", "namespaces", "namespaces_total", "blocks", "next_action")
        if key in data
    }


def _page(start: int, shown: int, total: int, names: tuple[str, ...]) -> Obj:
    data: Obj = {"causes_total": total, "causes_offset": start, "causes_shown": shown}
    narrow = f" or narrow with {', '.join(names)}" if names else ""
    if start + shown < total:
        data["continue"] = str(start + shown)
        data["narrow"] = (
            f"Showing causes {start + 1}–{start + shown} of {total}, ranked by impact; {total - start - shown} more. "
            f"Page on with continue='{start + shown}'{narrow}, or raise max_bytes."
        )
    return data
