"""The fleet diagnosis for a terminal: by cluster, then by shared cause; progress on stderr."""

from __future__ import annotations

import time
from typing import Any, TextIO

from fluxtools._report import _action, _plural, _wrap
from fluxtools.fleet.clusters import ClusterAnswer
from fluxtools.fleet.merge import status

Obj = dict[str, Any]
MARK = {"ok": "✔", "partial": "◐"}
"""Any other status (unreachable, timed_out, denied, …) is marked ✗."""


class FleetProgress:
    """One line on stderr while clusters answer: rewritten on a terminal, one per cluster otherwise.

    Each cluster is shown with the wall-clock time since the run started (they all start at once), so a
    replayed fleet shows how long this run took, not how long the recorded one did.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.not_ok: list[str] = []
        self.started = time.monotonic()

    def __call__(self, answer: ClusterAnswer, done: int, total: int) -> None:
        state = status(answer.envelope)
        if state != "ok":
            self.not_ok.append(f"{answer.context}: {state}")
        if self.tty:
            trouble = f" ({'; '.join(self.not_ok[-3:])})" if self.not_ok else ""
            self.stream.write(f"\rclusters: {done} of {total} answered{trouble}\x1b[K")
        else:
            elapsed = time.monotonic() - self.started
            self.stream.write(f"[{done}/{total}] {answer.context}: {state} ({elapsed:.1f}s)\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def _row(row: Obj) -> list[str]:
    mark = MARK.get(row["status"], "✗")
    head = f"{mark} {row['context']}"
    if "error_type" in row:
        lines = _wrap(f"{head}  {row['status']} ({row['error_type']}): {row.get('error', '')}", "  ")
        return lines + (_wrap(row["hint"], "      ") if row.get("hint") else [])
    counts = row.get("counts") or {}
    text = f"{head}  {row.get('objects', 0)} objects"
    if counts:
        text += f", {counts.get('failed', 0)} failing, {counts.get('suspended', 0)} suspended"
    text += f"; {_plural(row.get('root_causes', 0), 'root cause')}"
    lines = _wrap(text, "  ")
    if row.get("unread"):
        kinds = [item if isinstance(item, str) else f"{item['kind']} ({item['error_type']})" for item in row["unread"]]
        lines += _wrap(f"! not read: {', '.join(kinds)}", "      ")
    return lines


def _cause(cause: Obj) -> list[str]:
    clusters = ", ".join(cause["clusters"])
    more = cause["clusters_total"] - len(cause["clusters"])
    where = f"{clusters} (+{more} more)" if more > 0 else clusters
    lines = _wrap(
        f"✗ {cause.get('object') or cause['kind']}  [{cause['severity']}: {cause['reason']}]  "
        f"in {_plural(cause['clusters_total'], 'cluster')}"
        f": {where}",
        "",
    )
    lines += _wrap(cause.get("message", ""), "    ")
    objects = f"{_plural(cause['objects'], 'object')} failing" + (
        f", {cause['blocked']} blocked" if cause.get("blocked") else ""
    )
    examples = cause.get("examples") or []
    lines += _wrap(objects + (f"; e.g. {', '.join(examples[:3])}" if examples else ""), "    ")
    if cause.get("next_action"):
        lines += _wrap(f"in context {cause['next_action']['context']}:", "    ")
        lines += _action(cause["next_action"])
    return lines


def render_fleet(envelope: Obj) -> str:
    if not envelope.get("success"):
        hint = f"\n  hint: {envelope['hint']}" if envelope.get("hint") else ""
        return f"✗ {envelope.get('error')}{hint}"
    data = envelope["data"]
    fleet = data["fleet"]
    states = ", ".join(f"{count} {state}" for state, count in fleet["by_status"].items())
    counts = fleet.get("counts") or {}
    lines = [
        f"Fleet: {_plural(fleet['clusters'], 'cluster')} ({states}) — {fleet.get('objects', 0)} Flux objects, "
        f"{counts.get('failed', 0)} failing, from {_plural(fleet.get('root_causes', 0), 'distinct root cause')}",
        "",
        "CLUSTERS",
    ]
    for row in data["clusters"]:
        lines += _row(row)
    if data.get("complete"):
        lines += _wrap(f"✔ answered fully: {', '.join(data['complete'])}", "  ")
    if data.get("complete_not_listed"):
        lines.append(f"  (+{data['complete_not_listed']} more answered fully)")
    for note in data.get("notes", []):
        lines += _wrap(f"note: {note}", "  ")
    if data.get("healthy"):
        return "\n".join([*lines, "", "✔ Every cluster answered and everything is Ready."])
    if data.get("causes"):
        lines += ["", f"ROOT CAUSES ACROSS THE FLEET ({data['causes_total']}, by clusters hit)"]
        for cause in data["causes"]:
            lines += _cause(cause)
    else:
        incomplete = fleet["by_status"].get("ok", 0) < fleet["clusters"]
        lines += ["", "No failing root cause in what the clusters answered."]
        lines += ["Not every cluster answered in full: see CLUSTERS."] if incomplete else []
    if data.get("narrow"):
        lines += _wrap(data["narrow"], "  ")
    return "\n".join(lines)


def diagnose_fleet(config: Any, args: Obj, contexts: list[str], stderr: TextIO) -> tuple[Obj, str]:
    """The `fluxtools diagnose --context a --context b | --all-contexts` run: the envelope and its report."""
    from fluxtools._entry import FluxTools

    fleet_args = {**args, **({"contexts": contexts} if contexts else {"all_contexts": True})}
    progress = FleetProgress(stderr)
    envelope = FluxTools(config).call("flux_diagnose", fleet_args, approver_raises=False, progress=progress)
    progress.finish()
    return envelope, render_fleet(envelope)
