"""fluxtools: safe, fast, structured Flux CD tools for LLM agents."""

from .config import ConfigError, FluxConfig
from .errors import (
    ClusterUnreachable,
    CommandFailed,
    FluxError,
    FluxNotInitialized,
    InvalidInput,
    InvalidKubeconfig,
    NotFound,
    NotInstalled,
    PermissionDenied,
    PolicyDenied,
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
    "REGISTRY",
    "ClusterUnreachable",
    "CommandFailed",
    "CommandResult",
    "ConfigError",
    "FluxConfig",
    "FluxError",
    "FluxNotInitialized",
    "FluxTools",
    "InvalidInput",
    "InvalidKubeconfig",
    "NotFound",
    "NotInstalled",
    "Operation",
    "PermissionDenied",
    "PolicyDenied",
    "Runner",
    "SubprocessRunner",
    "Timeout",
    "ToolSpec",
    "Transient",
    "UnknownTool",
    "get_spec",
]
