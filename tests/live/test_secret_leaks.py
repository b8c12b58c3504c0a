"""The lab plants a Git credential (a Secret and a URL with userinfo) and a value in the Secrets a HelmRelease's
values and a Kustomization's variables come from: no tool output or audit line shows them."""

import json
from pathlib import Path

from fluxtools import FluxTools
from fluxtools._process.runners import SubprocessRunner
from fluxtools.specs import ALL_SPECS

PRIVATE = {"kind": "git", "name": "private-repo"}


def planted(lab):
    secrets = {"planted-secret-123", *lab.get("planted_secrets", [])}
    tokens = Path(lab["state_dir"]) / "pki" / "tokens.csv"
    secrets.update(line.split(",")[0] for line in tokens.read_text().splitlines() if line)
    return {secret for secret in secrets if isinstance(secret, str) and len(secret) >= 8}


def test_no_output_or_audit_line_carries_a_planted_secret(lab, lab_config, tmp_path):
    audit = tmp_path / "audit.jsonl"
    tools = FluxTools(lab_config(audit_log=str(audit), reconcile_min_interval_secs=0), runner=SubprocessRunner())
    calls = [(spec.name, {}) for spec in ALL_SPECS if not spec.mutating and not spec.json_schema()["required"]]
    calls += [
        ("flux_source_get", PRIVATE),
        ("flux_export", {"kind": "source git", "name": "private-repo"}),
        ("flux_export", {"kind": "source git"}),
        ("flux_events", {"kind": "gitrepository", "name": "private-repo"}),
        ("flux_logs", {"kind": "source-controller", "tail": 1000}),
        ("flux_reconcile", {"kind": "gitrepository", "name": "private-repo", "timeout_secs": 20}),
        ("flux_diagnose", {"max_bytes": 1_048_576}),
        ("flux_values", {"kind": "helmrelease", "name": "values-from", "namespace": "apps"}),
        ("flux_values", {"kind": "kustomization", "name": "post-build", "namespace": "apps"}),
        ("flux_helmrelease_get", {"name": "values-from", "namespace": "apps"}),
        ("flux_export", {"kind": "helmrelease", "name": "values-from", "namespace": "apps"}),
        ("flux_logs", {"kind": "helm-controller", "tail": 1000}),
    ]
    outputs = []
    for name, args in calls:
        envelope = tools.call(name, args)
        assert envelope["success"], (name, envelope)
        outputs.append((name, json.dumps(envelope)))
    audit_text = audit.read_text()
    assert "flux_reconcile" in audit_text
    secrets = planted(lab)
    leaks = [(name, secret) for name, text in outputs for secret in secrets if secret in text]
    leaks += [("audit", secret) for secret in secrets if secret in audit_text]
    assert leaks == []
    assert any("private-repo" in text for _, text in outputs)  # the object itself was read
    assert any('"from": "Secret/values-secret"' in text for _, text in outputs)  # the Secret's values were reached
