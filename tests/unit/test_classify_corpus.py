"""Conformance corpora: controller messages are verdicts, client errors are typed errors.

tests/data/controller_messages.yaml holds the controllers' own messages (recorded in the lab or in the formats of
the controllers' sources, synthetic values marked); tests/data/client_errors.yaml the clients' own failures. The
command results below are synthetic wrappers shaped like flux's real output around those texts.
"""

import json
from pathlib import Path

import pytest
import yaml

from fluxtools._errors import CommandFailed
from fluxtools._masking import mask_text
from fluxtools._process.classify import Target, classify, client_error
from fluxtools._process.runners import CommandResult

DATA = Path(__file__).resolve().parent.parent / "data"
CONTROLLER = yaml.safe_load((DATA / "controller_messages.yaml").read_text(encoding="utf-8"))["messages"]
CLIENT = yaml.safe_load((DATA / "client_errors.yaml").read_text(encoding="utf-8"))["errors"]
KS = Target("Kustomization", "apps", "flux-system", "reconcile")
FLUX_RECONCILE = ["flux", "--kubeconfig", "/k/config", "reconcile", "kustomization", "apps", "-n", "flux-system"]


def reconcile_stderr(line: str) -> str:
    """Synthetic: what flux reconcile prints when the Stalled object fails the first poll."""
    return (
        "► annotating Kustomization apps in flux-system namespace\n✔ Kustomization annotated\n"
        f"◎ waiting for Kustomization reconciliation\n✗ {line}\n"
    )


def synthetic_shapes(message: str) -> dict[str, CommandResult]:
    """The places a controller message reaches the classifier: flux's `✗` lines and status text on stdout."""
    status_json = json.dumps({"status": {"conditions": [{"type": "Ready", "status": "False", "message": message}]}})
    return {
        "after waiting": CommandResult(FLUX_RECONCILE, 1, "", reconcile_stderr(message)),
        "bare line": CommandResult(FLUX_RECONCILE, 1, "", f"✗ {message}\n"),
        "ready failed": CommandResult(
            FLUX_RECONCILE, 1, "", reconcile_stderr(f"Kustomization reconciliation failed: '{message}'")
        ),
        "status on stdout": CommandResult(["kubectl", "get", "kustomization", "apps"], 1, status_json, ""),
        "flux table on stdout": CommandResult(
            ["flux", "get", "kustomizations"], 1, f"NAME\tREADY\tMESSAGE\napps\tFalse\t{message}\t\n", ""
        ),
    }


def test_corpora_have_provenance_and_mark_synthetic_entries():
    for entry in CONTROLLER + CLIENT:
        assert entry["provenance"].strip()
        assert isinstance(entry["synthetic"], bool)
    assert any(not entry["synthetic"] for entry in CONTROLLER)
    needles = ("no such file or directory", "connection refused", "yaml: ", "forbidden", "not found", "i/o timeout")
    needles += ("x509", "context deadline exceeded", "unauthorized", "authentication required")
    for needle in needles:
        assert any(needle in entry["message"].lower() for entry in CONTROLLER), needle


@pytest.mark.parametrize("entry", CONTROLLER, ids=lambda entry: f"{entry['controller']}:{entry['reason']}")
def test_controller_messages_are_never_client_errors(entry):
    for shape, result in synthetic_shapes(entry["message"]).items():
        assert client_error(result, KS, "/k/config") is None, shape
        assert type(classify(result, KS, "/k/config")) is CommandFailed, shape


@pytest.mark.parametrize("entry", CLIENT, ids=lambda entry: entry["stderr"][:60])
def test_client_errors_classify_as_their_type(entry):
    argv = [entry["client"], entry["command"], "kustomization", entry.get("name", "x")]
    target = Target("Kustomization", entry.get("name", "x"), "flux-system", "read")
    if entry["command"] == "logs":
        target = Target("Deployment", entry["name"], "flux-system", "read logs of")
    error = client_error(CommandResult(argv, 1, "", entry["stderr"]), target, "/k/config")
    assert error is not None and error.error_type == entry["expect"], error
    if "retryable" in entry:
        assert error.retryable is entry["retryable"]


@pytest.mark.parametrize("entry", CLIENT, ids=lambda entry: entry["stderr"][:60])
def test_client_error_hints_are_one_clean_line(entry):
    argv = [entry["client"], entry["command"], "kustomization", entry.get("name", "x")]
    error = classify(CommandResult(argv, 1, "", entry["stderr"]), KS, "/k/config")
    for text in (error.message, error.hint):
        assert "\n" not in text
        assert "memcache.go" not in text and "Unhandled Error" not in text


@pytest.mark.parametrize("entry", CLIENT, ids=lambda entry: entry["stderr"][:60])
def test_client_error_answers_survive_masking_whole(entry):
    """Our words and the clients' words around values are never taken for secrets."""
    argv = [entry["client"], entry["command"], "kustomization", entry.get("name", "x")]
    error = classify(CommandResult(argv, 1, "", entry["stderr"]), KS, "/k/config")
    assert mask_text(error.message) == error.message and mask_text(error.hint) == error.hint
