"""'Did you mean': the closest tool name, parameter or enum value, never the whole table."""

import pytest

from fluxtools import FluxTools
from fluxtools._suggestions import closest
from fluxtools.testing import ScriptedRunner


@pytest.fixture
def flux():
    runner = ScriptedRunner()
    return FluxTools(runner=runner), runner


@pytest.mark.parametrize(
    ("tool", "args", "field", "guess"),
    [
        ("flux_reconcile", {"kind": "kustomizaton", "name": "apps"}, "kind", "kustomization"),
        ("flux_reconcile", {"kind": "HelmReleas", "name": "apps"}, "kind", "helmrelease"),
        ("flux_logs", {"kind": "kustomize-controler"}, "kind", "kustomize-controller"),
        ("flux_logs", {"level": "erorr"}, "level", "error"),
        ("flux_events", {"type": "Warnig"}, "type", "Warning"),
        ("flux_export", {"kind": "source gti"}, "kind", "source git"),
        ("flux_kustomization_list", {"stauts": "ready"}, "stauts", "status"),
    ],
)
def test_a_near_miss_gets_the_closest_allowed_value(flux, tool, args, field, guess):
    tools, runner = flux
    envelope = tools.call(tool, args)
    assert envelope["error_type"] == "InvalidInput" and envelope["field"] == field
    assert f"did you mean '{guess}'?" in envelope["error"]
    assert runner.calls == []


def test_no_guess_when_nothing_is_close(flux):
    tools, _ = flux
    envelope = tools.call("flux_kustomization_list", {"status": "zzz"})
    assert "did you mean" not in envelope["error"]
    assert "'ready', 'not_ready' or 'suspended'" in envelope["error"]  # what is allowed is still said


def test_closest_ignores_case_and_a_shared_prefix():
    assert closest("Warning", ["Normal", "Warning"]) == "Warning"
    assert closest("WARNING", ["Normal", "Warning"]) == "Warning"
    assert closest("flux_lgos", ["flux_logs", "flux_tree"], prefix="flux_") == "flux_logs"
    assert closest("flux_zz", ["flux_logs", "flux_tree"], prefix="flux_") is None
    assert closest(5, ["a"]) is None
