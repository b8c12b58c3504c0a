"""Every Python example in the adapters' READMEs runs, on the recorded demo cluster.

Examples use a real model provider; here the lines importing a provider's client are dropped
and the line assigning `model`/`llm` is replaced by a scripted model that calls the tools.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from langchain_fluxcd.testing import ScriptedChatModel
from llama_index.tools.fluxcd.testing import scripted_llm

ADAPTERS = Path(__file__).resolve().parents[2] / "adapters"
READMES = [ADAPTERS.parent / "README.md", *sorted(ADAPTERS.glob("*/README.md"))]
PROVIDER_IMPORT = re.compile(r"^from (langchain\.chat_models|llama_index\.llms\.\w+) import .*$", re.MULTILINE)
KINDS = ("kustomizations", "helmreleases")
NONE = "(none found)"
MODEL_LINE = re.compile(r"^\s*(model|llm) = .*$", re.MULTILINE)


def examples() -> list[Any]:
    found = []
    for readme in READMES:
        blocks = re.findall(r"```python\n(.*?)```", readme.read_text(), re.DOTALL)
        for index, block in enumerate(blocks):
            found.append(pytest.param(block, id=f"{readme.parent.name}-{index}"))
    return found


def scripted(kind: str) -> Any:
    steps: list[Any] = [
        [("flux_kustomization_list", {"status": "not_ready"}), ("flux_helmrelease_list", {"status": "not_ready"})],
        lambda seen: (
            "Not ready: "
            + (", ".join(item["name"] for obs in seen for key in KINDS for item in obs.data.get(key, [])) or NONE)
        ),
    ]
    return ScriptedChatModel(steps=steps) if kind == "model" else scripted_llm(steps)


def test_every_readme_has_examples() -> None:
    assert len(examples()) >= 9


@pytest.mark.demo
@pytest.mark.filterwarnings("ignore::UserWarning", "ignore::pydantic.warnings.PydanticDeprecationWarning")
@pytest.mark.parametrize("source", examples())
def test_readme_example_runs(source: str, capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, Any] = {"__name__": "readme_example"}
    code = PROVIDER_IMPORT.sub("", source)
    for kind in MODEL_LINE.findall(code):
        namespace[kind] = scripted(kind)  # a module global: the example's own assignment is removed
    code = MODEL_LINE.sub("", code)
    exec(compile(code, "<README example>", "exec"), namespace)
    printed = capsys.readouterr().out
    assert printed.strip() and NONE not in printed
    assert "NotRecorded" not in printed
    assert '"success":false' not in printed or "does-not-exist" in source
