"""Masking on every path out of `FluxTools`: data, error, hint, logs, audit log and cassettes.

Driven through the public API with scripted runners; the secrets are the synthetic corpus.
"""

import asyncio
import json

import pytest

from fluxtools import FluxConfig, FluxTools
from fluxtools._audit import AuditLog
from fluxtools.cassettes import Cassette, CassetteRunner, Redactor
from fluxtools.testing import ScriptedRunner
from tests.unit.secret_corpus import SECRETS
from tests.unit.support import ready_object

CARRIERS = [text for _, text, _ in SECRETS]
PARTS = [secret for _, _, secret in SECRETS]
SECRET_OBJECT = {
    "apiVersion": "v1",
    "kind": "Secret",
    "metadata": {"name": "repo-auth", "namespace": "flux-system"},
    "data": {"username": "bGFiLXVzZXI=", "ca.crt": "c2VjcmV0LWNh"},
}
STRUCTURED_PARTS = ["bGFiLXVzZXI=", "c2VjcmV0LWNh", "s3cr3t-db-pass"]


def leaked(text: str, parts: list[str] = PARTS) -> list[str]:
    return [part for part in parts if part in text]


def object_with_secrets() -> dict:
    obj = ready_object(ready="False")
    obj["status"]["conditions"][0]["message"] = "\n".join(CARRIERS)
    obj["spec"]["values"] = {"db": {"password": "s3cr3t-db-pass"}}
    return obj


def test_success_data():
    flux = FluxTools(FluxConfig(), runner=ScriptedRunner(lambda argv: (0, json.dumps(object_with_secrets()), "")))
    envelope = flux.call("flux_kustomization_get", {"name": "apps"})
    assert envelope["success"], envelope
    assert leaked(json.dumps(envelope)) == []
    assert "***" in json.dumps(envelope)


@pytest.mark.parametrize("carrier", CARRIERS)
def test_error_message(carrier):
    flux = FluxTools(FluxConfig(), runner=ScriptedRunner(lambda argv: (1, "", "error: " + carrier)))
    envelope = flux.call("flux_kustomization_get", {"name": "apps"})
    assert not envelope["success"] and envelope["error"]
    assert leaked(json.dumps(envelope)) == []


@pytest.mark.parametrize("carrier", CARRIERS)
def test_hint(carrier):
    stderr = 'Error from server (Forbidden): kustomizations "apps" is forbidden: User "jane" cannot get: ' + carrier
    flux = FluxTools(FluxConfig(), runner=ScriptedRunner(lambda argv: (1, "", stderr)))
    envelope = flux.call("flux_kustomization_get", {"name": "apps"})
    assert envelope["error_type"] == "PermissionDenied" and envelope.get("hint")
    assert leaked(envelope["hint"]) == []


def test_logs_output():
    lines = [
        json.dumps(
            {
                "level": "error",
                "ts": "2024-01-01T00:00:00Z",
                "msg": "clone failed",
                "error": carrier,
                "controllerKind": "GitRepository",
                "name": "podinfo",
                "namespace": "flux-system",
            }
        )
        for carrier in CARRIERS
    ]
    lines.append("plain line " + CARRIERS[0])
    flux = FluxTools(FluxConfig(), runner=ScriptedRunner(lambda argv: (0, "\n".join(lines), "")))
    envelope = flux.call("flux_logs", {"kind": "source-controller", "tail": 1000})
    assert envelope["success"] and envelope["data"]["lines"] == len(lines)
    assert leaked(json.dumps(envelope)) == []


def test_audit_log_lines_through_a_mutation(tmp_path):
    path = tmp_path / "audit.jsonl"

    def reply(argv):
        if argv[0] == "flux":
            return (1, "", "✗ " + "\n".join(CARRIERS))
        return (0, json.dumps(object_with_secrets()), "")

    flux = FluxTools(FluxConfig(audit_log=str(path)), runner=ScriptedRunner(reply))
    envelope = flux.call("flux_reconcile", {"kind": "kustomization", "name": "apps", "timeout_secs": 2})
    assert leaked(json.dumps(envelope)) == []
    text = path.read_text()
    assert [json.loads(line)["phase"] for line in text.splitlines()] == ["before", "after"]
    assert leaked(text) == []


def test_audit_log_masks_what_it_is_given(tmp_path):
    path = tmp_path / "audit.jsonl"
    AuditLog(str(path)).write({"note": CARRIERS, "arguments": {"values": {"db": {"password": "s3cr3t-db-pass"}}}})
    text = path.read_text()
    assert leaked(text, PARTS + ["s3cr3t-db-pass"]) == []


def test_cassettes_hold_no_secret_when_recording(tmp_path):
    listing = json.dumps(
        {"apiVersion": "v1", "kind": "List", "items": [SECRET_OBJECT, object_with_secrets()]}, indent=4
    )

    def reply(argv):
        if "secrets" in argv:
            return (0, listing, "\n".join(CARRIERS))
        return (0, json.dumps({"items": [object_with_secrets()]}), "")

    runner = CassetteRunner(Cassette.load(tmp_path / "c.cli.yaml"), ScriptedRunner(reply), mode="once")
    flux = FluxTools(FluxConfig(), runner=runner)
    flux.call("flux_kustomization_list", {})
    asyncio.run(runner.run(["kubectl", "--token", "abcdef123456", "get", "secrets", "-o", "json"], timeout=5))
    assert runner.save()
    text = (tmp_path / "c.cli.yaml").read_text()
    assert leaked(text, PARTS + STRUCTURED_PARTS + ["abcdef123456"]) == []
    # the redacted transcript still replays and still says which Secret and keys were there
    replay = CassetteRunner(Cassette.load(tmp_path / "c.cli.yaml"), None, mode="none")
    out = asyncio.run(replay.run(["kubectl", "--token", "abcdef123456", "get", "secrets", "-o", "json"], timeout=5))
    items = json.loads(out.stdout)["items"]
    assert items[0]["metadata"]["name"] == "repo-auth" and sorted(items[0]["data"]) == ["ca.crt", "username"]


def test_redactor_uses_the_masking_rules():
    redactor = Redactor()
    for carrier, part in zip(CARRIERS, PARTS, strict=True):
        assert part not in redactor.text(carrier)
        assert part not in " ".join(redactor.argv(["flux", carrier]))
