"""The demo recording, loaded once per process and indexed for matching.

The recorder notes in the cassette header which interactions read the
scenario as it started (`baseline`) and, for each mutation it made, the
commands the tool ran, the object read right after it (`after`) and the reads
recorded in the state it left (`reads`), and the contexts it read in
(`contexts`, see `fluxtools.demo.contexts`). Recordings without those notes
are all baseline.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fluxtools.cassettes import Cassette, Interaction, Redactor, without_connection_flags
from fluxtools.demo.contexts import CONTEXT_FLAG, DemoContexts, context_of

Key = tuple[str, ...]
Obj = dict[str, Any]
MISSING_NAME = "does-not-exist"
"""The name the recorder uses for objects that do not exist (the source of every derived NotFound)."""


def request_key(argv: Sequence[str], default_context: str | None = None) -> Key:
    """What a command is matched on: redacted argv without connection flags; a flux `--timeout` is not part of it.

    A command naming a context other than `default_context` is led by
    `--context NAME`, so it only ever matches commands recorded in that context.
    The demo answers as the recorded run did, which finished within its timeout;
    the virtual clock still applies the caller's own timeout to waits.
    """
    parts = without_connection_flags(Redactor().argv(argv))
    if parts and parts[0] == "flux":
        parts = ["--timeout=*" if part.startswith("--timeout=") else part for part in parts]
    context = context_of(argv)
    if context is not None and context != default_context:
        return (CONTEXT_FLAG, context, *parts)
    return tuple(parts)


def in_context(key: Key) -> tuple[str | None, Key]:
    """(the context a key names apart from the default one, or None; the command)."""
    if key[:1] == (CONTEXT_FLAG,):
        return key[1], key[2:]
    return None, key


def shown(key: Key) -> str:
    context, command = in_context(key)
    return " ".join(command) + (f" (context {context})" if context else "")


def identity(obj: Obj, list_kind: str = "") -> str:
    """`Kind/namespace/name` of an object (list items of typed lists may omit their kind)."""
    meta = obj.get("metadata") or {}
    kind = obj.get("kind") or list_kind.removesuffix("List")
    return f"{kind}/{meta.get('namespace', '')}/{meta.get('name', '')}"


def json_document(text: str) -> Obj | None:
    if not text.lstrip().startswith("{"):
        return None
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        return None
    return document if isinstance(document, dict) else None


@dataclass(frozen=True)
class Answer:
    """What the demo answers a command with: the interaction recorded at `source`, or one derived from it."""

    source: int
    exit_code: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class Mutation:
    """One recorded mutating call: what it ran, starting from which state, and what it left."""

    call: str
    object: str
    suspended_before: bool
    span: range
    after: int
    reads: range


@dataclass
class Recording:
    interactions: list[Interaction]
    baseline: range
    mutations: list[Mutation] = field(default_factory=list)
    read_at: dt.datetime | None = None
    """When the baseline was read: the `now` of a `--since` answered from it."""
    contexts: DemoContexts = field(default_factory=DemoContexts)
    """The contexts recorded; when none are given, the one the first command names."""

    def __post_init__(self) -> None:
        if not self.contexts.clusters:
            self.contexts = DemoContexts.from_notes(None, [item.argv for item in self.interactions])
        self.keys: list[Key] = [self.key(item.argv) for item in self.interactions]
        self.index: dict[Key, list[int]] = {}
        for position, key in enumerate(self.keys):
            self.index.setdefault(key, []).append(position)
        self.by_command: dict[Key, list[Mutation]] = {}
        for mutation in self.mutations:
            self.by_command.setdefault(self.command_key(mutation), []).append(mutation)

    @classmethod
    def load(cls, path: Path) -> Recording:
        cassette = Cassette.load(path)
        notes = cassette.header.get("demo") or {}
        interactions = cassette.interactions
        if not notes:
            return cls(interactions, range(len(interactions)))
        argvs = [item.argv for item in interactions]
        baseline = notes["baseline"]
        read_at = baseline.get("read_at")
        return cls(
            interactions,
            range(*baseline["interactions"]),
            [
                Mutation(
                    call=item["call"],
                    object=item["object"],
                    suspended_before=bool(item["suspended_before"]),
                    span=range(*item["interactions"]),
                    after=int(item["after"]),
                    reads=range(*item["reads"]),
                )
                for item in notes.get("mutations") or []
            ],
            dt.datetime.fromisoformat(read_at) if read_at else None,
            DemoContexts.from_notes(notes.get("contexts"), argvs),
        )

    def key(self, argv: Sequence[str]) -> Key:
        """The match key of a command against this recording (see `request_key`)."""
        return request_key(argv, self.contexts.default)

    def command_key(self, mutation: Mutation) -> Key:
        """The flux command of a mutation: the one flux reconcile/suspend/resume in its span."""
        for position in mutation.span:
            key = self.keys[position]
            if key[:1] == ("flux",) and len(key) > 1 and key[1] in ("reconcile", "suspend", "resume"):
                return key
        raise ValueError(f"recorded mutation {mutation.call!r} ran no flux command")

    def first(self, key: Key, within: Iterable[int] | None = None) -> int | None:
        positions = self.index.get(key, [])
        if within is None:
            return positions[0] if positions else None
        allowed = within if isinstance(within, range) else set(within)
        return next((position for position in positions if position in allowed), None)

    def answer(self, position: int) -> Answer:
        """The interaction recorded at `position`, as it was recorded."""
        item = self.interactions[position]
        return Answer(position, item.exit_code, item.stdout, item.stderr)

    def json_of(self, position: int) -> Obj | None:
        return json_document(self.interactions[position].stdout)

    @functools.cached_property
    def objects(self) -> dict[str, Obj]:
        """Every object the baseline's successful `kubectl get` reads returned, by identity."""
        found: dict[str, Obj] = {}
        for position in self.baseline:
            key, item = self.keys[position], self.interactions[position]
            if key[:2] != ("kubectl", "get") or item.exit_code != 0:
                continue
            document = json_document(item.stdout)
            if document is None:
                continue
            items = document.get("items")
            for obj in items if isinstance(items, list) else [document]:
                if isinstance(obj, dict):
                    found[identity(obj, str(document.get("kind", "")))] = obj
        return found

    @functools.cached_property
    def managed(self) -> set[str]:
        """`Kind/namespace/name` of every object a recorded `flux tree` shows."""
        found: set[str] = set()

        def walk(node: Obj) -> None:
            resource = node.get("resource") or {}
            kind = (resource.get("GroupKind") or {}).get("Kind", "")
            found.add(f"{kind}/{resource.get('Namespace', '')}/{resource.get('Name', '')}")
            for child in node.get("resources") or []:
                walk(child)

        for position in self.baseline:
            if self.keys[position][:2] == ("flux", "tree"):
                document = json_document(self.interactions[position].stdout)
                if document is not None:
                    walk(document)
        return found

    def distinct(self) -> list[Key]:
        return list(self.index)


@functools.lru_cache(maxsize=4)
def load_recording(path: Path) -> Recording:
    """Parsed once per process; every demo runner shares it and never changes it."""
    return Recording.load(path)
