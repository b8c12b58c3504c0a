"""LangChain tools for Flux CD, generated from the fluxtools spec table.

```python
from langchain_fluxcd import FluxToolkit

tools = FluxToolkit(cluster="demo").get_tools()
```

Names load on first use, so `import langchain_fluxcd` costs little until a tool is needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fluxtools.integration import lazy_exports

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


def _generated_tool(name: str) -> str | None:
    """A generated tool class, e.g. FluxKustomizationListTool, lives in `tools`."""
    return "tools" if name.startswith("Flux") and name.endswith("Tool") else None


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS, _generated_tool)
