"""Short-lived cache of read results, per (tool, arguments, cluster), dropped by mutations.

It keeps a copy of what it is given and gives out copies: a caller that changes an answer changes
only its own.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def copied(value: Any) -> Any:
    """A deep copy of an answer: its mappings and lists copied (quickly), anything else as `copy.deepcopy` does."""
    if isinstance(value, dict):
        return {key: copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copied(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return copy.deepcopy(value)


@dataclass
class _Entry:
    expires: float
    envelope: dict[str, Any]


class ResultCache:
    """Remembers envelopes for `ttl` seconds.

    A mutation forgets every entry, when it starts and again when it ends, and
    advances the epoch: a read that was in flight meanwhile is not kept, since
    it may show the state from before the change (objects in other namespaces
    reached through references included).
    """

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic, max_entries: int = 512) -> None:
        self.ttl = ttl
        self.clock = clock
        self.max_entries = max_entries
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        self.epoch = 0

    @staticmethod
    def key(tool: str, arguments: dict[str, Any], where: dict[str, Any]) -> str:
        return json.dumps([tool, arguments, where], sort_keys=True, default=str)

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.expires < self.clock():
                self._entries.pop(key, None)
                return None
        return copied(entry.envelope)  # a kept envelope is never changed: copied outside the lock

    def put(self, key: str, envelope: dict[str, Any], epoch: int) -> None:
        """Keep `envelope` unless a mutation started or ended since the read began at `epoch`.

        A read that starts and ends inside one mutation may be kept: the mutation's end forgets it.
        """
        if self.ttl <= 0:
            return
        kept = copied(envelope)
        with self._lock:
            if epoch != self.epoch:
                return
            if len(self._entries) >= self.max_entries:
                self._entries.pop(next(iter(self._entries)))
            self._entries[key] = _Entry(self.clock() + self.ttl, kept)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def invalidate(self) -> None:
        """A mutation starts or ends: forget every entry and advance the epoch."""
        with self._lock:
            self.epoch += 1
            self._entries.clear()
