"""Argument types that make a value safe to put on a command line.

Kubernetes names and namespaces are RFC 1123; durations are Go-style and
bounded. Every rejection explains what is allowed.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

NAMESPACE_PATTERN = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
NAME_PATTERN = re.compile(r"[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")
DURATION_PATTERN = re.compile(r"(?:(\d{1,4})h)?(?:(\d{1,5})m)?(?:(\d{1,7})s)?")
MAX_SINCE_SECONDS = 7 * 24 * 3600
CONTEXT_PATTERN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:@/+=-]{0,252}")
"""A kubeconfig context name as kubeconfigs write them (kind-x, gke_p_z_c, arn:aws:eks:…/c, user@cluster);
never a flag."""


def _require_str(value: object) -> object:
    if not isinstance(value, str):
        raise ValueError(f"must be a string, got {type(value).__name__}")
    return value


def check_name(value: str) -> str:
    """A Kubernetes object name: RFC 1123 subdomain, at most 253 characters."""
    if not value:
        raise ValueError("must not be empty; allowed: lowercase letters, digits, '-' and '.'")
    if len(value) > 253:
        raise ValueError(f"is {len(value)} characters long; at most 253 are allowed")
    if not NAME_PATTERN.fullmatch(value) or ".." in value:
        raise ValueError(
            f"{_shown(value)} is not a valid Kubernetes name; allowed: lowercase letters, digits, "
            "'-' and '.', starting and ending with a letter or digit"
        )
    return value


def check_namespace(value: str) -> str:
    """A Kubernetes namespace: RFC 1123 label, at most 63 characters."""
    if not value:
        raise ValueError("must not be empty; allowed: lowercase letters, digits and '-'")
    if len(value) > 63:
        raise ValueError(f"is {len(value)} characters long; at most 63 are allowed")
    if not NAMESPACE_PATTERN.fullmatch(value):
        raise ValueError(
            f"{_shown(value)} is not a valid namespace; allowed: lowercase letters, digits and '-', "
            "starting and ending with a letter or digit"
        )
    return value


def check_context(value: str) -> str:
    """A kubeconfig context name: what a call may put after `--context`."""
    if not isinstance(value, str) or not CONTEXT_PATTERN.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a kubeconfig context name; allowed: letters, digits and _ . : @ / + = -, "
            "starting with a letter, digit or _, at most 253 characters"
        )
    return value


def duration_seconds(value: str) -> int:
    """Seconds in a Go-style duration such as `30s`, `5m` or `1h30m`."""
    match = DURATION_PATTERN.fullmatch(value)
    if not value or not match or not any(match.groups()):
        raise ValueError(f"{_shown(value)} is not a duration; use forms like '30s', '5m' or '1h30m'")
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def check_since(value: str) -> str:
    total = duration_seconds(value)
    if not 1 <= total <= MAX_SINCE_SECONDS:
        raise ValueError(f"{_shown(value)} must be between 1s and 168h")
    return value


def _shown(value: str) -> str:
    text = value if len(value) <= 60 else value[:57] + "..."
    return repr(text)


KubeName = Annotated[
    str,
    BeforeValidator(_require_str),
    AfterValidator(check_name),
]
Namespace = Annotated[
    str,
    BeforeValidator(_require_str),
    AfterValidator(check_namespace),
]
Since = Annotated[str, BeforeValidator(_require_str), AfterValidator(check_since)]
ContextName = Annotated[str, AfterValidator(check_context)]
