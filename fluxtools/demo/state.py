"""What the mutations made on one demo cluster have changed, kept in memory.

A mutation replays its recorded run (`flux suspend|resume|reconcile` and the
tool's polls of the object, in order) and leaves the object as the recorder
read it right after the call. From then on every `kubectl get` answer shows
that object in place of the baseline one, and reads recorded in that state
(such as `flux export` of a suspended object) are preferred.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from fluxtools.demo.recording import Key, Mutation, Obj, Recording, identity, json_document


@dataclass
class InFlight:
    """A mutation whose tool call is still running: its own reads come from its recording, in order."""

    mutation: Mutation
    object_key: Key
    polls: list[int]
    keys: frozenset[Key]
    played: set[int] = field(default_factory=set)


class DemoState:
    def __init__(self, recording: Recording) -> None:
        self.recording = recording
        self.objects: dict[str, Obj] = {}
        """Objects changed by a mutation, by identity, as the lab showed them after it."""
        self.last: dict[str, Mutation] = {}
        """The latest mutation of each changed object."""
        self.in_flight: InFlight | None = None

    # mutations -------------------------------------------------------------------------------
    def suspended(self, name: str) -> bool:
        obj = self.objects.get(name) or self.recording.objects.get(name) or {}
        return bool((obj.get("spec") or {}).get("suspend", False))

    def start(self, mutation: Mutation) -> None:
        recording = self.recording
        after = recording.json_of(mutation.after)
        if after is not None:
            self.objects[mutation.object] = after
        self.last.pop(mutation.object, None)
        self.last[mutation.object] = mutation  # most recent last
        object_key = recording.keys[mutation.after]
        reads = [position for position in mutation.span if recording.keys[position] == object_key]
        self.in_flight = InFlight(
            mutation,
            object_key,
            polls=reads[1:],  # the first read is the tool's look at the object before acting
            keys=frozenset(recording.keys[position] for position in mutation.span),
        )

    def during_mutation(self, key: Key) -> int | None:
        """The recorded answer within the running mutation; ends it when the request is not one of its own."""
        flight = self.in_flight
        if flight is None:
            return None
        if key not in flight.keys:
            if "--watch" in key:
                return None  # a verdict's watch (of the object or its source), unrecorded: the tool goes on
            self.in_flight = None
            return None
        if key == flight.object_key:
            return flight.polls.pop(0) if flight.polls else flight.mutation.after
        flight.polls.clear()  # the tool reads something else: it has stopped polling the object
        positions = [position for position in flight.mutation.span if self.recording.keys[position] == key]
        unplayed = [position for position in positions if position not in flight.played]
        chosen = unplayed[0] if unplayed else positions[-1]
        flight.played.add(chosen)
        return chosen

    # reads -----------------------------------------------------------------------------------
    def state_read(self, key: Key) -> int | None:
        """A read recorded in the state a mutation left, for an object the demo has changed."""
        for mutation in reversed(self.last.values()):
            position = self.recording.first(key, mutation.reads)
            if position is not None:
                return position
        return None

    def apply(self, key: Key, stdout: str) -> str:
        """A `kubectl get` JSON answer with the changed objects in place of the recorded ones."""
        if not self.objects or key[:2] != ("kubectl", "get"):
            return stdout
        document = json_document(stdout)
        if document is None:
            return stdout
        items = document.get("items")
        if not isinstance(items, list):
            changed = self.objects.get(identity(document))
            return stdout if changed is None else json.dumps(changed, indent=4) + "\n"
        list_kind = str(document.get("kind", ""))
        replaced = [
            self.objects.get(identity(item, list_kind), item) if isinstance(item, dict) else item for item in items
        ]
        if all(new is old for new, old in zip(replaced, items, strict=True)):
            return stdout
        document["items"] = replaced
        if "--raw" in key:
            return json.dumps(document, separators=(",", ":"))
        return json.dumps(document, indent=4) + "\n"
