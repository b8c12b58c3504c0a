"""The answer's stages after the tool's own step, the same for every tool.

page the declared list (filters, limit, continue) → confine to the allowed
namespaces → the tool's final form (`present`) → shrink when the tool has a
smaller form and the answer is over budget → fit the budget → mask secrets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fluxtools import _budget as budget
from fluxtools import _policy as policy
from fluxtools._masking import mask_value
from fluxtools.specs import ToolArgs, ToolSpec

Fit = Callable[[dict[str, Any], int], dict[str, Any]]


def fitted(data: dict[str, Any], limit: int, fit: Fit = budget.fit) -> dict[str, Any]:
    """Masked and within `limit` bytes: trimmed first (by `fit`), so that only what is returned is masked."""
    masked = mask_value(fit(data, limit))
    return masked if budget.size(masked) <= limit else fit(masked, limit)


def shape(
    spec: ToolSpec, data: dict[str, Any], args: ToolArgs, allowed: tuple[str, ...] | None, limit: int
) -> dict[str, Any]:
    if spec.list_key is not None:
        data = budget.page(data, spec.list_key, args)
    if allowed is not None:
        data = policy.confine(data, allowed)
    if spec.present is not None:
        data = spec.present(data)
    if spec.shrink is not None and budget.size(data) > limit:
        data = spec.shrink(data)
    return fitted(data, limit)
