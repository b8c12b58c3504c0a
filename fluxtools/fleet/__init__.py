"""Fleet reads: one tool call across several kubeconfig contexts, one answer.

Each cluster is its own `FluxTools` (tenancy, read-only, masking and audit apply
per cluster); all of them share one process limit. `run` fans a call out,
`merge` folds the clusters' answers (causes shared across clusters grouped
once), `shape` fits the answer to the output budget. Importing this package
is light: the specs import `args` from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FLEET_FIELDS = ("contexts", "all_contexts")


def requested(args: Any) -> bool:
    """Whether a call's raw arguments ask for a fleet answer."""
    if not isinstance(args, Mapping):
        return False
    return args.get("contexts") is not None or args.get("all_contexts") not in (None, False)
