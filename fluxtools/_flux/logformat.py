"""Controller JSON log lines: parse them and print them as `flux logs` does."""

from __future__ import annotations

import json
from typing import Any


def object_kind(entry: dict[str, Any]) -> str:
    return str(entry.get("controllerKind") or entry.get("reconcilerKind") or entry.get("kind") or "")


def format_line(entry: dict[str, Any]) -> str:
    """`<ts> <level> <Kind>[/<name>.<namespace>] - <msg> <error>`, as `flux logs` prints."""
    kind = object_kind(entry)
    subject = f"{kind}/{entry['name']}.{entry.get('namespace', '')}" if entry.get("name") else kind
    return f"{entry.get('ts', '')} {entry.get('level', '')} {subject} - {entry.get('msg', '')} {entry.get('error', '')}"


DECODER = json.JSONDecoder()
JSON_WHITESPACE = " \t\n\r"


def parse_line(raw: str) -> dict[str, Any] | None:
    """The JSON object on a log line, or None for a line that is not one.

    As `json.loads` reads the line (only JSON whitespace may follow the object), without its
    per-call checks: a line starting with `{` is text without a byte order mark.
    """
    if not raw.startswith("{"):
        return None
    try:
        entry, end = DECODER.raw_decode(raw)
    except json.JSONDecodeError:
        return None
    if end < len(raw) and raw[end:].strip(JSON_WHITESPACE):
        return None
    return entry if isinstance(entry, dict) else None


OTHER_LINE_BREAKS = "\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
"""What `str.splitlines` also breaks lines at, besides `\\n`."""


def lines_at(text: str, level: str) -> list[str]:
    """The lines of `text` that may be entries of `level` (a level spelled in letters), in order.

    JSON spells a letter only as itself or as a `\\u` escape, so an entry whose level is `level`
    holds that word or an escape: the lines skipped here hold no entry of that level. Lines are
    those of `str.splitlines`; text broken only at `\\n` (as controllers write) is not split
    whole: only the lines around each occurrence of the word are cut out.
    """
    if _has_unicode_escape(text) or any(mark in text for mark in OTHER_LINE_BREAKS):
        return [raw for raw in text.splitlines() if level in raw or "\\u" in raw]
    lines = []
    found = text.find(level)
    while found >= 0:
        start = text.rfind("\n", 0, found) + 1
        end = text.find("\n", found)
        end = len(text) if end < 0 else end
        lines.append(text[start:end])
        found = text.find(level, end)
    return lines


def _has_unicode_escape(text: str) -> bool:
    """`"\\\\u" in text`, faster where backslashes are few: `str.find` of one character is a memchr."""
    at = text.find("\\")
    while at >= 0:
        if text.startswith("u", at + 1):
            return True
        at = text.find("\\", at + 1)
    return False


def entries_at(text: str, level: str) -> list[dict[str, Any]]:
    """The JSON entries of `level` among the lines of `text`, in order."""
    entries = (parse_line(raw) for raw in lines_at(text, level))
    return [entry for entry in entries if entry is not None and entry.get("level") == level]
