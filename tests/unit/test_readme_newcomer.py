"""What a newcomer reading the README needs to be told: where the design is, what the snippets need."""

import re

from tests.unit.test_readme import README, section


def test_the_architecture_document_is_linked():
    assert "](docs/architecture.md)" in README


def fenced_python_after(heading: str) -> tuple[str, str]:
    """(the prose between the heading and its first Python block, that block)."""
    part = section("Framework adapters").split(f"### {heading}\n", 1)[1]
    prose, rest = part.split("```python\n", 1)
    return prose, rest.split("```", 1)[0]


def test_the_snippets_that_need_a_model_provider_package_say_so():
    for heading, package in (("LangChain", "langchain-openai"), ("LlamaIndex", "llama-index-llms-openai")):
        prose, code = fenced_python_after(heading)
        assert re.search(r"openai", code, re.I), "the snippet uses an OpenAI model"
        assert f"`{package}`" in prose and "OPENAI_API_KEY" in prose, heading
