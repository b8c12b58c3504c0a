"""'Did you mean': the one closest allowed name for a near miss (tool names, parameters, enum values)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any


def closest(word: Any, choices: Iterable[str], *, prefix: str = "") -> str | None:
    """The choice closest to `word` ignoring case and a `prefix` they all share, or None if none is close."""
    if not isinstance(word, str):
        return None
    stems = {choice.removeprefix(prefix).lower(): choice for choice in choices}
    match = difflib.get_close_matches(word.removeprefix(prefix).lower(), stems, n=1)
    return stems[match[0]] if match else None
