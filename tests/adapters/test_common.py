"""What every front end shares (`fluxtools.integration`): agent specs, tool selection, configuration, text."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path

import pytest

from fluxtools import REGISTRY, ConfigError, FluxConfig, InvalidInput, UnknownTool
from fluxtools import integration as _common
from fluxtools.specs import SEED_SPECS
from fluxtools.testing import ScriptedRunner

ADAPTERS = Path(__file__).resolve().parents[2] / "adapters"
SPECS = Path(__file__).parent / "agent_specs"
SEED = [spec.name for spec in SEED_SPECS]


def test_agent_spec_from_the_specification_yaml() -> None:
    spec = _common.load_agent_spec(SPECS / "gitops-operator.yaml")
    assert spec.name == "gitops-operator"
    assert list(spec.tools) == SEED
    assert spec.not_provided == ()
    assert spec.flux == {"namespace": "flux-system", "kubeconfig": "/etc/kubeconfig/production.yaml"}


def test_agent_spec_reports_tools_it_does_not_provide() -> None:
    spec = _common.load_agent_spec(SPECS / "deployment-agent.yaml")
    assert spec.tools == ("flux_kustomization_get", "flux_reconcile", "flux_logs")
    assert spec.not_provided == ("kubectl",)
    assert spec.flux == {}


def test_agent_spec_from_a_mapping_and_from_text() -> None:
    mapping = {"spec": {"tools": ["flux_logs", "flux_logs", "kubectl"], "config": {"flux": {"namespace": "ops"}}}}
    expected = _common.AgentSpec(None, ("flux_logs",), ("kubectl",), {"namespace": "ops"})
    assert _common.load_agent_spec(mapping) == expected
    text = "tools:\n  - flux_stats\nconfig:\n  flux:\n    context: prod\n"
    assert _common.load_agent_spec(text).flux == {"context": "prod"}


def test_a_type_flux_entry_stands_for_every_tool() -> None:
    spec = _common.load_agent_spec({"tools": [{"type": "flux", "config": {"namespace": "ops"}}]})
    assert list(spec.tools) == list(REGISTRY)
    assert spec.flux == {"namespace": "ops"}


def test_an_unknown_flux_tool_is_a_clear_error() -> None:
    with pytest.raises(UnknownTool) as caught:
        _common.load_agent_spec({"spec": {"tools": ["flux_kustomizaton_get", "kubectl"]}})
    assert "flux_kustomizaton_get" in caught.value.message
    assert "did you mean flux_kustomization_get?" in caught.value.message
    assert "flux_logs" not in caught.value.hint and "fluxtools tools" in caught.value.hint  # not the whole table


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"spec": {"name": "x"}}, "'tools' must be a non-empty list"),
        ({"spec": "text"}, "'spec' must be a mapping"),
        ("- just\n- a list\n", "must hold a mapping"),
        ("tools: [\n", "is not valid YAML"),
        ("/nonexistent/agent.yaml", "Cannot read agent spec"),
    ],
)
def test_bad_agent_specs_say_what_is_wrong(document: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        _common.load_agent_spec(document)  # type: ignore[arg-type]


def test_selection_keeps_order_and_refuses_unknown_or_read_only_mutations() -> None:
    flux = _common.make_flux(runner=ScriptedRunner())
    assert [s.name for s in _common.select_specs(flux, ["flux_logs", "flux_reconcile", "flux_logs"])] == [
        "flux_logs",
        "flux_reconcile",
    ]
    assert [s.name for s in _common.select_specs(flux)] == list(REGISTRY)
    with pytest.raises(UnknownTool, match="'kubectl'"):
        _common.select_specs(flux, ["kubectl"])
    with pytest.raises(TypeError):
        _common.select_specs(flux, "flux_logs")
    read_only = _common.make_flux(runner=ScriptedRunner(), overrides={"read_only": True})
    assert not any(spec.mutating for spec in _common.select_specs(read_only))
    with pytest.raises(ConfigError, match="flux_suspend changes the cluster"):
        _common.select_specs(read_only, ["flux_logs", "flux_suspend"])


def test_configuration_layers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLUX_NAMESPACE", "from-env")
    monkeypatch.delenv("FLUXTOOLS_CLUSTER", raising=False)
    assert _common.make_flux(runner=ScriptedRunner()).config.namespace == "from-env"
    block = {"namespace": "from-spec", "context": "prod"}
    flux = _common.make_flux(runner=ScriptedRunner(), settings=block, overrides={"context": "staging"})
    assert (flux.config.namespace, flux.config.context) == ("from-spec", "staging")
    given = FluxConfig(namespace="given", read_only=True)
    flux = _common.make_flux(given, ScriptedRunner(), overrides={"context": "c1", "namespace": None})
    assert (flux.config.namespace, flux.config.read_only, flux.config.context) == ("given", True, "c1")
    with pytest.raises(ConfigError, match="namespace"):
        _common.make_flux(runner=ScriptedRunner(), overrides={"namespace": "Not_Valid"})


def test_content_is_compact_json_of_the_envelope() -> None:
    envelope = {"success": True, "data": {"message": "ready ✓", "items": [1, 2]}}
    text = _common.content(envelope)
    assert text == '{"success":true,"data":{"message":"ready ✓","items":[1,2]}}'
    assert json.loads(text) == envelope
    assert _common.content(envelope, 1024) == text
    indented = _common.content(envelope, indent=2)
    assert indented.startswith('{\n  "success": true,') and json.loads(indented) == envelope


def test_content_cuts_at_the_budget_with_a_note() -> None:
    big = {"success": True, "data": {"message": "é" * 5000}}
    text = _common.content(big, 2048)
    assert len(text.encode()) <= 2048
    assert "cut at 2048 of" in text and "narrow the call" in text


def test_one_configuration_loader_layers_environment_file_settings_and_overrides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLUX_NAMESPACE", "from-env")
    monkeypatch.delenv("KUBECONFIG", raising=False)
    path = tmp_path / "flux.yaml"
    path.write_text("context: from-file\nkubeconfig: /file/config\nread_only: true\n")
    settings = {"kubeconfig": "/spec/config", "cache_ttl_secs": 5}
    overrides = {"read_only": False, "allowed_namespaces": (), "cluster": None, "retry_attempts": 2}
    config = _common.load_config(path, settings=settings, overrides=overrides)
    assert (config.namespace, config.context, config.kubeconfig) == ("from-env", "from-file", "/spec/config")
    assert (config.read_only, config.cache_ttl_secs, config.retry_attempts) == (False, 5, 2)
    assert _common.load_config(overrides={"allowed_namespaces": ("a", "b")}).allowed_namespaces == ["a", "b"]


@pytest.mark.parametrize("caller", ["call", "acall"])
def test_a_bug_becomes_a_masked_internal_error_envelope(caller: str) -> None:
    secret = "-".join(["pw", "x" * 12])  # made at run time

    def explode(argv: list[str]) -> tuple[int, str, str]:
        raise KeyError(f"password={secret}")

    flux = _common.make_flux(runner=ScriptedRunner(explode))
    if caller == "call":
        envelope = _common.call(flux, "flux_kustomization_get", {"name": "apps"})
    else:
        envelope = asyncio.run(_common.acall(flux, "flux_kustomization_get", {"name": "apps"}))
    assert envelope["success"] is False and envelope["error_type"] == "InternalError"
    assert "KeyError" in envelope["error"] and secret not in json.dumps(envelope)
    assert _common.call(flux, "flux_nope", {})["error_type"] == "UnknownTool"


@pytest.mark.parametrize(("text", "message"), [("{nope", "not valid JSON"), ("[1]", "must be a JSON object")])
def test_arguments_from_json_text(text: str, message: str) -> None:
    assert _common.arguments_from_json("flux_logs", '{"tail": 5}') == {"tail": 5}
    with pytest.raises(InvalidInput, match=message):
        _common.arguments_from_json("flux_logs", text)


def test_descriptions_fit_the_providers_limit() -> None:
    for spec in REGISTRY.values():
        assert _common.description(spec) == spec.description
        assert len(_common.description(spec)) < _common.MAX_DESCRIPTION
    long = dataclasses.replace(REGISTRY["flux_logs"], description="A sentence. " * 200)
    cut = _common.description(long)
    assert len(cut) <= _common.MAX_DESCRIPTION and cut.endswith(".")
