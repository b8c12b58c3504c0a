"""Map a failed flux/kubectl command to a typed `FluxError`, by its real stderr texts."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import (
    ClusterUnreachable,
    CommandFailed,
    FluxError,
    FluxNotInitialized,
    InvalidKubeconfig,
    NotFound,
    PermissionDenied,
    Transient,
)
from .runners import CommandResult

STDERR_LIMIT = 2000

KUBECONFIG_TEXTS = (
    "no configuration has been provided",
    "context was not found",
    "error loading config file",
    "couldn't get current server api group list: get \"http://localhost:8080",
    "invalid configuration",
    "unable to load kubeconfig",
    "no such file or directory",
    "yaml: ",
    "json: cannot unmarshal",
)
AUTH_TEXTS = ("provide credentials", "unauthorized")
FORBIDDEN_TEXTS = ("forbidden",)
NO_FLUX_TEXTS = (
    "no matches for",
    "could not find the requested resource",
    "doesn't have a resource type",
    "unable to retrieve the complete list of server apis",
)
RETRYABLE_UNREACHABLE_TEXTS = (
    "connection refused",
    "was refused",
    "connection reset",
    "tls handshake timeout",
    "i/o timeout",
    "broken pipe",
    "unexpected eof",
)
UNREACHABLE_TEXTS = ("no such host", "unable to connect to the server", "network is unreachable", "no route to host")
TRANSIENT_TEXTS = (
    "too many requests",
    "(429)",
    "(500)",
    "(502)",
    "(503)",
    "(504)",
    "internalerror",
    "serviceunavailable",
    "service unavailable",
    "etcdserver: leader changed",
    "etcdserver: request timed out",
    "currently unable to handle the request",
    "the object has been modified",
)


@dataclass(frozen=True)
class Target:
    """What a command was about, for messages in the specification's words."""

    kind: str | None = None
    name: str | None = None
    namespace: str | None = None
    verb: str = "read"

    def object_text(self) -> str:
        if self.kind and self.name:
            return f"{self.kind.lower()}/{self.name}"
        if self.kind:
            scope = f" in namespace '{self.namespace}'" if self.namespace else " in all namespaces"
            return f"{self.kind.lower()}s{scope}"
        return "this resource"


def trimmed_stderr(result: CommandResult) -> str:
    text = result.stderr.strip() or result.stdout.strip()
    if len(text) > STDERR_LIMIT:
        text = text[: STDERR_LIMIT - 3] + "..."
    return text


def _has(text: str, needles: tuple[str, ...]) -> bool:
    return any(needle in text for needle in needles)


def _names_missing(text: str, name: str) -> bool:
    """API not-found texts name the object: `"x" not found`, `'x' not found`, `x not found`."""
    return any(f"{quote}{name}{quote} not found" in text for quote in ('"', "'", ""))


def classify(result: CommandResult, target: Target, kubeconfig: str) -> FluxError:
    """The error a failed command stands for; `CommandFailed` when nothing known matches."""
    detail = trimmed_stderr(result)
    text = detail.lower()
    if _has(text, RETRYABLE_UNREACHABLE_TEXTS):
        return ClusterUnreachable(kubeconfig, detail, retryable=True)
    if _has(text, UNREACHABLE_TEXTS):
        return ClusterUnreachable(kubeconfig, detail)
    missing_context = text.startswith('error: context "') and "does not exist" in text
    if (_has(text, KUBECONFIG_TEXTS) or missing_context) and "forbidden" not in text:
        return InvalidKubeconfig(kubeconfig, detail)
    if _has(text, AUTH_TEXTS):
        return PermissionDenied(
            f"Insufficient permissions to {target.verb} {target.object_text()}",
            hint=f"The API server rejected the credentials: {detail}",
        )
    if _has(text, FORBIDDEN_TEXTS):
        return PermissionDenied(f"Insufficient permissions to {target.verb} {target.object_text()}", hint=detail)
    if _has(text, NO_FLUX_TEXTS):
        return FluxNotInitialized(detail)
    if _has(text, TRANSIENT_TEXTS):
        return Transient(f"Temporary API server failure: {detail}")
    if target.kind and target.name and _names_missing(text, target.name):
        return NotFound(target.kind, target.name, target.namespace or "")
    return CommandFailed(f"Command failed (exit {result.exit_code}): {detail or 'no output'}")
