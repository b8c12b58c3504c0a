"""The typed error tree every tool call can end in.

Each error carries a message in the specification's style, a short hint for the
model, and renders itself as the failure envelope.
"""

from __future__ import annotations

from typing import Any

INSTALL_HINTS = {
    "flux": "Install Flux CLI: curl -s https://fluxcd.io/install.sh | sudo bash",
    "kubectl": "Install kubectl: https://kubernetes.io/docs/tasks/tools/",
}


class FluxError(Exception):
    """Base of every error a tool call reports."""

    error_type = "FluxError"
    default_hint = ""
    retryable = False

    def __init__(self, message: str, *, hint: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint if hint is not None else self.default_hint
        self.field = field
        self.attempts = 1

    def to_envelope(self) -> dict[str, Any]:
        envelope: dict[str, Any] = {
            "success": False,
            "error": self.message,
            "error_type": self.error_type,
        }
        if self.hint:
            envelope["hint"] = self.hint
        if self.field:
            envelope["field"] = self.field
        if self.attempts > 1:
            envelope["attempts"] = self.attempts
        return envelope


class NotInstalled(FluxError):
    """The flux or kubectl binary cannot be found."""

    error_type = "NotInstalled"

    def __init__(self, binary: str, path: str | None = None) -> None:
        name = "flux" if "flux" in binary.rsplit("/", 1)[-1] else binary.rsplit("/", 1)[-1]
        install = INSTALL_HINTS.get(name, f"Install {name} or set its path in the configuration")
        super().__init__(
            f"{name} command not found. {install}",
            hint=f"Looked for '{path or binary}'. Set flux_path/kubectl_path in the configuration "
            "if it is installed elsewhere.",
        )


class FluxNotInitialized(FluxError):
    error_type = "FluxNotInitialized"
    default_hint = "The cluster has no Flux CRDs. Install Flux or point the kubeconfig at a Flux cluster."

    def __init__(self, detail: str = "") -> None:
        super().__init__("Flux not installed in cluster. Run: flux install")
        if detail:
            self.hint = f"{self.default_hint} ({detail})"


class NotFound(FluxError):
    error_type = "NotFound"

    def __init__(self, kind: str, name: str, namespace: str, *, hint: str | None = None) -> None:
        super().__init__(
            f"{kind} '{name}' not found in namespace '{namespace}'",
            hint=hint or f"List the {kind}s to see which names exist in '{namespace}'.",
        )


class PermissionDenied(FluxError):
    error_type = "PermissionDenied"
    default_hint = "The credentials in use lack the RBAC verbs this call needs."


class ClusterUnreachable(FluxError):
    error_type = "ClusterUnreachable"
    default_hint = "The API server did not answer. Check that the cluster is up and the context is right."

    def __init__(self, kubeconfig: str, detail: str = "", *, retryable: bool = False) -> None:
        super().__init__(f"Unable to connect to cluster. Check kubeconfig at {kubeconfig}")
        if detail:
            self.hint = f"{self.default_hint} ({detail})"
        self.retryable = retryable


class InvalidKubeconfig(FluxError):
    error_type = "InvalidKubeconfig"

    def __init__(self, kubeconfig: str, detail: str = "") -> None:
        super().__init__(
            f"Unable to connect to cluster. Check kubeconfig at {kubeconfig}",
            hint=f"The kubeconfig could not be used: {detail}" if detail else "The kubeconfig could not be used.",
        )


class Timeout(FluxError):
    error_type = "Timeout"

    def __init__(self, command: str, seconds: float) -> None:
        super().__init__(
            f"Command '{command}' timed out after {seconds:g}s",
            hint="Raise timeout_secs for this call, or check the cluster's responsiveness.",
        )


class InvalidInput(FluxError):
    error_type = "InvalidInput"


class PolicyDenied(FluxError):
    error_type = "PolicyDenied"


class Transient(FluxError):
    """A failure worth retrying: throttling, 5xx, leader changes, reset connections."""

    error_type = "Transient"
    default_hint = "A temporary API server failure; it was retried with backoff."
    retryable = True


class CommandFailed(FluxError):
    error_type = "CommandFailed"


class UnknownTool(FluxError):
    error_type = "UnknownTool"


class InternalError(FluxError):
    """An exception inside fluxtools that is not a FluxError (a bug), caught at the front end."""

    error_type = "InternalError"
