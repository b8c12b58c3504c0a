"""fluxtools: safe, fast, structured Flux CD tools for LLM agents."""

from .config import FluxConfig
from .errors import (
    ERROR_TYPES,
    AuditError,
    ClusterUnreachable,
    CommandFailed,
    ConfigError,
    FluxError,
    FluxNotInitialized,
    InternalError,
    InvalidInput,
    InvalidKubeconfig,
    NotFound,
    NotInstalled,
    NotRecorded,
    PermissionDenied,
    PolicyDenied,
    RateLimited,
    Timeout,
    Transient,
    UnknownTool,
)
from .executor import FluxTools
from .runners import CommandResult, Runner, SubprocessRunner
from .specs import ALL_SPECS, REGISTRY, Operation, ToolSpec, get_spec

__version__ = "0.1.0"

__all__ = [
    "ALL_SPECS",
    "ERROR_TYPES",
    "REGISTRY",
    "AuditError",
    "ClusterUnreachable",
    "CommandFailed",
    "CommandResult",
    "ConfigError",
    "FluxConfig",
    "FluxError",
    "FluxNotInitialized",
    "FluxTools",
    "InternalError",
    "InvalidInput",
    "InvalidKubeconfig",
    "NotFound",
    "NotInstalled",
    "NotRecorded",
    "Operation",
    "PermissionDenied",
    "PolicyDenied",
    "RateLimited",
    "Runner",
    "SubprocessRunner",
    "Timeout",
    "ToolSpec",
    "Transient",
    "UnknownTool",
    "get_spec",
]
