"""Reference tables derived from the spec table and FluxConfig, kept in README.md.

`python -m scripts.readme_tables README.md` (`make docs`) rewrites the marked sections; a test checks them.
A development tool: it lives outside the package and is not in the wheel.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from fluxtools import ALL_SPECS, FluxConfig, ToolSpec

MARKER = "<!-- generated:{name} -->"
END = "<!-- end:{name} -->"


def _param(name: str, prop: dict, required: list[str]) -> str:
    kind = "|".join(prop["enum"]) if "enum" in prop else prop.get("type", "")
    default = (
        f" = `{json.dumps(prop['default'])}`" if "default" in prop else (" (required)" if name in required else "")
    )
    return f"`{name}` {kind}{default}"


def tool_row(spec: ToolSpec) -> str:
    schema = spec.json_schema()
    params = "<br>".join(_param(n, p, schema["required"]) for n, p in schema["properties"].items())
    flags = ("mutating" if spec.mutating else "read-only") + (", idempotent" if spec.idempotent else "")
    timing = f"{spec.operation.value} ({spec.default_timeout:g}s)"
    return f"| `{spec.name}` | {spec.description} | {params} | {flags}, {timing} |"


def tools_table() -> str:
    rows = [tool_row(spec) for spec in ALL_SPECS]
    return "\n".join(["| tool | what it does | parameters | kind, timeout |", "|---|---|---|---|", *rows])


def config_table() -> str:
    rows = []
    for name, field in FluxConfig.model_fields.items():
        default = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
        rows.append(f"| `{name}` | `{json.dumps(default)}` | {field.description} |")
    return "\n".join(["| setting | default | meaning |", "|---|---|---|", *rows])


SECTIONS = {"tools": tools_table, "config": config_table}


def render(text: str) -> str:
    for name, build in SECTIONS.items():
        start, end = MARKER.format(name=name), END.format(name=name)
        pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
        text = pattern.sub(lambda _m, s=start, e=end, b=build: f"{s}\n{b()}\n{e}", text)
    return text


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    path.write_text(render(path.read_text()))
