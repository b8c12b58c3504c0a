"""kubeconfig context names: what a call may put after `--context`."""

from __future__ import annotations

import re

CONTEXT_PATTERN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:@/+=-]{0,252}")
"""A context name as kubeconfigs write them (kind-x, gke_p_z_c, arn:aws:eks:…/c, user@cluster); never a flag."""


def check_context(value: str) -> str:
    if not isinstance(value, str) or not CONTEXT_PATTERN.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a kubeconfig context name; allowed: letters, digits and _ . : @ / + = -, "
            "starting with a letter, digit or _, at most 253 characters"
        )
    return value
