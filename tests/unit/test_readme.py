"""README as a newcomer reads it: working links, install from a checkout, two commands, every error type."""

import importlib
import pkgutil
import re
from pathlib import Path

import fluxtools
from fluxtools._errors import FluxError

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def error_types_defined() -> set[str]:
    """`error_type` of every FluxError class in the package (every module imported first)."""
    for module in pkgutil.walk_packages(fluxtools.__path__, "fluxtools."):
        importlib.import_module(module.name)
    found, todo = set(), [FluxError]
    while todo:
        cls = todo.pop()
        if cls.__module__.startswith("fluxtools"):
            found.add(cls.error_type)
        todo += cls.__subclasses__()
    return found


def test_the_error_list_is_every_error_type_the_package_defines():
    listed = set(re.findall(r"^\| `(\w+)` \|", section("Errors"), re.M))
    assert listed == error_types_defined()
    assert {"NotRecorded", "UnknownTool", "RateLimited", "InternalError"} <= listed


def test_relative_links_point_at_files_in_the_repository():
    targets = re.findall(r"\]\((?!https?://|#)([^)\s]+)\)", README)
    assert targets, "the README links to files in the repository"
    missing = [target for target in targets if not (ROOT / target.split("#")[0]).exists()]
    assert missing == []


def test_install_from_a_checkout_names_real_paths():
    commands = re.findall(r"^pip install -e '?([^'\s]+?)(?:\[\w+\])?'?(?:\s|$)", README, re.M)
    assert {".", "adapters/langchain-fluxcd", "adapters/llama-index-tools-fluxcd"} <= set(commands)
    assert all((ROOT / path / "pyproject.toml").exists() for path in commands)
    unpublished = re.findall(r"^pip install (?!-e)(\S+)", README, re.M)
    assert unpublished == [], "the packages are not on PyPI yet"


def test_a_newcomer_has_two_commands():
    block = section("Two commands").split("```bash\n", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in block.strip().splitlines()] == ["make demo", "make test"]
