"""Parse a Kubernetes LIST response while it streams in, one item at a time.

The API server streams large lists; parsing each item as soon as it is complete
overlaps our work with the server's and keeps only one item's text in memory,
never the whole response.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable
from typing import Any

from fluxtools._errors import CommandFailed

ITEMS_KEY = re.compile(r'"items"\s*:\s*\[')
SEPARATORS = " \t\r\n,"
COMPACT_AFTER = 1 << 16
MAX_PENDING = 8 << 20
"""Most text held while waiting for `items` or for one item to complete."""


DECODER = json.JSONDecoder()
"""Shared, as `json.loads` shares its own: a decoder of each stream's own would be a reference cycle."""


class ItemStream:
    """Feed it stdout chunks; it calls `on_item(obj)` for every element of `items`.

    Subclasses override `take` instead of passing a method of their own as `on_item`: an
    instance holding its own bound method is a reference cycle, and its items would wait for
    the cycle collector instead of being freed when the caller is done with them.
    """

    def __init__(self, on_item: Callable[[dict[str, Any]], None] | None = None) -> None:
        self.on_item = on_item
        self.reset()

    def take(self, item: dict[str, Any]) -> None:
        if self.on_item is not None:
            self.on_item(item)

    def reset(self) -> None:
        """Forget everything (a retried command streams again from the start)."""
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._buffer = ""
        self._pos = 0
        self._in_items = False
        self._done = False
        self.count = 0
        self.head = ""
        self.overflow = False

    def feed(self, chunk: bytes) -> None:
        if self.overflow:
            return
        self._buffer += self._decoder.decode(chunk)
        self._advance()
        if len(self._buffer) - self._pos > MAX_PENDING:
            self.overflow, self._buffer = True, self._buffer[:200]

    def close(self) -> None:
        """Check that the whole list arrived; a response without `items` is an error."""
        if self.overflow:
            raise CommandFailed(f"kubectl returned more than {MAX_PENDING >> 20} MiB that is not JSON list data")
        self._buffer += self._decoder.decode(b"", final=True)
        self._advance()
        if not self._done:
            text = (self.head or self._buffer)[:120]
            raise CommandFailed(f"kubectl returned output that is not JSON list data or is incomplete ({text!r})")

    def _advance(self) -> None:
        if self._done:
            return
        if not self._in_items:
            match = ITEMS_KEY.search(self._buffer, self._pos)
            if match is None:
                return
            self.head = self._buffer[: match.start()]
            self._pos, self._in_items = match.end(), True
        buffer, pos = self._buffer, self._pos
        while True:
            while pos < len(buffer) and buffer[pos] in SEPARATORS:
                pos += 1
            if pos >= len(buffer):
                break
            if buffer[pos] == "]":
                self._done = True
                pos += 1
                break
            try:
                item, end = DECODER.raw_decode(buffer, pos)
            except json.JSONDecodeError:
                break  # the item is not complete yet
            self.take(item)
            self.count += 1
            pos = end
        if pos > COMPACT_AFTER:
            self._buffer, pos = buffer[pos:], 0
        self._pos = pos
