"""langchain-tests' standard suites for every generated tool class.

`ToolsUnitTests` run on ScriptedRunner for every tool; `ToolsIntegrationTests` call the real
tools on the recorded demo cluster for every tool with a recorded example call (all the
specification's tools; a further tool gets its suite by adding its recorded call below).
The suite classes are generated from the spec table, like the tools.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_fluxcd import TOOL_CLASSES
from langchain_tests.integration_tests import ToolsIntegrationTests
from langchain_tests.unit_tests import ToolsUnitTests

from fluxtools import ALL_SPECS, FluxConfig, ToolSpec
from fluxtools.specs import SEED_SPECS
from fluxtools.testing import ScriptedRunner

# One recorded call per tool (see the demo cluster's scenario).
DEMO_EXAMPLES: dict[str, dict[str, Any]] = {
    "flux_kustomization_list": {},
    "flux_kustomization_get": {"name": "apps"},
    "flux_helmrelease_list": {},
    "flux_helmrelease_get": {"name": "podinfo", "namespace": "apps"},
    "flux_reconcile": {"kind": "kustomization", "name": "apps", "with_source": True},
    "flux_suspend": {"kind": "kustomization", "name": "apps"},
    "flux_resume": {"kind": "kustomization", "name": "apps"},
    "flux_logs": {"kind": "helm-controller", "level": "error"},
    "flux_diagnose": {},
    "flux_source_list": {},
    "flux_source_get": {"kind": "git", "name": "flux-system"},
    "flux_image_list": {},
    "flux_get_all": {},
    "flux_stats": {},
    "flux_events": {"kind": "kustomization", "name": "broken-build"},
    "flux_tree": {"kind": "kustomization", "name": "apps"},
    "flux_trace": {"kind": "configmap", "name": "app-config", "namespace": "apps"},
    "flux_export": {"kind": "kustomization", "name": "apps"},
    "flux_check": {},
}
ENV = {"FLUX_NAMESPACE": "team-a", "KUBECONFIG": "/tmp/fluxtools-test-kubeconfig", "FLUXTOOLS_CLUSTER": "demo"}


def example(spec: ToolSpec) -> dict[str, Any]:
    """A valid call: the recorded one, else the required parameters with simple values."""
    if spec.name in DEMO_EXAMPLES:
        return DEMO_EXAMPLES[spec.name]
    schema = spec.json_schema()
    values = {"string": "apps", "integer": 1, "boolean": False}
    args = {
        key: (prop["enum"][0] if "enum" in prop else values[prop["type"]])
        for key, prop in schema["properties"].items()
        if key in schema["required"]
    }
    spec.args_model.model_validate(args)
    return args


def test_every_tool_has_standard_suites() -> None:
    assert set(TOOL_CLASSES) == {spec.name for spec in ALL_SPECS}
    assert {spec.name for spec in SEED_SPECS} <= set(DEMO_EXAMPLES) <= set(TOOL_CLASSES)
    suites = [name for name in globals() if name.startswith("Test")]
    assert len(suites) == len(ALL_SPECS) + len(DEMO_EXAMPLES)


def _suite(name: str, base: type, **properties: Any) -> type:
    namespace = {key: property(lambda self, value=value: value) for key, value in properties.items()}
    return type(name, (base,), {**namespace, "__module__": __name__, "__qualname__": name})


for _spec in ALL_SPECS:
    _cls = TOOL_CLASSES[_spec.name]
    _unit = _suite(
        f"Test{_cls.__name__}Unit",
        ToolsUnitTests,
        tool_constructor=_cls,
        tool_constructor_params={"runner": ScriptedRunner()},
        tool_invoke_params_example=example(_spec),
        init_from_env_params=(
            ENV,
            {},
            {"flux_config": FluxConfig(namespace="team-a", kubeconfig=ENV["KUBECONFIG"], cluster="demo")},
        ),
    )
    globals()[_unit.__name__] = _unit
    if _spec.name not in DEMO_EXAMPLES:
        continue
    _integration = _suite(
        f"Test{_cls.__name__}Integration",
        ToolsIntegrationTests,
        tool_constructor=_cls,
        tool_constructor_params={"cluster": "demo"},
        tool_invoke_params_example=DEMO_EXAMPLES[_spec.name],
    )
    _integration.pytestmark = [pytest.mark.demo]
    globals()[_integration.__name__] = _integration
del _spec, _cls, _unit, _integration
