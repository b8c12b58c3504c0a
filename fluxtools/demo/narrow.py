"""Requests that only narrow a recorded read, answered from it as the cluster would answer them.

- `kubectl logs ... --tail=N [--since=D]`: the recording with the largest tail,
  cut to the lines the kubelet would return (the last N, written within D of
  the time the baseline was read).
- A list in one namespace (`-n NS` or a namespaced `--raw` path) and/or with
  an equality `--field-selector`: the all-namespaces recording of the same
  resources, its items filtered as the API server filters them.

Why the list derivation is honest: for the lab's admin user the API server
answers a namespaced list with exactly the items of the cluster-wide list that
are in that namespace (an empty list for a namespace without any, existing or
not), and applies an equality field selector item by item. Only the scope and
the selector may differ from the recorded argv; fields the server would refuse
are not derived. Anything else is not derived here, and only recordings of the
baseline are used.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

from fluxtools._validation import duration_seconds
from fluxtools.demo.recording import Answer, Key, Recording, json_document

EVENT_FIELDS = frozenset(
    {
        "involvedObject.kind",
        "involvedObject.name",
        "involvedObject.namespace",
        "involvedObject.uid",
        "involvedObject.apiVersion",
        "involvedObject.fieldPath",
        "reason",
        "type",
        "reportingComponent",
        "metadata.name",
        "metadata.namespace",
    }
)
OBJECT_FIELDS = frozenset({"metadata.name", "metadata.namespace"})
"""The field selectors the API server supports on custom resources."""
UNKNOWN_TYPE = "the server doesn't have a resource type"
NAMESPACED_RAW = re.compile(r"^(/apis/[^/]+/[^/]+)/namespaces/([^/]+)(/[^/]+)$")


def derive(recording: Recording, key: Key) -> Answer | None:
    if key[:2] == ("kubectl", "logs"):
        return _logs(recording, key)
    if key[:3] == ("kubectl", "get", "--raw") and len(key) == 4:
        return _raw_list(recording, key)
    if key[:2] == ("kubectl", "get"):
        return _typed_list(recording, key)
    return None


# logs ------------------------------------------------------------------------------------------


def _logs_parts(key: Key) -> tuple[Key, int | None, str | None]:
    """(the request without --tail/--since, tail, since)."""
    tail: int | None = None
    since: str | None = None
    rest: list[str] = []
    for part in key:
        if part.startswith("--tail="):
            tail = int(part.removeprefix("--tail="))
        elif part.startswith("--since="):
            since = part.removeprefix("--since=")
        else:
            rest.append(part)
    return tuple(rest), tail, since


def _logs(recording: Recording, key: Key) -> Answer | None:
    target, tail, since = _logs_parts(key)
    widest: tuple[int, int] | None = None  # (tail, position)
    for position in recording.baseline:
        other = recording.keys[position]
        if other[:2] != ("kubectl", "logs"):
            continue
        other_target, other_tail, other_since = _logs_parts(other)
        usable = other_target == target and other_since is None and other_tail is not None
        if usable and (widest is None or other_tail > widest[0]):
            widest = (other_tail, position)
    if widest is None:
        return None
    recorded_tail, position = widest
    item = recording.interactions[position]
    if item.exit_code != 0:  # the controller cannot be read at all: no narrowing changes that
        return recording.answer(position)
    lines = item.stdout.splitlines(keepends=True)
    wanted = tail if tail is not None else len(lines)
    if wanted > recorded_tail and len(lines) >= recorded_tail:
        return None  # more lines than were recorded, and the log may hold more
    if since is not None:
        if recording.read_at is None:
            return None
        lines = written_since(lines, recording.read_at - dt.timedelta(seconds=duration_seconds(since)))
    return Answer(position, 0, "".join(lines[-wanted:] if wanted else []), item.stderr)


def _line_time(line: str) -> dt.datetime | None:
    entry = json_document(line)
    stamp = entry.get("ts") if entry else None
    if not isinstance(stamp, str):
        return None
    try:
        return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None


def written_since(lines: list[str], cutoff: dt.datetime) -> list[str]:
    """The lines written at or after `cutoff`; a line without a time was written with the one before it."""
    times = [_line_time(line) for line in lines]
    known = next((stamp for stamp in times if stamp is not None), None)
    kept = []
    for line, stamp in zip(lines, times, strict=True):
        known = stamp or known
        if known is not None and known >= cutoff:
            kept.append(line)
    return kept


# lists -----------------------------------------------------------------------------------------


def _raw_list(recording: Recording, key: Key) -> Answer | None:
    match = NAMESPACED_RAW.match(key[3])
    if match is None:
        return None
    position = recording.first((*key[:3], match.group(1) + match.group(3)), recording.baseline)
    if position is None:
        return None
    namespace = match.group(2)
    return _filtered(recording, position, lambda item: _field(item, "metadata.namespace") == namespace, compact=True)


def _typed_list(recording: Recording, key: Key) -> Answer | None:
    """`kubectl get R (-n NS | -A) [--field-selector S] -o json` from `kubectl get R -A -o json`."""
    parts = list(key[2:])
    if parts[-2:] != ["-o", "json"] or not parts or parts[0].startswith("-"):
        return None
    resource, options = parts[0], parts[1:-2]
    namespace: str | None = None
    selector = ""
    while options:
        flag = options.pop(0)
        if flag == "-A":
            continue
        if flag in ("-n", "--field-selector") and options:
            value = options.pop(0)
            if flag == "-n":
                namespace = value
            else:
                selector = value
            continue
        return None  # a name, a label selector or anything else: not a narrowing of the list
    tests = _selector(selector, EVENT_FIELDS if resource == "events" else OBJECT_FIELDS)
    if tests is None:
        return None
    if namespace is not None:
        tests.append(lambda item: _field(item, "metadata.namespace") == namespace)
    position = recording.first(("kubectl", "get", resource, "-A", "-o", "json"), recording.baseline)
    if position is None:
        return None
    return _filtered(recording, position, lambda item: all(test(item) for test in tests), compact=False)


def _selector(text: str, supported: frozenset[str]) -> list[Callable[[dict[str, Any]], bool]] | None:
    """Equality tests of a field selector; None when a field is one the server would refuse."""
    tests: list[Callable[[dict[str, Any]], bool]] = []
    for term in filter(None, text.split(",")):
        match = re.fullmatch(r"([A-Za-z.]+)(!=|==|=)(.*)", term)
        if match is None or match.group(1) not in supported:
            return None
        name, operator, value = match.groups()
        if operator == "!=":
            tests.append(lambda item, name=name, value=value: _field(item, name) != value)
        else:
            tests.append(lambda item, name=name, value=value: _field(item, name) == value)
    return tests


def _field(item: dict[str, Any], path: str) -> str:
    value: Any = item
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return "" if value is None else str(value)


def _filtered(
    recording: Recording, position: int, keep: Callable[[dict[str, Any]], bool], *, compact: bool
) -> Answer | None:
    item = recording.interactions[position]
    if item.exit_code != 0:
        # kubectl's discovery refuses an unknown resource type before asking for any scope
        unknown = UNKNOWN_TYPE in item.stderr
        return recording.answer(position) if unknown else None
    document = json_document(item.stdout)
    if document is None or not isinstance(document.get("items"), list):
        return None
    document = {**document, "items": [entry for entry in document["items"] if isinstance(entry, dict) and keep(entry)]}
    text = json.dumps(document, separators=(",", ":")) if compact else json.dumps(document, indent=4) + "\n"
    return Answer(position, 0, text, item.stderr)
