"""The clusters' answers folded into one: a row per cluster, fleet totals, then what fails where.

A cause shared by several clusters (same kind, reason, source and normalised
message) is one entry naming its clusters; causes rank by how many clusters
they hit, then by how many objects they fail or block.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from fluxtools.diagnosis.text import normalised, short
from fluxtools.specs.overview import human_bytes
from fluxtools.specs.reads import HELMRELEASES, KUSTOMIZATIONS

Obj = dict[str, Any]


@dataclass(frozen=True)
class ClusterAnswer:
    """One cluster's envelope, as the fold reads it, and how long the cluster took."""

    context: str
    envelope: dict[str, Any]
    seconds: float


STATUS_OF_ERROR = {
    "ClusterUnreachable": "unreachable",
    "Timeout": "timed_out",
    "PermissionDenied": "denied",
    "FluxNotInitialized": "no_flux",
    "InvalidKubeconfig": "bad_kubeconfig",
}
"""A cluster that answered with an error, by the error's type; any other error is `failed`."""
ANSWERED = ("ok", "partial")
SEVERITY_RANK = {"stalled": 0, "failed": 1}
ERROR_CHARS = 300
LIST_KEYS = {"flux_kustomization_list": KUSTOMIZATIONS.list_key, "flux_helmrelease_list": HELMRELEASES.list_key}


def status(envelope: Obj) -> str:
    """ok, partial (something unread, or the answer cut to the budget), or what kept the cluster from answering."""
    if not envelope.get("success"):
        return STATUS_OF_ERROR.get(str(envelope.get("error_type")), "failed")
    data = envelope.get("data") or {}
    return "partial" if data.get("unread") or data.get("truncated") else "ok"


def cut(data: Obj) -> Obj | None:
    """How much of a cluster's answer was cut to its budget: the entries of its list read, of how many."""
    if not data.get("truncated"):
        return None
    key = next((key for key in ("causes", *LIST_KEYS.values()) if isinstance(data.get(key), list)), None)
    if key is None:
        return {"list": None}
    total = data.get("matched", data.get("causes_total", data.get("total")))
    return {"list": key, "read": len(data[key]), "of": total}


def base_row(answer: ClusterAnswer) -> Obj:
    row: Obj = {"context": answer.context, "status": status(answer.envelope), "seconds": answer.seconds}
    envelope = answer.envelope
    if not envelope.get("success"):
        row["error_type"] = envelope.get("error_type")
        row["error"] = short(str(envelope.get("error", "")), ERROR_CHARS)
        if envelope.get("hint"):  # what the client said (the kubectl error), or what to do
            row["hint"] = short(str(envelope["hint"]), ERROR_CHARS)
        return row
    unread = (envelope.get("data") or {}).get("unread") or []
    if unread:
        row["unread"] = [{key: item.get(key) for key in ("kind", "namespace", "error_type")} for item in unread]
    was_cut = cut(envelope.get("data") or {})
    if was_cut is not None:
        row["cut"] = was_cut
    return row


def fleet_head(answers: list[ClusterAnswer], rows: list[Obj]) -> Obj:
    by_status = Counter(row["status"] for row in rows)
    return {
        "clusters": len(answers),
        "answered": sum(by_status[name] for name in ANSWERED),
        "by_status": dict(sorted(by_status.items())),
    }


def asked_of_each(tool: str, args: Any) -> Obj:
    """What a cluster is asked beyond the caller's arguments, when its answer would hold what the fold not read.

    The diagnosis's fold reads each cluster's summary and causes: not its picture (`graph`), nor,
    unless the caller narrowed by severity, its progressing and suspended objects (a cluster asked
    for `failed` causes answers with all of its causes and without those).
    """
    if tool != "flux_diagnose":
        return {}
    return {"graph": False, "severity": getattr(args, "severity", None) or "failed"}


def fold(tool: str, answers: list[ClusterAnswer], notes: list[str]) -> Obj:
    data = FOLDS[tool](answers)
    if notes:
        data["notes"] = notes
    return data


# the diagnosis -------------------------------------------------------------
def once_per_fold() -> Callable[[str, tuple[str, ...]], str]:
    """`normalised`, each message with its names computed once: the clusters of a fleet share most failures."""
    return functools.lru_cache(maxsize=None)(normalised)


def cause_key(cause: Obj, normalise: Callable[[str, tuple[str, ...]], str] = normalised) -> tuple[str, ...]:
    names: tuple[str, ...] = ()
    for ref in (cause.get("objects") or [])[:1] + [cause.get("via") or ""]:
        parts = ref.split("/")
        if len(parts) == 3:
            names += (parts[2], parts[1])
    message = normalise(str(cause.get("message", "")), names)
    return (str(cause.get("kind")), str(cause.get("reason")), str(cause.get("source") or ""), message)


def shared_causes(answers: Iterable[ClusterAnswer]) -> list[Obj]:
    """Every cluster's causes, those with the same key as one, ranked."""
    by_key: dict[tuple[str, ...], Obj] = {}
    normalise = once_per_fold()
    for answer in answers:
        for cause in (answer.envelope.get("data") or {}).get("causes") or []:
            entry = by_key.setdefault(cause_key(cause, normalise), _new_entry(cause, answer.context))
            entry["clusters"].append(answer.context)
            entry["objects"] += int(cause.get("count", 1))
            entry["blocked"] += int((cause.get("blocks") or {}).get("count", 0))
            entry["examples"] += [f"{answer.context}: {ref}" for ref in cause.get("objects") or []]
            if SEVERITY_RANK.get(cause.get("severity", ""), 9) < SEVERITY_RANK.get(entry["severity"], 9):
                entry["severity"] = cause["severity"]
    for entry in by_key.values():
        entry["clusters_total"] = len(entry["clusters"])
        objects = {example.split(": ", 1)[1] for example in entry["examples"]}
        if len(objects) == 1 and entry["objects"] == entry["clusters_total"]:  # one object, in each cluster
            entry["object"] = objects.pop()
    return sorted(
        by_key.values(),
        key=lambda e: (
            -e["clusters_total"],
            -(e["objects"] + e["blocked"]),
            SEVERITY_RANK.get(e["severity"], 9),
            e["kind"],
            e["message"],
        ),
    )


def _new_entry(cause: Obj, context: str) -> Obj:
    entry: Obj = {
        "kind": cause.get("kind"),
        "reason": cause.get("reason"),
        "severity": cause.get("severity", "failed"),
        "message": cause.get("message", ""),
        "clusters": [],
        "objects": 0,
        "blocked": 0,
        "examples": [],
    }
    if cause.get("source"):
        entry["source"] = cause["source"]
    if cause.get("next_action"):
        entry["next_action"] = {**cause["next_action"], "context": context}
    return entry


def fold_diagnosis(answers: list[ClusterAnswer]) -> Obj:
    rows = []
    counts: Counter[str] = Counter()
    objects = 0
    for answer in answers:
        row = base_row(answer)
        data = answer.envelope.get("data") or {}
        if answer.envelope.get("success"):
            summary = data.get("summary") or {}
            counts.update(summary.get("counts") or {})
            objects += int(summary.get("objects", 0))
            row.update(
                objects=summary.get("objects", 0),
                counts=summary.get("counts", {}),
                root_causes=summary.get("root_causes", 0),
                healthy=bool(data.get("healthy")),
            )
        rows.append(row)
    causes = shared_causes(answer for answer in answers if answer.envelope.get("success"))
    head = fleet_head(answers, rows)
    head.update(objects=objects, counts=dict(sorted(counts.items())), root_causes=len(causes))
    healthy = all(row["status"] == "ok" and row.get("healthy") for row in rows)
    return {"fleet": head, "clusters": rows, "causes": causes, "causes_total": len(causes), "healthy": healthy}


# lists -----------------------------------------------------------------------
def shared_failures(key: str, answers: Iterable[ClusterAnswer]) -> list[Obj]:
    """Objects not Ready (and not suspended) with the same message, across clusters, ranked."""
    by_message: dict[str, Obj] = {}
    normalise = once_per_fold()
    for answer in answers:
        for item in (answer.envelope.get("data") or {}).get(key) or []:
            if item.get("ready") == "True" or item.get("suspended"):
                continue
            message = str(item.get("status", ""))
            names = (str(item.get("name", "")), str(item.get("namespace", "")))
            entry = by_message.setdefault(
                normalise(message, names), {"message": short(message), "clusters": [], "objects": 0, "examples": []}
            )
            if answer.context not in entry["clusters"]:
                entry["clusters"].append(answer.context)
            entry["objects"] += 1
            entry["examples"].append(f"{answer.context}: {item.get('namespace')}/{item.get('name')}")
    for entry in by_message.values():
        entry["clusters_total"] = len(entry["clusters"])
    return sorted(by_message.values(), key=lambda e: (-e["clusters_total"], -e["objects"], e["message"]))


def fold_list(key: str, answers: list[ClusterAnswer]) -> Obj:
    rows, items = [], []
    counts: Counter[str] = Counter()
    total = matched = 0
    for answer in answers:
        row = base_row(answer)
        data = answer.envelope.get("data") or {}
        if answer.envelope.get("success"):
            row.update(total=data.get("total", 0), matched=data.get("matched", 0), counts=data.get("counts", {}))
            counts.update(data.get("counts") or {})
            total += int(data.get("total", 0))
            matched += int(data.get("matched", 0))
            items += [{"context": answer.context, **item} for item in data.get(key) or []]
        rows.append(row)
    head = {**fleet_head(answers, rows), "total": total, "matched": matched, "counts": dict(sorted(counts.items()))}
    failures = shared_failures(key, answers)
    data: Obj = {"fleet": head, "clusters": rows}
    if failures:
        data["failures"] = failures
    return {**data, key: items, "total": total, "matched": matched}


# stats -----------------------------------------------------------------------
def fold_stats(answers: list[ClusterAnswer]) -> Obj:
    rows = []
    by_kind: dict[str, Counter[str]] = {}
    storage = 0
    for answer in answers:
        row = base_row(answer)
        data = answer.envelope.get("data") or {}
        if answer.envelope.get("success"):
            row.update(totals=data.get("totals", {}), storage_bytes=data.get("storage_bytes", 0))
            storage += int(data.get("storage_bytes", 0))
            for kind, counts in (data.get("by_kind") or {}).items():
                by_kind.setdefault(kind, Counter()).update(counts)
        rows.append(row)
    kinds = {kind: dict(counts) for kind, counts in by_kind.items()}
    totals: Counter[str] = Counter()
    for counts in by_kind.values():
        totals.update({key: value for key, value in counts.items() if key != "storage_bytes"})
    head = {
        **fleet_head(answers, rows),
        "totals": dict(totals),
        "storage_bytes": storage,
        "storage": human_bytes(storage),
    }
    return {"fleet": head, "clusters": rows, "by_kind": kinds}


FOLDS: dict[str, Callable[[list[ClusterAnswer]], Obj]] = {
    "flux_kustomization_list": functools.partial(fold_list, KUSTOMIZATIONS.list_key),
    "flux_helmrelease_list": functools.partial(fold_list, HELMRELEASES.list_key),
    "flux_diagnose": fold_diagnosis,
    "flux_stats": fold_stats,
}
"""The tools the fleet answers for, and how it folds their clusters' answers into one."""
