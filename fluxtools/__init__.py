"""fluxtools: safe, fast, structured Flux CD tools for LLM agents.

The public surface is this package: the one entry of every call (`FluxTools`), its
configuration (`FluxConfig`), the error tree, the runner protocol with the subprocess
runner and a base for runners that wrap another (`WrappingRunner`), the tools as
published (`ALL_SPECS`, `REGISTRY`, `get_spec`) and the masking rule.
`fluxtools.integration` (adapters, MCP, CLI), `fluxtools.testing` (runners for tests)
and `fluxtools.pytest_plugin` (cassettes) are public modules; every module whose name
starts with `_` is private.
"""

from fluxtools._config import FluxConfig
from fluxtools._entry import FluxTools
from fluxtools._errors import (
    ERROR_TYPES,
    AdmissionRefused,
    AuditError,
    AuthenticationFailed,
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
from fluxtools._masking import mask_text, mask_value
from fluxtools._process.runners import CommandResult, Runner, SubprocessRunner, WrappingRunner
from fluxtools._published import ALL_SPECS, REGISTRY, get_spec
from fluxtools._version import __version__ as __version__
from fluxtools.specs import Operation, ToolSpec

__all__ = [
    "ALL_SPECS",
    "ERROR_TYPES",
    "REGISTRY",
    "AdmissionRefused",
    "AuditError",
    "AuthenticationFailed",
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
    "WrappingRunner",
    "get_spec",
    "mask_text",
    "mask_value",
]
