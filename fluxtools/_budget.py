"""Output budget: filter, page and trim answers so each fits a byte budget.

Lists keep exact totals and counts by state and say how to narrow when cut;
logs keep the newest lines; anything else has its longest strings shortened.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

ELLIPSIS = "…[cut]"
CLOSING_KEYS = ("notes", "unread")
"""What a list answer ends with, after its paging fields."""


def size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def _matches(item: dict[str, Any], status: str | None, name_contains: str | None) -> bool:
    if name_contains and name_contains not in item.get("name", ""):
        return False
    if status == "suspended":
        return bool(item.get("suspended"))
    if status == "ready":
        return item.get("ready") == "True" and not item.get("suspended")
    if status == "not_ready":
        return item.get("ready") != "True" and not item.get("suspended")
    return True


def window(entries: list[Any], args: Any) -> tuple[list[Any], dict[str, Any]]:
    """The page of `entries` the caller asked for (limit, continue), and the fields saying where it is:
    `offset` when it does not start at the first entry, `continue` when entries remain after it."""
    offset = int(getattr(args, "continue_", None) or 0)
    limit = getattr(args, "limit", None)
    end = len(entries) if limit is None else min(len(entries), offset + limit)
    where: dict[str, Any] = {}
    if offset:
        where["offset"] = offset
    if end < len(entries):
        where["continue"] = str(end)
    return entries[offset:end], where


def page(data: dict[str, Any], key: str, args: Any) -> dict[str, Any]:
    """Apply the list filters (status, name_contains) and paging (limit, continue)."""
    status = getattr(args, "status", None)
    name_contains = getattr(args, "name_contains", None)
    matched = [item for item in data[key] if _matches(item, status, name_contains)]
    entries, where = window(matched, args)
    data = {**data, key: entries, "matched": len(matched), **where}
    for closing in CLOSING_KEYS:
        if closing in data:
            data[closing] = data.pop(closing)
    return data


def fit(data: dict[str, Any], budget: int) -> dict[str, Any]:
    """The largest answer within `budget` bytes, saying what was left out.

    The largest list in the answer (list items, report findings) is cut from the end, so what comes
    first (ranked root causes, the first page) stays; logs keep their newest lines.
    """
    if size(data) <= budget:
        return data
    lists = [key for key, value in data.items() if isinstance(value, list) and value]
    if lists:
        return _fit_list(data, max(lists, key=lambda key: size(data[key])), budget)
    if isinstance(data.get("logs"), str):
        return _fit_logs(data, budget)
    return _fit_strings(data, budget)


def _fit_list(data: dict[str, Any], key: str, budget: int) -> dict[str, Any]:
    items = data[key]
    start = int(data.get("offset", 0))
    paged = "total" in data

    def render(n: int) -> dict[str, Any]:
        more = {"continue": str(start + n)} if paged else {"omitted": len(items) - n}
        return {**data, key: items[:n], **more, "truncated": True, "narrow": _NARROW}

    kept = _largest_prefix(items, render, budget)
    return render(kept) if kept else _fit_strings({**data, key: items[:1]}, budget)


_NARROW = (
    "Cut to fit the output budget. Narrow with status (ready, not_ready, suspended), namespace or name_contains, "
    "page with limit and continue (lists), or raise max_bytes."
)


def largest(high: int, fits: Callable[[int], bool]) -> int:
    """The largest n in 0..high that fits (fits is monotone; 0 when nothing larger fits)."""
    low = 0
    while low < high:
        mid = (low + high + 1) // 2
        if fits(mid):
            low = mid
        else:
            high = mid - 1
    return low


def _largest_prefix(items: list[Any], render: Any, budget: int) -> int:
    return largest(len(items), lambda n: size(render(n)) <= budget)


def _fit_logs(data: dict[str, Any], budget: int) -> dict[str, Any]:
    lines = data["logs"].split("\n")

    def render(n: int) -> dict[str, Any]:
        note = f"Kept the newest {n} of {len(lines)} lines to fit the output budget; lower tail or filter."
        return {**data, "logs": "\n".join(lines[len(lines) - n :]), "lines": n, "truncated": True, "note": note}

    return render(_largest_prefix(lines, render, budget))


def _fit_strings(data: Any, budget: int) -> Any:
    limit = 4096
    while limit >= 64:
        trimmed = _trim(data, limit)
        if size(trimmed) <= budget:
            return {**trimmed, "truncated": True} if isinstance(trimmed, dict) else trimmed
        limit //= 2
    return {"truncated": True, "note": "The answer did not fit the output budget; raise max_bytes."}


def _trim(value: Any, limit: int) -> Any:
    if isinstance(value, str):
        return value if len(value) <= limit else value[:limit] + ELLIPSIS
    if isinstance(value, list):
        return [_trim(item, limit) for item in value]
    if isinstance(value, dict):
        return {key: _trim(item, limit) for key, item in value.items()}
    return value
