"""LlamaIndex tools for Flux CD, generated from the fluxtools spec table.

```python
from llama_index.tools.fluxcd import FluxToolSpec

tools = FluxToolSpec(cluster="demo").to_tool_list()
```

Names load on first use, so importing the package costs little until a tool is needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .base import FluxToolError, FluxToolSpec

__version__ = "0.1.0"

_EXPORTS = {"FluxToolSpec": "base", "FluxToolError": "base"}

__all__ = ["FluxToolError", "FluxToolSpec"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
