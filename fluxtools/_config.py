"""`FluxConfig`: how fluxtools reaches a cluster and which rules it applies.

Sources, strongest first: keyword arguments, a YAML file (the specification's
`tools: - type: flux` list, an agent spec's `config: flux:` block, or a bare
mapping), then the environment (`KUBECONFIG`, `FLUX_NAMESPACE`,
`FLUXTOOLS_CLUSTER`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from fluxtools._errors import IN_CLUSTER, NO_KUBECONFIG, RECORDED, ConfigError
from fluxtools._validation import NAMESPACE_PATTERN, check_context

DEFAULT_NAMESPACE = "flux-system"
SERVICE_ACCOUNT_TOKEN = Path("/var/run/secrets/kubernetes.io/serviceaccount/token")


class FluxConfig(BaseModel):
    """Connection, policy and runtime settings shared by every tool."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, arbitrary_types_allowed=True)

    kubeconfig: str | None = Field(None, description="Path to the kubeconfig file (default: $KUBECONFIG).")
    context: str | None = Field(None, description="kubeconfig context to use (default: the current one).")
    namespace: str = Field(DEFAULT_NAMESPACE, description="Default namespace for operations ($FLUX_NAMESPACE).")
    timeout_secs: float | None = Field(
        None, gt=0, le=3600, description="Overrides every operation's timeout (seconds)."
    )
    cluster: Literal["demo"] | None = Field(
        None, description="'demo' serves the embedded recorded demo cluster ($FLUXTOOLS_CLUSTER)."
    )
    flux_path: str = Field("flux", description="flux binary name or path.")
    kubectl_path: str = Field("kubectl", description="kubectl binary name or path.")
    read_only: bool = Field(False, description="Refuse every mutating tool.")
    enforce_namespace: bool = Field(False, description="Keep every call inside the allowed namespaces.")
    allowed_namespaces: list[str] = Field(
        default_factory=list, description="Namespaces allowed with enforce_namespace (default: namespace)."
    )
    flux_namespace: str = Field(
        DEFAULT_NAMESPACE, description="Namespace of the Flux controllers (the only one flux_logs reads under tenancy)."
    )
    output_cap_bytes: int = Field(
        8 * 1024 * 1024, ge=1024, description="Most bytes kept from a command's stdout or stderr."
    )
    retry_attempts: int = Field(3, ge=1, le=10, description="Attempts for transient failures (idempotent tools).")
    retry_max_delay_secs: float = Field(20.0, ge=0, description="Most total backoff delay between attempts.")
    poll_interval_secs: float = Field(2.0, gt=0, le=60, description="How often reconcile verdicts are polled.")
    max_concurrency: int = Field(8, ge=1, le=256, description="Most flux/kubectl processes at once.")
    output_budget_bytes: int = Field(
        16 * 1024, ge=1024, le=1_048_576, description="Largest answer in bytes (per call: max_bytes)."
    )
    cache_ttl_secs: float = Field(30.0, ge=0, description="How long list/get results are reused (0: no cache).")
    require_approval: bool = Field(False, description="Mutations need a yes from the approver callback.")
    approver: Callable[..., Any] | None = Field(
        None, exclude=True, description="Callback (sync or async) asked before each mutation."
    )
    audit_log: str | None = Field(None, description="JSONL file recording every mutation attempt (mode 0600).")
    reconcile_min_interval_secs: float = Field(
        10.0, ge=0, description="Least time between two reconciles of the same object."
    )
    breaker_failures: int = Field(
        3, ge=1, description="Failed verdicts in a row (within the window) that open the circuit."
    )
    breaker_window_secs: float = Field(600.0, gt=0, description="Window and cool-down of the circuit breaker.")
    toolsets: list[str] = Field(
        default_factory=list,
        description="Offer only the tools of these groups: read, operate, diagnose, sources, images, fleet "
        "(default: every tool).",
    )
    fleet_contexts: list[str] = Field(
        default_factory=list,
        description="Allow-list of kubeconfig contexts a fleet call (contexts, all_contexts) may read; "
        "without it there are no fleet calls.",
    )
    fleet_max_concurrency: int = Field(
        128,
        ge=1,
        le=1024,
        description="Most flux/kubectl processes at once across all clusters of a fleet call "
        "(each ~12 MB of memory not shared with the others).",
    )
    trace_content: bool = Field(
        False, description="Record tool arguments and results, masked, on trace spans (OpenTelemetry)."
    )
    verdict_watch: bool = Field(
        True,
        description="Follow reconcile/resume verdicts with a kubectl watch (polling when the watch cannot decide); "
        "false: poll only.",
    )

    @field_validator("namespace", "flux_namespace")
    @classmethod
    def _namespace_is_a_label(cls, value: str) -> str:
        if not NAMESPACE_PATTERN.fullmatch(value):
            raise ValueError(f"'{value}' is not a valid namespace (RFC 1123 label)")
        return value

    @field_validator("allowed_namespaces")
    @classmethod
    def _allowed_are_labels(cls, values: list[str]) -> list[str]:
        for value in values:
            cls._namespace_is_a_label(value)
        return values

    @field_validator("toolsets")
    @classmethod
    def _known_toolsets(cls, values: list[str]) -> list[str]:
        from fluxtools._toolsets import check_toolsets

        return check_toolsets(values)

    @field_validator("fleet_contexts")
    @classmethod
    def _contexts_are_names(cls, values: list[str]) -> list[str]:
        for value in values:
            check_context(value)
        return list(dict.fromkeys(values))

    @classmethod
    def load(cls, config_file: str | os.PathLike[str] | None = None, **overrides: Any) -> FluxConfig:
        """Merge environment, an optional YAML file and keyword overrides."""
        merged: dict[str, Any] = _from_env()
        if config_file is not None:
            merged.update(read_config_file(config_file))
        merged.update({key: value for key, value in overrides.items() if value is not None})
        return cls.build(merged)

    @classmethod
    def build(cls, values: dict[str, Any]) -> FluxConfig:
        """Validate a mapping, turning pydantic errors into one clear `ConfigError`."""
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'config'}: {err['msg']}" for err in exc.errors()
            )
            raise ConfigError(f"Invalid fluxtools configuration: {problems}") from None

    def namespaces_allowed(self) -> list[str]:
        return self.allowed_namespaces or [self.namespace]

    def timeout_for(self, default_secs: float) -> float:
        return self.timeout_secs or default_secs

    def kubeconfig_display(self) -> str:
        """The kubeconfig the clients use, as they look for it; or that none was found, and where we looked."""
        if self.cluster == "demo":
            return RECORDED  # what the recorded commands used, whatever is configured here
        if self.kubeconfig and os.pathsep not in self.kubeconfig:
            return self.kubeconfig  # passed as --kubeconfig: the client reports a missing file itself
        listed = self.kubeconfig or os.environ.get("KUBECONFIG")
        home = Path("~/.kube/config").expanduser()
        if listed:
            found = [path for path in listed.split(os.pathsep) if path and Path(path).expanduser().is_file()]
            if found:
                return os.pathsep.join(found)
            looked = [f"KUBECONFIG={listed} (no such file)"]
        elif home.is_file():
            return str(home)
        else:
            looked = ["KUBECONFIG (unset)", f"{home} (no such file)"]
        if os.environ.get("KUBERNETES_SERVICE_HOST") and SERVICE_ACCOUNT_TOKEN.is_file():
            return IN_CLUSTER
        looked.append("in-cluster service account (not in a pod)")
        return f"{NO_KUBECONFIG} (looked at {', '.join(looked)})"


def _from_env() -> dict[str, Any]:
    values: dict[str, Any] = {}
    if os.environ.get("KUBECONFIG"):
        values["kubeconfig"] = os.environ["KUBECONFIG"]
    if os.environ.get("FLUX_NAMESPACE"):
        values["namespace"] = os.environ["FLUX_NAMESPACE"]
    if os.environ.get("FLUXTOOLS_CLUSTER"):
        values["cluster"] = os.environ["FLUXTOOLS_CLUSTER"]
    return values


def flux_block(document: Any) -> dict[str, Any]:
    """Find the flux settings in any of the accepted YAML shapes."""
    if not isinstance(document, dict):
        raise ConfigError("Invalid fluxtools configuration: the YAML document must be a mapping")
    spec = document.get("spec", document)
    tools = spec.get("tools") if isinstance(spec, dict) else None
    if isinstance(tools, list):
        for tool in tools:
            if isinstance(tool, dict) and tool.get("type") == "flux":
                return dict(tool.get("config") or {})
    config = spec.get("config") if isinstance(spec, dict) else None
    if isinstance(config, dict):
        if isinstance(config.get("flux"), dict):
            return dict(config["flux"])
        return dict(config)
    if isinstance(spec, dict) and not isinstance(tools, list):
        return dict(spec)
    return {}


def read_text(path: str | os.PathLike[str], what: str) -> str:
    """A configuration file's text; a file that cannot be read, or is not UTF-8, is a ConfigError naming `what`."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ConfigError(f"Cannot read {what} {path}: {reason}") from None


def parse_yaml(text: str, where: str) -> Any:
    """One YAML document; text that is not YAML is a ConfigError saying `where` it came from."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where} is not valid YAML: {exc}") from None


def read_config_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    file = Path(path)
    document = parse_yaml(read_text(file, "config file"), f"Config file {file}")
    return flux_block(document or {})
