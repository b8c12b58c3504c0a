"""`fluxtools mcp`: configuration flags, file and environment; the core without the SDK."""

import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from fluxtools._config import FluxConfig
from fluxtools._toolsets import GROUPS
from fluxtools.cli import main
from fluxtools.mcp.command import mcp_command
from tests.mcp.support import ROOT, server_env


def test_flags_become_the_configuration(served):
    args = [
        "mcp", "--http", "--port", "9123", "--context", "dev", "--allow-context", "prod", "--allow-context", "qa",
        "--read-only", "--enforce-namespace", "--namespace", "team-a", "--allowed-namespaces", "team-a",
        "--allowed-namespaces", "team-b", "--output-budget-bytes", "4096", "--cache-ttl-secs", "0",
        "--audit-log", "/tmp/audit.jsonl", "--cluster", "demo", "--timeout-secs", "45",
    ]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    [(toolset, how)] = served
    assert how == {"http": True, "host": "127.0.0.1", "port": 9123, "token": None}
    config = toolset.config
    assert (config.context, config.namespace, config.allowed_namespaces) == ("dev", "team-a", ["team-a", "team-b"])
    assert config.read_only and config.enforce_namespace and config.cluster == "demo"
    assert (config.output_budget_bytes, config.cache_ttl_secs, config.timeout_secs) == (4096, 0, 45)
    assert config.audit_log == "/tmp/audit.jsonl"
    assert toolset.contexts == ["dev", "prod", "qa"]
    assert toolset.budget == 4096


def test_defaults_come_from_the_file_and_environment(served, tmp_path, monkeypatch):
    path = tmp_path / "agent.yaml"
    path.write_text("tools:\n  - type: flux\n    config:\n      context: prod\n      read_only: true\n")
    monkeypatch.setenv("FLUX_NAMESPACE", "team-c")
    result = CliRunner().invoke(main, ["mcp", "--config", str(path), "--no-read-only"])
    assert result.exit_code == 0, result.output
    [(toolset, how)] = served
    assert how == {"http": False, "host": "127.0.0.1", "port": 8000, "token": None}
    assert (toolset.config.context, toolset.config.namespace, toolset.config.read_only) == ("prod", "team-c", False)
    assert toolset.contexts == []
    assert FluxConfig.load(path).read_only  # the flag won over the file


@pytest.mark.parametrize("args", [["--namespace", "Bad_NS"], ["--output-budget-bytes", "10"], ["--port", "70000"]])
def test_bad_settings_are_usage_errors(served, args):
    result = CliRunner().invoke(main, ["mcp", *args])
    assert result.exit_code == 2
    assert served == []


BLOCK_MCP = """
import sys
class NoMcp:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("mcp", "mcp_types"):
            raise ImportError(f"No module named {name!r}")
sys.meta_path.insert(0, NoMcp())
from fluxtools import ALL_SPECS
from fluxtools.mcp import tool_definitions
assert len(tool_definitions(ALL_SPECS)) == len(ALL_SPECS)
from fluxtools.cli import main
from fluxtools.mcp.command import mcp_command
main()
"""


def test_core_and_cli_work_without_the_sdk():
    def run(*args):
        return subprocess.run(
            [sys.executable, "-c", BLOCK_MCP, *args], capture_output=True, text=True, env=server_env(), cwd=ROOT
        )

    tools = run("tools", "--json")
    assert tools.returncode == 0, tools.stderr
    served = run("mcp", "--cluster", "demo")
    assert served.returncode == 1
    assert "pip install -e '.[mcp]'" in served.stderr


def test_the_guide_names_only_real_flags():
    readme = (ROOT / "README.md").read_text()
    guide = readme.split("\n## MCP server\n", 1)[1].split("\n## ", 1)[0]
    flags = {opt for param in mcp_command.params for opt in (*param.opts, *param.secondary_opts)}
    mentioned = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", guide))
    assert mentioned and mentioned <= flags | {"--help"}, mentioned - flags


def test_the_mcp_flag(served):
    result = CliRunner().invoke(main, ["mcp", "--toolsets", "read,diagnose"])
    assert result.exit_code == 0, result.output
    [(toolset, _)] = served
    assert toolset.config.toolsets == ["read", "diagnose"]
    assert {spec.name for spec in toolset.specs()} == set(GROUPS["read"] + GROUPS["diagnose"])
