"""The typed error tree every tool call can end in, in one place.

Each error carries a message in the specification's style, a short hint for the
model, and renders itself as the failure envelope (`error_type` is its name there)::

    FluxError
    ├── NotInstalled          flux or kubectl is not on the PATH
    ├── FluxNotInitialized    the cluster has no Flux CRDs
    ├── NotFound              the named object does not exist
    ├── PermissionDenied      RBAC refused the read or the change
    ├── AuthenticationFailed  the credential plugin failed, or the API server rejected the credentials
    ├── AdmissionRefused      an admission webhook or policy refused the change (or could not be called)
    ├── ClusterUnreachable    the API server did not answer (retried when transient)
    ├── InvalidKubeconfig     the kubeconfig or context cannot be used
    ├── Timeout               the command ran past its timeout (its process group is killed)
    ├── InvalidInput          arguments rejected before anything ran
    ├── PolicyDenied          read-only mode, tenancy or approval refused the call
    ├── RateLimited           the reconcile guard refused (too soon, in flight, circuit open)
    ├── Transient             throttling, 5xx, leader changes (retried with backoff)
    ├── CommandFailed         the command failed in a way nothing above explains
    ├── UnknownTool           no tool of that name
    ├── NotRecorded           the demo cluster has no recording of this call
    ├── ConfigError           a configuration value is invalid (error_type InvalidConfig)
    ├── AuditError            the audit log could not be written (error_type AuditFailed)
    └── InternalError         an unexpected failure inside fluxtools (masked, no traceback)
"""

from __future__ import annotations

from typing import Any

INSTALL_HINTS = {
    "flux": "Install Flux CLI: curl -s https://fluxcd.io/install.sh | sudo bash",
    "kubectl": "Install kubectl: https://kubernetes.io/docs/tasks/tools/",
}


NO_KUBECONFIG = "no kubeconfig found"
IN_CLUSTER = "the in-cluster service account"
RECORDED = "the demo's recorded kubeconfig"
"""What the demo cluster's commands used: the lab's kubeconfig when they were recorded."""
DEMO_TIP = "Without a cluster, --cluster demo (or FLUXTOOLS_CLUSTER=demo) shows every tool on a recorded one."


def connection_message(kubeconfig: str) -> str:
    """'Unable to connect' naming what the clients used: a kubeconfig path, the in-cluster account, or nothing."""
    if kubeconfig.startswith(NO_KUBECONFIG):
        return f"Unable to connect to cluster: {kubeconfig}"
    if kubeconfig == IN_CLUSTER:
        return f"Unable to connect to cluster using {IN_CLUSTER}"
    if kubeconfig == RECORDED:
        return "Unable to connect to cluster (as recorded from this context of the lab's kubeconfig)"
    return f"Unable to connect to cluster. Check kubeconfig at {kubeconfig}"


def connection_hint(hint: str, kubeconfig: str, detail: str) -> str:
    """The hint, and the way to the demo when there is no cluster to talk to: no kubeconfig, or a refused one."""
    no_cluster = kubeconfig.startswith(NO_KUBECONFIG) or " was refused" in detail or "connection refused" in detail
    if not no_cluster or kubeconfig == RECORDED:
        return hint
    return f"{hint}{' ' if hint.endswith(('.', '?', ')')) else '. '}{DEMO_TIP}"


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


class AuthenticationFailed(FluxError):
    """The cluster did not learn who is calling: the kubeconfig's credential plugin failed, or the API server
    rejected the credentials (an expired or revoked token). Logging in again is the way out, not RBAC."""

    error_type = "AuthenticationFailed"
    login_hint = "Log in again with the tool that issues these credentials (an SSO or cloud login), then retry."

    @classmethod
    def plugin_failed(cls, kubeconfig: str, failure: str, said: str) -> AuthenticationFailed:
        """The exec credential plugin failed (`failure` as client-go states it); `said` is the plugin's own stderr."""
        message = f"Could not get credentials for the cluster (kubeconfig {kubeconfig}): {failure}"
        said_text = f"The credential plugin said: {said}" if said else "The credential plugin wrote no message"
        return cls(message, hint=f"{said_text}. {cls.login_hint}")

    @classmethod
    def rejected(cls, kubeconfig: str, detail: str) -> AuthenticationFailed:
        """The API server answered 401 to the credentials in use."""
        message = f"The API server rejected the credentials of kubeconfig {kubeconfig} (Unauthorized)"
        hint = f"The token or certificate in use has expired or was revoked ({detail}). {cls.login_hint}"
        return cls(message, hint=hint)


class AdmissionRefused(FluxError):
    """The API server's admission refused a change: a webhook or policy denied it, or a webhook it must call
    did not answer. Nothing was changed; retrying does not help until the webhook or policy changes."""

    error_type = "AdmissionRefused"

    def __init__(self, verb: str, object_text: str, detail: str, *, unanswered: str | None = None) -> None:
        if unanswered:
            message = f"The API server refused to {verb} {object_text}: admission webhook '{unanswered}' did not answer"
            hint = (
                "Nothing was changed. The cluster's administrators must bring the webhook back or change its "
                f"failurePolicy before this can succeed ({detail})"
            )
        else:
            message = f"The API server refused to {verb} {object_text}: admission denied the change"
            hint = f"Nothing was changed. The admission webhook or policy said why: {detail}"
        super().__init__(message, hint=hint)


class ClusterUnreachable(FluxError):
    error_type = "ClusterUnreachable"
    default_hint = "The API server did not answer. Check that the cluster is up and the context is right."
    tls_hint = "The API server's certificate was not accepted. Check the kubeconfig's server address and CA data."

    def __init__(self, kubeconfig: str, detail: str = "", *, retryable: bool = False) -> None:
        super().__init__(connection_message(kubeconfig))
        if detail:
            tls = "x509: " in detail or "tls: " in detail
            self.hint = f"{self.tls_hint if tls else self.default_hint} ({detail})"
        self.hint = connection_hint(self.hint, kubeconfig, detail)
        self.retryable = retryable


class InvalidKubeconfig(FluxError):
    error_type = "InvalidKubeconfig"

    def __init__(self, kubeconfig: str, detail: str = "") -> None:
        if kubeconfig.startswith(NO_KUBECONFIG):
            hint = "Set KUBECONFIG or the kubeconfig setting to a kubeconfig file for the cluster"
        elif "localhost:8080" in detail:
            hint = "The kubeconfig names no server for the context in use, so the client tried localhost:8080"
        else:
            hint = "The kubeconfig could not be used"
        hint = f"{hint}: {detail}" if detail else f"{hint}."
        super().__init__(connection_message(kubeconfig), hint=connection_hint(hint, kubeconfig, detail))


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


class RateLimited(FluxError):
    error_type = "RateLimited"


class NotRecorded(FluxError):
    error_type = "NotRecorded"


class ConfigError(FluxError):
    error_type = "InvalidConfig"


class AuditError(FluxError):
    error_type = "AuditFailed"


class InternalError(FluxError):
    error_type = "InternalError"
    default_hint = "An unexpected failure inside fluxtools; the call may be retried, and the details are logged."


ERROR_TYPES: tuple[type[FluxError], ...] = (
    NotInstalled,
    FluxNotInitialized,
    NotFound,
    PermissionDenied,
    AuthenticationFailed,
    AdmissionRefused,
    ClusterUnreachable,
    InvalidKubeconfig,
    Timeout,
    InvalidInput,
    PolicyDenied,
    RateLimited,
    Transient,
    CommandFailed,
    UnknownTool,
    NotRecorded,
    ConfigError,
    AuditError,
    InternalError,
)
"""Every error a call can end in, in the order of the tree above."""
