"""LlamaIndex tools for Flux CD, generated from the fluxtools spec table.

```python
from llama_index.tools.fluxcd import FluxToolSpec

tools = FluxToolSpec(cluster="demo").to_tool_list()
```

Names load on first use, so importing the package costs little until a tool is needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fluxtools.integration import lazy_exports

if TYPE_CHECKING:
    from .base import FluxToolError, FluxToolSpec

__version__ = "0.1.0"

_EXPORTS = {"FluxToolSpec": "base", "FluxToolError": "base"}

__all__ = ["FluxToolError", "FluxToolSpec"]


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
