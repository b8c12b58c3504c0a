"""Argument forms models write: understood as canonical values before validation and policy, or refused."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from fluxtools import FluxConfig, FluxTools, InvalidInput
from fluxtools._flux.kinds import KNOWN_KINDS
from fluxtools.specs import ALL_SPECS, REGISTRY
from fluxtools.specs.forms import KIND_WORDS, canonical, kind_of
from fluxtools.testing import ScriptedRunner
from tests.argument_forms import REFUSED, UNDERSTOOD
from tests.unit.support import ready_object


def validated(tool: str, args: dict) -> dict:
    flux = FluxTools(FluxConfig())
    return flux.validate(REGISTRY[tool], args).model_dump(by_alias=True, exclude_unset=True)


@pytest.mark.parametrize(("tool", "given", "meant"), UNDERSTOOD, ids=[f"{t}-{json.dumps(g)}" for t, g, _ in UNDERSTOOD])
def test_understood_forms_are_their_canonical_arguments(tool, given, meant):
    assert validated(tool, given) == meant
    assert validated(tool, meant) == meant  # canonical values stay as they are


@pytest.mark.parametrize(
    ("tool", "given", "field", "text"), REFUSED, ids=[f"{t}-{json.dumps(g)}" for t, g, *_ in REFUSED]
)
def test_refused_forms_name_the_conflict(tool, given, field, text):
    with pytest.raises(InvalidInput) as refused:
        validated(tool, given)
    assert refused.value.field == field
    assert text in refused.value.message


def test_every_flux_cli_word_names_one_kind():
    """The words of `flux get|reconcile|suspend|resume|export` (aliases ks, hr; nouns under source and image)."""
    assert kind_of("ks").kind == kind_of("kustomizations").kind == "Kustomization"
    assert kind_of("hr").kind == kind_of("HelmReleases").kind == "HelmRelease"
    nouns = {"git": "GitRepository", "helm": "HelmRepository", "oci": "OCIRepository", "bucket": "Bucket"}
    nouns |= {"chart": "HelmChart", "policy": "ImagePolicy", "repository": "ImageRepository"}
    nouns |= {"update": "ImageUpdateAutomation"}
    for noun, kind in nouns.items():
        assert kind_of(noun).kind == kind
        assert kind_of(f"source {noun}" if kind_of(noun).group.startswith("source") else f"image {noun}").kind == kind
    assert {kind.kind for kind in KIND_WORDS.values()} == {kind.kind for kind in KNOWN_KINDS}


def test_only_one_allowed_value_or_none():
    assert canonical("not-ready", ("ready", "not_ready", "suspended")) == "not_ready"
    assert canonical("failed", ("stalled", "failed", "progressing", "suspended")) == "failed"
    assert canonical("progressing", ("ready", "not_ready", "suspended")) is None
    assert canonical("repository", ("gitrepository", "helmrepository")) is None


def test_enums_in_the_schemas_stay_canonical():
    """Forgiveness is not schema: no alias appears in any tool's schema."""
    for spec in ALL_SPECS:
        text = json.dumps(spec.json_schema())
        for alias in ('"ks"', '"hr"', '"failed"', '"Kustomization"', '"ERROR"', '"watch"'):
            if alias == '"failed"' and spec.name == "flux_diagnose":
                continue  # a canonical severity there
            if alias == '"Kustomization"' and spec.name == "flux_logs":
                continue  # resource_kind's canonical values are the API kinds
            assert alias not in text, (spec.name, alias)


def test_policy_sees_the_canonical_namespace():
    """`team-b/apps` is namespace team-b for tenancy: refused before anything runs."""
    runner = ScriptedRunner(lambda argv: (0, json.dumps(ready_object()), ""))
    flux = FluxTools(FluxConfig(enforce_namespace=True, namespace="flux-system"), runner=runner)
    refused = flux.call("flux_kustomization_get", {"name": "team-b/apps"})
    assert refused["error_type"] == "PolicyDenied" and "team-b" in refused["error"]
    refused = flux.call("flux_reconcile", {"name": "Kustomization/team-b/apps"})
    assert refused["error_type"] == "PolicyDenied"
    assert runner.calls == []
    allowed = flux.call("flux_kustomization_get", {"name": "Kustomization/flux-system/apps"})
    assert allowed["success"], allowed
    assert runner.calls[-1][-6:] == [
        "kustomizations.kustomize.toolkit.fluxcd.io",
        "apps",
        "-n",
        "flux-system",
        "-o",
        "json",
    ]


def test_read_only_refuses_a_mutation_however_its_kind_is_written():
    runner = ScriptedRunner()
    flux = FluxTools(FluxConfig(read_only=True), runner=runner)
    for kind in ("ks", "Kustomization", "KUSTOMIZATION"):
        assert flux.call("flux_suspend", {"kind": kind, "name": "apps"})["error_type"] == "PolicyDenied"
    assert runner.calls == []


def test_the_audit_records_canonical_arguments(tmp_path):
    audit = tmp_path / "audit.jsonl"
    runner = ScriptedRunner(lambda argv: (0, json.dumps(ready_object()), ""))
    flux = FluxTools(FluxConfig(audit_log=str(audit)), runner=runner)
    flux.call("flux_suspend", {"kind": "ks", "name": "flux-system/apps"})
    first = json.loads(audit.read_text().splitlines()[0])
    assert first["arguments"] == {"kind": "kustomization", "name": "apps", "namespace": "flux-system"}


def flux_cli_source() -> Path | None:
    """`cmd/flux` of the flux CLI at the lab's pinned version in the Go module cache (the lab build fills it)."""
    pin = json.loads((Path(__file__).resolve().parents[3] / "lab" / "versions.json").read_text())["flux"]
    cache = os.environ.get("GOMODCACHE") or str(Path.home() / "go" / "pkg" / "mod")
    source = Path(cache) / "github.com" / "fluxcd" / "flux2" / f"v2@{pin}" / "cmd" / "flux"
    return source if source.is_dir() else None


FILES = {
    "kustomization": "Kustomization",
    "helmrelease": "HelmRelease",
    "source_git": "GitRepository",
    "source_helm": "HelmRepository",
    "source_oci": "OCIRepository",
    "source_bucket": "Bucket",
    "source_chart": "HelmChart",
    "image_policy": "ImagePolicy",
    "image_repository": "ImageRepository",
    "image_update": "ImageUpdateAutomation",
}


@pytest.mark.skipif(flux_cli_source() is None, reason="the flux CLI's source is not in the Go module cache")
def test_the_kind_words_are_the_pinned_flux_cli_s():
    """Every command word and alias of `flux get|reconcile|suspend|resume|export` for a kind names that kind."""
    source = flux_cli_source()
    checked = 0
    for verb in ("get", "reconcile", "suspend", "resume", "export"):
        for stem, kind in FILES.items():
            path = source / f"{verb}_{stem}.go"
            if not path.exists():
                continue
            text = path.read_text()
            words = re.findall(r'Use:\s+"([a-z-]+)', text)
            for aliases in re.findall(r"Aliases:\s+\[\]string\{([^}]*)\}", text):
                words += re.findall(r'"([^"]+)"', aliases)
            for spoken in words:
                assert kind_of(spoken) is not None and kind_of(spoken).kind == kind, (path.name, spoken)
                checked += 1
    assert checked >= 30


def test_watch_is_out_of_the_schema_yet_accepted_and_noted():
    assert "watch" not in REGISTRY["flux_kustomization_list"].json_schema()["properties"]
    envelope = FluxTools(FluxConfig(cluster="demo")).call("flux_kustomization_list", {"watch": True})
    assert envelope["success"] and any("watch was ignored" in note for note in envelope["data"]["notes"])
