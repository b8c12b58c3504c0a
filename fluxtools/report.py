"""Render a `flux_diagnose` report for a terminal."""

from __future__ import annotations

import textwrap
from typing import Any

STATE_MARK = {"failed": "✗", "progressing": "◎", "suspended": "⏸"}
WIDTH = 100


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent) or [indent]


def render(envelope: dict[str, Any]) -> str:
    if not envelope.get("success"):
        hint = f"\n  hint: {envelope['hint']}" if envelope.get("hint") else ""
        return f"✗ {envelope.get('error')}{hint}"
    report = envelope["data"]
    summary = report["summary"]
    counts = ", ".join(f"{n} {state}" for state, n in summary["counts"].items())
    lines = [f"Flux objects: {summary['objects']} ({counts})"]
    for unread in report.get("unread", []):
        where = "all namespaces" if unread["namespace"] == "*" else f"namespace {unread['namespace']}"
        lines += _wrap(f"! Not read: {unread['kind']} in {where} ({unread['error_type']}: {unread['message']})", "")
    if report.get("healthy"):
        return "\n".join([*lines, "✔ Everything is Ready."])
    lines.append(f"Root causes: {summary['root_causes']}; objects affected by them: {summary['affected']}")
    sections = (("ROOT CAUSES", True), ("AFFECTED", False))
    for title, roots in sections:
        findings = [f for f in report["findings"] if f["root_cause"] is roots]
        if not findings:
            continue
        lines += ["", title]
        for finding in findings:
            mark = STATE_MARK.get(finding["state"], "•")
            lines.append(f"{mark} {finding['object']}  [{finding['state']}: {finding['reason']}]")
            lines += _wrap(finding["message"], "    ")
            if finding.get("blocked_by"):
                lines.append(f"    blocked by: {', '.join(finding['blocked_by'])}")
            if finding.get("affects"):
                lines.append(f"    affects: {', '.join(finding['affects'])}")
            for event in finding.get("events", [])[:1]:
                lines += _wrap(f"event: {event}", "    ")
            for log in finding.get("logs", [])[:1]:
                lines += _wrap(f"log: {log}", "    ")
            lines += _wrap(f"→ {finding['next_action']}", "    ")
    if report.get("truncated"):
        lines.append("\n(report cut to fit the output budget; use --json with a larger max_bytes)")
    return "\n".join(lines)
