"""The fleet report as a terminal shows it: causes headed by their object, words never broken across lines."""

import re

import pytest
from click.testing import CliRunner

from fluxtools._report import _wrap
from fluxtools.cli import main
from tests.unit.test_readme import README


def report(*flags: str) -> str:
    result = CliRunner().invoke(main, ["diagnose", "--cluster", "demo", "--all-contexts", *flags])
    return result.stdout


@pytest.fixture(autouse=True)
def no_cluster_from_the_environment(monkeypatch):
    monkeypatch.delenv("FLUXTOOLS_CLUSTER", raising=False)


def test_a_cause_shared_by_one_object_in_each_cluster_is_headed_by_that_object():
    headings = [line for line in report().splitlines() if line.startswith("✗ ")]
    assert headings and all(re.match(r"✗ \w+/[\w-]+/[\w-]+  \[", line) for line in headings), headings
    assert any(line.startswith("✗ Kustomization/flux-system/broken-build  [failed: BuildFailed]") for line in headings)


def test_no_word_is_broken_across_lines():
    text = report() + report("--namespace", "team-a")
    assert not re.search(r"\w-\n", text)  # "lab-\n  alias-03", "flux-\n  system"
    assert "kustomizations.kustomize.toolkit.fluxcd.io, helmreleases.helm.toolkit.fluxcd.io" in " ".join(text.split())
    for context in ("lab-alias-01", "lab-alias-02", "lab-alias-03", "lab-restricted", "lab-unreachable"):
        assert text.count(context) == " ".join(text.split()).count(context)


def test_a_word_longer_than_a_line_stays_whole_synthetic():
    word = "x" * 150
    assert _wrap(f"see {word} now", "  ") == ["  see", f"    {word}", "    now"]


def test_the_readme_names_the_restricted_tenants_rows_as_the_report_does():
    said = " ".join(README.split("`lab-restricted`", 1)[1].split("; `lab-noflux`", 1)[0].split())
    assert "`denied` for the whole cluster" in said and "`partial` with `--namespace team-a`" in said
    assert "  ✗ lab-restricted  denied (PermissionDenied)" in report()
    assert "  ◐ lab-restricted  " in report("--namespace", "team-a")
    assert "partial RBAC" not in README
