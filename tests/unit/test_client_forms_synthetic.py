"""Client failures read by their form, never their words (synthetic stderr in the clients' formats).

The texts are assembled from the format strings of the sources: client-go's exec credential plugin
(`plugin/pkg/client/auth/exec/exec.go`: `getting credentials: %v`, `exec: executable %s failed with exit code %d`),
kubectl's `cmd/util/helpers.go` (`Unable to connect to the server: %v`, `error: You must be logged in to the server
(%s)`, `Error from server (%s): %s`), client-go's discovery cache (`memcache.go`: `couldn't get resource list for %v:
%v`, logged through klog), and the API server's admission (`apierrors.NewInternalError`: `Internal error occurred:
%v`; `ErrCallingWebhook`: `failed calling webhook %q: %v`; the validating dispatcher: `failed to call webhook: %w`).
Names, addresses and the plugin's message are filled in by hand. The lab records the same failures for real
(tests/replay/test_client_noise.py).
"""

import json

import pytest

from fluxtools import FluxConfig, FluxTools
from fluxtools._errors import (
    AdmissionRefused,
    AuthenticationFailed,
    ClusterUnreachable,
    NotFound,
    PermissionDenied,
    Transient,
)
from fluxtools._masking import MASK, mask_text, mask_value
from fluxtools._process.classify import Target, classify, failures
from fluxtools._process.runners import CommandResult
from fluxtools.specs.actions import cli_failure
from fluxtools.testing import ScriptedRunner
from tests.unit.support import ready_object

KS = Target("Kustomization", "apps", "flux-system", "read")
PLUGIN_SAID = "Error loading SSO Token: Token for my-sso does not exist"
PLUGIN_FAILED = "exec: executable aws failed with exit code 255"
GROUP_LIST_KLOG = (
    'E1204 18:20:01.123456   4242 memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group '
    'list: Get \\"https://127.0.0.1:26443/api?timeout=32s\\": getting credentials: ' + PLUGIN_FAILED + '"\n'
)
EXPIRED_LOGIN = (
    GROUP_LIST_KLOG + PLUGIN_SAID + "\n"
) * 3 + f"Unable to connect to the server: getting credentials: {PLUGIN_FAILED}\n"
UNAUTHORIZED = "error: You must be logged in to the server (Unauthorized)\n"
AGGREGATED_API_DOWN = (
    'E1204 18:20:01.223456   4242 memcache.go:287] "Unhandled Error" err="couldn\'t get resource list for '
    'metrics.k8s.io/v1beta1: the server is currently unable to handle the request"\n'
)
WEBHOOK_DOWN = (
    'Internal error occurred: failed calling webhook "v.example.io": failed to call webhook: Post '
    '"https://webhook.example.svc:443/validate?timeout=10s": dial tcp 10.96.0.9:443: connect: connection refused'
)


def kubectl(stderr: str) -> CommandResult:
    return CommandResult(["kubectl", "get", "kustomizations"], 1, "", stderr)


def tools(reply) -> tuple[FluxTools, ScriptedRunner]:
    runner = ScriptedRunner(reply)
    return FluxTools(FluxConfig(kubeconfig="/k/config"), runner=runner), runner


# 1. an expired cloud login -----------------------------------------------------------------------------------------
def test_a_failing_credential_plugin_is_an_authentication_failure_with_its_own_message():
    error = classify(kubectl(EXPIRED_LOGIN), KS, "/k/config")
    assert isinstance(error, AuthenticationFailed) and not isinstance(error, ClusterUnreachable)
    assert PLUGIN_FAILED in error.message
    assert f"The credential plugin said: {PLUGIN_SAID}." in error.hint  # once, though the plugin ran three times
    assert error.hint.count(PLUGIN_SAID) == 1 and "Log in again" in error.hint


def test_the_expired_login_answer_survives_masking_whole():
    flux, runner = tools(lambda argv: (1, "", EXPIRED_LOGIN))
    envelope = flux.call("flux_kustomization_list", {})
    assert envelope["error_type"] == "AuthenticationFailed"
    assert MASK not in envelope["error"] + envelope["hint"]
    assert PLUGIN_SAID in envelope["hint"] and "getting credentials" not in envelope["hint"]
    assert len(runner.calls) == 1  # logging in again is needed; retrying is not


def test_a_failing_credential_plugin_through_flux():
    stderr = (
        f"{PLUGIN_SAID}\n✗ failed to get API group resources: unable to retrieve the complete list of server APIs: "
        f'kustomize.toolkit.fluxcd.io/v1: Get "https://127.0.0.1:26443/apis/kustomize.toolkit.fluxcd.io/v1": '
        f"getting credentials: {PLUGIN_FAILED}\n"
    )
    error = classify(CommandResult(["flux", "get", "kustomizations"], 1, "", stderr), KS, "/k/config")
    assert isinstance(error, AuthenticationFailed) and PLUGIN_SAID in error.hint


# 2. rejected credentials -------------------------------------------------------------------------------------------
def test_rejected_credentials_are_not_rbac():
    error = classify(kubectl(UNAUTHORIZED), KS, "/k/config")
    assert isinstance(error, AuthenticationFailed) and not isinstance(error, PermissionDenied)
    assert "rejected the credentials" in error.message and "(Unauthorized)" in error.message
    flux, _ = tools(lambda argv: (1, "", UNAUTHORIZED))
    envelope = flux.call("flux_kustomization_list", {})
    assert envelope["error_type"] == "AuthenticationFailed"
    assert MASK not in envelope["error"] + envelope["hint"] and "You must be logged in" in envelope["hint"]


# 3. klog lines never outrank what kubectl said -----------------------------------------------------------------
def test_klog_lines_of_a_down_aggregated_api_do_not_outrank_the_real_error():
    stderr = AGGREGATED_API_DOWN * 5 + (
        'Error from server (NotFound): kustomizations.kustomize.toolkit.fluxcd.io "apps" not found\n'
    )
    error = classify(kubectl(stderr), KS, "/k/config")
    assert isinstance(error, NotFound) and not error.retryable
    flux, runner = tools(lambda argv: (1, "", stderr))
    envelope = flux.call("flux_kustomization_get", {"name": "apps"})
    assert envelope["error_type"] == "NotFound" and "attempts" not in envelope
    assert len(runner.calls) == 1


def test_klog_lines_decide_only_when_the_client_said_nothing_else():
    only_logged = classify(kubectl(AGGREGATED_API_DOWN), KS, "/k/config")
    assert isinstance(only_logged, Transient)
    said_more = classify(kubectl(AGGREGATED_API_DOWN + "error: unknown flag: --bogus\n"), KS, "/k/config")
    assert type(said_more).__name__ == "CommandFailed" and "unknown flag" in said_more.message


def test_a_successful_read_through_the_noise_is_a_success():
    flux, _ = tools(lambda argv: (0, json.dumps(ready_object()), AGGREGATED_API_DOWN * 5))
    assert flux.call("flux_kustomization_get", {"name": "apps"})["success"]


# 4. an admission webhook that is down --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "result",
    [
        CommandResult(["kubectl", "patch"], 1, "", f"Error from server (InternalError): {WEBHOOK_DOWN}\n"),
        CommandResult(["flux", "resume", "kustomization", "apps"], 1, "", f"✗ {WEBHOOK_DOWN}\n"),
        CommandResult(["flux", "reconcile", "kustomization", "apps"], 1, "", f"✗ {WEBHOOK_DOWN}\n"),
        CommandResult(
            ["flux", "suspend", "kustomization", "apps"],
            1,
            "",
            f"► suspending kustomization apps in flux-system namespace\n✗ failed suspending Kustomization apps in "
            f"flux-system namespace: {WEBHOOK_DOWN}\n",
        ),
    ],
    ids=["kubectl", "flux resume", "flux reconcile", "flux suspend"],
)
def test_a_webhook_that_is_down_is_the_servers_refusal_not_the_network(result):
    error = classify(result, Target("Kustomization", "apps", "flux-system", "resume"), "/k/config")
    assert isinstance(error, AdmissionRefused) and not isinstance(error, ClusterUnreachable)
    assert (
        error.message
        == "The API server refused to resume kustomization/apps: admission webhook 'v.example.io' did not answer"
    )
    assert "Nothing was changed" in error.hint and not error.retryable


def test_a_webhook_denial_is_an_admission_refusal():
    denied = 'admission webhook "v.example.io" denied the request: suspending is frozen this week'
    error = classify(kubectl(f"Error from server (Forbidden): {denied}\n"), KS, "/k/config")
    assert isinstance(error, AdmissionRefused) and "suspending is frozen this week" in error.hint


# 5. object names decide nothing --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["forbidden-zone", "unauthorized-apps", "connection-refused", "etcdserver-x"])
def test_a_missing_object_is_not_found_whatever_its_name(name):
    target = Target("Kustomization", name, "flux-system", "suspend")
    missing = f'Error from server (NotFound): kustomizations.kustomize.toolkit.fluxcd.io "{name}" not found\n'
    assert isinstance(classify(kubectl(missing), target, "k"), NotFound)
    suspend = CommandResult(["flux", "suspend"], 0, "", f"✗ Kustomization {name} not found in flux-system namespace\n")
    assert isinstance(classify(suspend, target, "k"), NotFound)
    resume = CommandResult(["flux", "resume"], 0, "", f"✗ Kustomization object '{name}' not found in apps namespace\n")
    assert isinstance(classify(resume, target, "k"), NotFound)


@pytest.mark.parametrize("name", ["forbidden-zone", "unauthorized-apps"])
def test_get_and_suspend_of_a_missing_object_named_like_an_error_word(name):
    missing = f'Error from server (NotFound): kustomizations.kustomize.toolkit.fluxcd.io "{name}" not found\n'
    flux, _ = tools(lambda argv: (1, "", missing))
    for tool in ("flux_kustomization_get", "flux_suspend"):
        args = {"name": name} if tool == "flux_kustomization_get" else {"kind": "kustomization", "name": name}
        envelope = flux.call(tool, args)
        assert envelope["error_type"] == "NotFound", envelope


# the one reader of flux's lines ------------------------------------------------------------------------------------
def test_the_mutating_tools_read_flux_lines_through_the_classifier():
    stderr = "► suspending kustomization a in x namespace\n✔ kustomization suspended\n✗ one\n  ✗ two\nplain\n"
    result = CommandResult(["flux", "suspend"], 0, "", stderr)
    assert failures(result) == ["one", "two"]
    assert cli_failure(result) == "one; two"
    assert cli_failure(CommandResult(["flux", "suspend"], 0, "", "✔ kustomization suspended\n")) is None


# 9 and masking without false positives -------------------------------------------------------------------------
def test_everything_under_a_secret_looking_key_is_masked_whatever_its_shape():
    values = {
        "values": {
            "token": {"value": "tok-1234", "nested": [{"deeper": "tok-5678"}], "port": 8443, "enabled": True},
            "credentials": ["cred-1", {"user": "lab", "pass": "cred-2"}],
            "password": {"secretKeyRef": {"name": "db", "key": "password"}},
            "image": {"tag": "1.2.3"},
        }
    }
    masked = mask_value(values)["values"]
    assert masked["token"] == {"value": MASK, "nested": [{"deeper": MASK}], "port": MASK, "enabled": True}
    assert masked["credentials"] == [MASK, {"user": MASK, "pass": MASK}]
    assert masked["password"] == {"secretKeyRef": {"name": "db", "key": "password"}}  # a reference names, not holds
    assert masked["image"] == {"tag": "1.2.3"}
    assert "tok-" not in json.dumps(mask_value({"spec": values}))


@pytest.mark.parametrize(
    "text",
    [
        f"Unable to connect to the server: getting credentials: {PLUGIN_FAILED}",
        "The API server rejected the credentials: error: You must be logged in to the server (Unauthorized)",
        PLUGIN_SAID,
        "refreshing credentials: exec: executable kubelogin failed with exit code 1",
    ],
)
def test_the_words_around_values_survive(text):
    assert mask_text(text) == text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("credentials: token: abc123def", "abc123def"),
        ("password: hunter22 rejected", "hunter22"),
        ("the token: c2VjcmV0LXRva2Vu", "c2VjcmV0LXRva2Vu"),
        ("token=abcdef stays", "abcdef"),
    ],
)
def test_values_after_the_words_are_still_masked(text, secret):
    assert secret not in mask_text(text)
