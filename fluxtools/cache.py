"""Short-lived cache of read results, per (tool, arguments, cluster), dropped by mutations."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ALL_NAMESPACES = "*"


@dataclass
class _Entry:
    expires: float
    namespace: str
    envelope: dict[str, Any]


class ResultCache:
    """Remembers envelopes for `ttl` seconds; a mutation in a namespace forgets that scope."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic, max_entries: int = 512) -> None:
        self.ttl = ttl
        self.clock = clock
        self.max_entries = max_entries
        self._entries: dict[str, _Entry] = {}

    @staticmethod
    def key(tool: str, arguments: dict[str, Any], where: dict[str, Any]) -> str:
        return json.dumps([tool, arguments, where], sort_keys=True, default=str)

    def get(self, key: str) -> dict[str, Any] | None:
        entry = self._entries.get(key)
        if entry is None or entry.expires < self.clock():
            self._entries.pop(key, None)
            return None
        return entry.envelope

    def put(self, key: str, namespace: str | None, envelope: dict[str, Any]) -> None:
        if self.ttl <= 0:
            return
        if len(self._entries) >= self.max_entries:
            self._entries.pop(next(iter(self._entries)))
        self._entries[key] = _Entry(self.clock() + self.ttl, namespace or ALL_NAMESPACES, envelope)

    def invalidate(self, namespace: str | None) -> None:
        """Forget entries of `namespace` and every all-namespaces entry (None forgets all)."""
        if namespace is None:
            self._entries.clear()
            return
        self._entries = {
            key: entry for key, entry in self._entries.items() if entry.namespace not in (namespace, ALL_NAMESPACES)
        }
