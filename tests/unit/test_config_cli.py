"""FluxConfig sources and the `fluxtools` command line contract."""

import json

import click
import pytest
from click.testing import CliRunner

from fluxtools import FluxTools
from fluxtools._config import ConfigError, FluxConfig
from fluxtools.cli import main


def test_config_from_specification_yaml(tmp_path):
    path = tmp_path / "agent.yaml"
    path.write_text(
        "tools:\n  - type: flux\n    config:\n      kubeconfig: /k\n      context: prod\n"
        "      namespace: team-a\n      timeout_secs: 90\n"
    )
    config = FluxConfig.load(path)
    assert (config.kubeconfig, config.context, config.namespace, config.timeout_secs) == ("/k", "prod", "team-a", 90)


def test_config_from_agent_spec_block(tmp_path):
    path = tmp_path / "agent.yaml"
    path.write_text(
        "spec:\n  tools: [flux_logs]\n  config:\n    flux:\n      namespace: flux-system\n      kubeconfig: /e\n"
    )
    assert FluxConfig.load(path).kubeconfig == "/e"


def test_config_from_env_and_overrides(monkeypatch):
    monkeypatch.setenv("KUBECONFIG", "/env/config")
    monkeypatch.setenv("FLUX_NAMESPACE", "flux")
    assert FluxConfig.load().namespace == "flux"
    assert FluxConfig.load(namespace="other").namespace == "other"
    assert FluxConfig.load().kubeconfig == "/env/config"


def test_files_that_are_not_utf8_text_are_config_errors(tmp_path):
    from fluxtools.integration import load_agent_spec

    path = tmp_path / "latin1.yaml"
    path.write_bytes("namespace: équipe\n".encode("latin-1"))
    with pytest.raises(ConfigError, match=f"Cannot read config file {path}: not UTF-8 text"):
        FluxConfig.load(path)
    with pytest.raises(ConfigError, match=f"Cannot read agent spec {path}: not UTF-8 text"):
        load_agent_spec(path)
    result = CliRunner().invoke(main, ["call", "flux_logs", "--config", str(path)])
    assert result.exit_code == 2 and "not UTF-8 text" in result.output


@pytest.mark.parametrize(
    ("values", "field"),
    [({"namespace": "Bad_NS"}, "namespace"), ({"timeout_secs": -1}, "timeout_secs"), ({"bogus": 1}, "bogus")],
)
def test_bad_config_names_the_field(values, field):
    with pytest.raises(ConfigError) as info:
        FluxConfig.build(values)
    assert field in info.value.message


def test_tools_json_lists_the_eight():
    result = CliRunner().invoke(main, ["tools", "--json"])
    assert result.exit_code == 0
    tools = json.loads(result.output)
    assert [tool["name"] for tool in tools][:8] == [
        "flux_kustomization_list",
        "flux_kustomization_get",
        "flux_helmrelease_list",
        "flux_helmrelease_get",
        "flux_reconcile",
        "flux_suspend",
        "flux_resume",
        "flux_logs",
    ]
    assert all(set(tool) == {"name", "description", "parameters"} for tool in tools)


def test_call_exit_codes():
    runner = CliRunner()
    bad_json = runner.invoke(main, ["call", "flux_logs", "--args", "{nope"])
    assert bad_json.exit_code == 2
    invalid = runner.invoke(main, ["call", "flux_logs", "--args", '{"tail": 0}'])
    assert invalid.exit_code == 1
    assert json.loads(invalid.output)["error_type"] == "InvalidInput"


def test_call_with_missing_binary_reports_not_installed(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text("kubectl_path: /nonexistent/kubectl\nflux_path: /nonexistent/flux\n")
    result = CliRunner().invoke(main, ["call", "flux_kustomization_list", "--config", str(config)])
    envelope = json.loads(result.output)
    assert result.exit_code == 1
    assert envelope["error_type"] == "NotInstalled"
    assert (
        envelope["error"]
        == "flux command not found. Install Flux CLI: curl -s https://fluxcd.io/install.sh | sudo bash"
    )


def long_options(command) -> set[str]:
    return {opt for param in command.params for opt in (*param.opts, *param.secondary_opts) if opt.startswith("--")}


def test_every_command_takes_the_flags_generated_from_the_configuration():
    from fluxtools._cli_flags import config_flags
    from fluxtools.mcp.command import mcp_command

    generated = long_options(click.command()(config_flags()(lambda **values: None)))
    settings = {name for name in FluxConfig.model_fields if name != "approver"}  # a callback has no flag
    assert generated == {"--config"} | {f"--{name.replace('_', '-')}" for name in settings} | {
        f"--no-{name.replace('_', '-')}" for name, field in FluxConfig.model_fields.items() if field.annotation is bool
    }
    call_command, diagnose_command = main.commands["call"], main.commands["diagnose"]
    assert generated <= long_options(call_command) and generated <= long_options(mcp_command)
    assert long_options(call_command) - generated == {"--args"}
    assert generated <= long_options(diagnose_command) | {"--namespace"}  # diagnose's --namespace is its scope


def test_call_takes_every_setting_as_a_flag(monkeypatch):
    monkeypatch.delenv("FLUXTOOLS_CLUSTER", raising=False)
    args = '{"kind": "kustomization", "name": "apps"}'
    result = CliRunner().invoke(main, ["call", "flux_suspend", "--args", args, "--cluster", "demo", "--read-only"])
    assert result.exit_code == 1
    assert json.loads(result.output)["error_type"] == "PolicyDenied"


def test_call_with_an_unknown_tool_suggests_the_nearest():
    result = CliRunner().invoke(main, ["call", "flux_kustomizaton_get", "--cluster", "demo"])
    envelope = json.loads(result.output)
    assert result.exit_code == 1 and envelope["error_type"] == "UnknownTool"
    assert "did you mean flux_kustomization_get?" in envelope["error"]
    assert "flux_helmrelease_list" not in envelope["error"] + envelope["hint"]  # not the whole tool list


def test_call_turns_a_bug_into_an_internal_error_envelope(monkeypatch):
    async def broken(self, name, args, progress):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(FluxTools, "_answer", broken)  # a bug anywhere below the one catch-all
    result = CliRunner().invoke(main, ["call", "flux_kustomization_list", "--cluster", "demo"])
    envelope = json.loads(result.output)
    assert result.exit_code == 1 and envelope["error_type"] == "InternalError"
    assert "ZeroDivisionError" in envelope["error"] and "Traceback" not in result.output
