"""LangChain tools for Flux CD, generated from the fluxtools spec table.

```python
from langchain_fluxcd import FluxToolkit

tools = FluxToolkit(cluster="demo").get_tools()
```

Names load on first use, so `import langchain_fluxcd` costs little until a tool is needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .toolkit import FluxToolkit
    from .tools import TOOL_CLASSES, FluxTool, FluxToolError, flux_tool, tool_class

__version__ = "0.1.0"

_EXPORTS = {
    "FluxToolkit": "toolkit",
    "FluxTool": "tools",
    "FluxToolError": "tools",
    "TOOL_CLASSES": "tools",
    "flux_tool": "tools",
    "tool_class": "tools",
}
__all__ = ["FluxTool", "FluxToolError", "FluxToolkit", "TOOL_CLASSES", "flux_tool", "tool_class"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None and name.startswith("Flux") and name.endswith("Tool"):
        module = "tools"  # a generated tool class, e.g. FluxKustomizationListTool
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
