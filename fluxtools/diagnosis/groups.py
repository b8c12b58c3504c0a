"""Findings grouped by shared cause, and ranked.

Root findings with the same kind, reason, source and message (once names, paths,
temp dirs, revisions and numbers are normalised) are one cause. Causes rank by
impact (objects failing directly plus those blocked through them), then severity
(stalled before failed), then recency. Suspended and progressing objects are not
causes: they are grouped apart, each with what it blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from fluxtools.diagnosis.graph import SEVERITY, Finding, Graph
from fluxtools.diagnosis.text import normalised


@dataclass
class Group:
    """Findings sharing one cause; `members` ranked, the first stands for the group."""

    members: list[Finding]
    blocks: list[Finding] = field(default_factory=list)

    @property
    def first(self) -> Finding:
        return self.members[0]

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def impact(self) -> int:
        return len(self.members) + len(self.blocks)

    @property
    def severity(self) -> str:
        return min((member.severity for member in self.members), key=lambda s: SEVERITY.get(s, 9))

    @property
    def changed(self) -> str:
        return max(member.changed for member in self.members)

    def namespaces(self) -> list[str]:
        return sorted({member.namespace for member in self.members})

    def matches(self, wanted: Callable[[Finding], bool]) -> bool:
        return any(wanted(finding) for finding in (*self.members, *self.blocks))


@dataclass
class Grouped:
    causes: list[Group]
    progressing: list[Group]
    suspended: Group | None
    blocked: int


def cause_key(finding: Finding) -> tuple[str, ...]:
    names = (finding.name, finding.namespace)
    if finding.chart is not None:
        names += ((finding.chart.get("metadata") or {}).get("name", ""),)
    return (finding.kind, finding.state, finding.reason, finding.source or "", normalised(finding.explanation(), names))


def group(graph: Graph) -> Grouped:
    roots = [finding for finding in graph.findings.values() if finding.root_cause]
    blocked_by_root: dict[str, list[Finding]] = {}
    for finding in sorted(graph.blocked(), key=lambda f: f.id):
        for root in finding.roots:
            blocked_by_root.setdefault(root, []).append(finding)
    by_key: dict[tuple[str, ...], list[Finding]] = {}
    for finding in sorted(roots, key=_member_rank):
        key = ("suspended",) if finding.state == "suspended" else cause_key(finding)
        by_key.setdefault(key, []).append(finding)
    groups = [Group(members, _blocked(members, blocked_by_root)) for members in by_key.values()]
    ranked = rank(groups)
    suspended = next((g for g in ranked if g.first.state == "suspended"), None)
    return Grouped(
        causes=[g for g in ranked if g.first.state == "failed"],
        progressing=[g for g in ranked if g.first.state == "progressing"],
        suspended=suspended,
        blocked=len(graph.blocked()),
    )


def _blocked(members: Iterable[Finding], blocked_by_root: dict[str, list[Finding]]) -> list[Finding]:
    seen: dict[str, Finding] = {}
    for member in members:
        for finding in blocked_by_root.get(member.id, []):
            seen.setdefault(finding.id, finding)
    return sorted(seen.values(), key=lambda f: f.id)


def _member_rank(finding: Finding) -> tuple[int, str]:
    return (SEVERITY.get(finding.severity, 9), finding.id)


def rank(groups: list[Group]) -> list[Group]:
    """Impact first, then severity (stalled, failed, progressing), then the most recent change."""
    ordered = sorted(groups, key=lambda g: g.first.id)
    ordered.sort(key=lambda g: g.changed, reverse=True)
    ordered.sort(key=lambda g: (-g.impact, SEVERITY.get(g.severity, 9)))
    return ordered
