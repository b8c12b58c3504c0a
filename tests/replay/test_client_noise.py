"""What real clusters add, on the lab (lab/noise.py): expired and rejected credentials, a down aggregated API, an
admission webhook that does not answer, object names that read like errors.
"""

from __future__ import annotations

from fluxtools._masking import MASK

NOISE = "noise_kubeconfig"  # the lab's kubeconfig of the credential contexts (lab.json `noise_kubeconfig`)
EXPIRED_MESSAGE = "Error loading SSO Token: Token for lab-sso does not exist"
WEBHOOK = "guard.lab.fluxtools.io"
GUARDED = {"kind": "gitrepository", "name": "guarded-repo", "namespace": "guarded"}


def test_an_expired_sso_login_is_an_authentication_failure_with_the_plugins_message(lab_tools):
    tools = lab_tools(context="lab-sso-expired", kubeconfig=NOISE)
    for tool, args in (("flux_kustomization_list", {}), ("flux_export", {"kind": "kustomization", "name": "apps"})):
        envelope = tools.call(tool, args)
        assert envelope["error_type"] == "AuthenticationFailed", envelope
        assert "failed with exit code 255" in envelope["error"]
        assert f"The credential plugin said: {EXPIRED_MESSAGE}." in envelope["hint"]
        assert "Log in again" in envelope["hint"] and MASK not in envelope["hint"] + envelope["error"]
        assert "attempts" not in envelope


def test_sso_contexts_whose_plugin_answers_read_the_cluster(lab_tools):
    for context in ("lab-sso", "lab-sso-slow"):
        tools = lab_tools(context=context, kubeconfig=NOISE)
        got = tools.call("flux_kustomization_get", {"name": "apps"})
        assert got["success"] and got["data"]["ready"] is True, (context, got)
        exported = tools.call("flux_export", {"kind": "kustomization", "name": "apps"})
        assert exported["success"], (context, exported)


def test_a_rejected_token_is_an_authentication_failure_not_rbac(lab_tools):
    tools = lab_tools(context="lab-token-rejected", kubeconfig=NOISE)
    for tool, args in (("flux_kustomization_list", {}), ("flux_export", {"kind": "kustomization", "name": "apps"})):
        envelope = tools.call(tool, args)
        assert envelope["error_type"] == "AuthenticationFailed", envelope
        assert "rejected the credentials" in envelope["error"] and MASK not in envelope["hint"]


def test_the_down_aggregated_api_changes_no_answer(lab_tools):
    """With the lab's `metrics.k8s.io` unavailable, reads and a missing object answer as without it."""
    tools = lab_tools()
    missing = tools.call("flux_kustomization_get", {"name": "not-in-the-lab"})
    assert missing["error_type"] == "NotFound" and "attempts" not in missing
    assert missing["error"] == "Kustomization 'not-in-the-lab' not found in namespace 'flux-system'"
    listed = tools.call("flux_kustomization_list", {"namespace": "flux-system"})
    assert listed["success"] and listed["data"]["total"] >= 6


def test_a_webhook_that_does_not_answer_refuses_the_change(lab_tools):
    tools = lab_tools()
    refused = tools.call("flux_reconcile", GUARDED)
    assert refused["error_type"] == "AdmissionRefused", refused
    assert refused["error"] == (
        f"The API server refused to reconcile gitrepository/guarded-repo: admission webhook '{WEBHOOK}' did not answer"
    )
    assert "Nothing was changed" in refused["hint"]
    still = tools.call("flux_source_get", {"kind": "git", "name": "guarded-repo", "namespace": "guarded"})
    assert still["success"] and still["data"]["ready"] is True


def test_missing_objects_named_like_error_words_are_not_found(lab_tools):
    tools = lab_tools()
    for name in ("forbidden-zone", "unauthorized-apps"):
        for tool, args in (
            ("flux_kustomization_get", {"name": name}),
            ("flux_suspend", {"kind": "kustomization", "name": name}),
            ("flux_resume", {"kind": "kustomization", "name": name}),
        ):
            envelope = tools.call(tool, args)
            assert envelope["error_type"] == "NotFound", (tool, envelope)
            assert envelope["error"] == f"Kustomization '{name}' not found in namespace 'flux-system'"
