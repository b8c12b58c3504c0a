"""The two commands' Makefile: `make demo` installs the core only when it must; `make test` says why tests skip.

Run on a copy of the Makefile and the pyproject files with `make -n` (nothing is run) and with the
install command replaced by `true` (nothing is installed).
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ADAPTERS = ["adapters/langchain-fluxcd", "adapters/llama-index-tools-fluxcd"]
PYPROJECTS = ["pyproject.toml", *(f"{adapter}/pyproject.toml" for adapter in ADAPTERS)]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    for name in ["Makefile", *PYPROJECTS]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def make(checkout: Path, *args: str) -> str:
    done = subprocess.run(["make", "--no-print-directory", *args], cwd=checkout, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def installs(plan: str) -> bool:
    return "pip install" in plan


def test_make_demo_installs_the_core_on_a_fresh_checkout_then_not_again(checkout):
    assert installs(make(checkout, "-n", "demo"))
    make(checkout, "install", "PIP_INSTALL=true")
    plan = make(checkout, "-n", "demo")
    assert not installs(plan) and "fluxtools.cli diagnose --cluster demo" in plan


def test_make_demo_installs_again_when_pyproject_changes(checkout):
    make(checkout, "install", "PIP_INSTALL=true")
    with (checkout / "pyproject.toml").open("a") as file:
        file.write("\n# a dependency changed\n")
    assert installs(make(checkout, "-n", "demo"))


def test_make_test_s_install_serves_make_demo(checkout):
    make(checkout, "dev-install", "PIP_INSTALL=true")
    assert not installs(make(checkout, "-n", "demo"))


def test_make_test_shows_why_tests_were_skipped(checkout):
    plan = make(checkout, "-n", "test-pytest", "test-notebooks")
    runs = [line for line in plan.splitlines() if re.search(r"-m pytest\b", line)]
    assert len(runs) == 2 and all(" -rs " in f" {line} " for line in runs), runs
