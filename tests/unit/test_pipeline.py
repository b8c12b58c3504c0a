"""The pipeline owns every cross-cutting stage once; a tool is one file in `fluxtools/specs/`."""

import ast
import dataclasses
import sys
from pathlib import Path

import fluxtools
from fluxtools import FluxConfig, FluxTools
from fluxtools import _policy as policy
from fluxtools._budget import page
from fluxtools.specs import ALL_SPECS, REGISTRY, TABLE_ORDER, ToolSpec, discover
from fluxtools.testing import ScriptedRunner

PACKAGE = Path(fluxtools.__file__).parent


def test_each_tool_has_exactly_one_way_to_run():
    fields = {field.name for field in dataclasses.fields(ToolSpec)}
    assert "step" in fields and not fields & {"workflow", "build_argv", "parse", "target"}
    assert all(callable(spec.step) for spec in ALL_SPECS)


def test_classify_has_one_caller_the_run_stage():
    callers = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "classify":
                callers.append(path.relative_to(PACKAGE).as_posix())
    assert callers == ["_process/call.py"]


def test_a_module_in_specs_is_found_without_registration(tmp_path, monkeypatch):
    """Synthetic tool module: discovery finds it; unnamed in TABLE_ORDER, it comes after the table."""
    (tmp_path / "synthetic_tool.py").write_text(
        "from fluxtools.specs.base import Operation, ReadArgs, ToolSpec\n"
        "async def step(call, args):\n    return {}\n"
        "SYNTHETIC = ToolSpec.read(name='flux_synthetic', description='d', args_model=ReadArgs,\n"
        "                          operation=Operation.GET, step=step)\n"
    )
    monkeypatch.setattr(sys.modules["fluxtools.specs"], "__path__", [*fluxtools.specs.__path__, str(tmp_path)])
    try:
        names = [spec.name for spec in discover()]
    finally:
        sys.modules.pop("fluxtools.specs.synthetic_tool", None)
    assert "flux_synthetic" in names and set(REGISTRY) <= set(names)
    assert [spec.name for spec in ALL_SPECS] == list(TABLE_ORDER)


def resolve(tool, args, **config):
    spec = REGISTRY[tool]
    return policy.resolve(spec, spec.args_model.model_validate(args), FluxConfig(**config))


def test_namespace_defaults_are_filled_before_the_tool_runs():
    got = resolve("flux_kustomization_get", {"name": "apps"}, namespace="team-a")
    assert got.args.namespace == "team-a" and got.given.namespace is None and got.namespaces == ("team-a",)
    assert resolve("flux_logs", {}, namespace="ops").args.namespace == "ops"
    assert resolve("flux_check", {}, namespace="ops").args.namespace == "ops"
    assert resolve("flux_events", {}, namespace="ops").namespaces == ("ops",)  # events default to one namespace
    assert resolve("flux_kustomization_list", {}).namespaces == (None,)  # lists default to all namespaces
    assert resolve("flux_kustomization_list", {"all_namespaces": False}, namespace="ops").namespaces == ("ops",)


def test_under_tenancy_a_list_reads_each_allowed_namespace():
    tenancy = {"enforce_namespace": True, "allowed_namespaces": ["team-a", "team-b"], "namespace": "team-a"}
    got = resolve("flux_kustomization_list", {}, **tenancy)
    assert got.args.namespace is None and got.namespaces == got.allowed == ("team-a", "team-b")
    assert resolve("flux_diagnose", {}, **tenancy).namespaces == ("team-a", "team-b")
    assert resolve("flux_source_get", {"kind": "git", "name": "x"}, **tenancy).args.namespace == "team-a"


def test_approval_sees_the_arguments_as_given_and_the_command_the_resolved_namespace():
    seen = []
    runner = ScriptedRunner()
    flux = FluxTools(FluxConfig(namespace="ops", approver=lambda request: seen.append(request) or False), runner=runner)
    flux.call("flux_suspend", {"kind": "kustomization", "name": "apps"})
    assert "namespace" not in seen[0].arguments and seen[0].action == "suspend kustomization ops/apps"
    runner.reply = lambda argv: (0, '{"metadata": {"name": "apps"}, "spec": {}}', "")
    flux = FluxTools(FluxConfig(namespace="ops"), runner=runner)
    flux.call("flux_suspend", {"kind": "kustomization", "name": "apps"})
    assert all(argv[argv.index("-n") + 1] == "ops" for argv in runner.calls)


def test_paging_keeps_notes_and_unread_at_the_end():
    data = {"objects": [{"name": "a"}, {"name": "b"}], "total": 2, "notes": ["n"], "unread": [{"kind": "K"}]}
    paged = page(data, "objects", type("Args", (), {"limit": 1})())
    assert list(paged) == ["objects", "total", "matched", "continue", "notes", "unread"]
