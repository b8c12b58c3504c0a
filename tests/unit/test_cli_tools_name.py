"""`fluxtools tools NAME`: one tool's name, description and JSON Schema."""

import json

from click.testing import CliRunner

from fluxtools.cli import main
from fluxtools.specs import REGISTRY


def test_one_tool_prints_its_schema():
    result = CliRunner().invoke(main, ["tools", "flux_logs"])
    assert result.exit_code == 0, result.output
    entry = json.loads(result.output)
    assert entry == {
        "name": "flux_logs",
        "description": REGISTRY["flux_logs"].description,
        "parameters": REGISTRY["flux_logs"].json_schema(),
    }


def test_an_unknown_tool_is_a_usage_error_naming_the_closest():
    result = CliRunner().invoke(main, ["tools", "flux_log"])
    assert result.exit_code == 2 and "did you mean flux_logs?" in result.output
