"""Error classification on the flux/kubectl stderr texts (as printed by flux 2.9 and kubectl 1.36).

These texts are quoted from the CLI reference; the replay tests check the same
classification on output recorded from the lab.
"""

import pytest

from fluxtools._errors import (
    AuthenticationFailed,
    ClusterUnreachable,
    CommandFailed,
    FluxNotInitialized,
    InvalidKubeconfig,
    NotFound,
    PermissionDenied,
    Transient,
)
from fluxtools._process.classify import Target, classify, cli_deadline, client_error
from fluxtools._process.runners import CommandResult

KS = Target("Kustomization", "my-app", "default", "reconcile")


def failed(stderr: str) -> CommandResult:
    return CommandResult(argv=["flux"], exit_code=1, stderr=stderr)


@pytest.mark.parametrize(
    ("stderr", "error_type", "message"),
    [
        (
            'Error from server (NotFound): kustomizations.kustomize.toolkit.fluxcd.io "my-app" not found',
            NotFound,
            "Kustomization 'my-app' not found in namespace 'default'",
        ),
        (
            "✗ Kustomization object 'my-app' not found in \"default\" namespace",
            NotFound,
            "Kustomization 'my-app' not found in namespace 'default'",
        ),
        (
            "✗ unable to retrieve the complete list of server APIs: kustomize.toolkit.fluxcd.io/v1: no matches for "
            "kustomize.toolkit.fluxcd.io/v1, Resource=",
            FluxNotInitialized,
            "Flux not installed in cluster. Run: flux install",
        ),
        (
            'error: the server doesn\'t have a resource type "kustomizations"',
            FluxNotInitialized,
            "Flux not installed in cluster. Run: flux install",
        ),
        (
            '✗ kustomizations.kustomize.toolkit.fluxcd.io "my-app" is forbidden: User "jane" cannot patch resource '
            '"kustomizations" in API group "kustomize.toolkit.fluxcd.io" in the namespace "default"',
            PermissionDenied,
            "Insufficient permissions to reconcile kustomization/my-app",
        ),
        (
            '✗ failed to get server groups: Get "https://127.0.0.1:6443/api?timeout=32s": dial tcp 127.0.0.1:6443: '
            "connect: connection refused",
            ClusterUnreachable,
            "Unable to connect to cluster. Check kubeconfig at /k/config",
        ),
        (
            "The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?",
            ClusterUnreachable,
            "Unable to connect to cluster. Check kubeconfig at /k/config",
        ),
        (
            "✗ invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment "
            "variable",
            InvalidKubeconfig,
            "Unable to connect to cluster. Check kubeconfig at /k/config",
        ),
        (
            'error: context "foo" does not exist',
            InvalidKubeconfig,
            "Unable to connect to cluster. Check kubeconfig at /k/config",
        ),
        ("✗ the server has asked for the client to provide credentials", AuthenticationFailed, None),
        ("Error from server (TooManyRequests): the server has received too many requests (429)", Transient, None),
        ("Error from server: etcdserver: leader changed", Transient, None),
    ],
)
def test_classification(stderr, error_type, message):
    error = classify(failed(stderr), KS, "/k/config")
    assert type(error) is error_type
    if message:
        assert error.message == message


def test_connection_refused_is_retryable_but_no_such_host_is_not():
    refused = '✗ Get "https://127.0.0.1:6443/api?timeout=32s": dial tcp 127.0.0.1:6443: connect: connection refused'
    assert classify(failed(refused), KS, "k").retryable
    no_host = "Unable to connect to the server: dial tcp: lookup nowhere.invalid on 10.0.0.53:53: no such host"
    assert not classify(CommandResult(["kubectl"], 1, "", no_host), KS, "k").retryable


def test_command_failed_includes_trimmed_stderr():
    error = classify(failed("x" * 5000), KS, "k")
    assert isinstance(error, CommandFailed)
    assert len(error.message) < 2100 and error.message.endswith("...")


def test_controller_message_mentioning_not_found_is_not_not_found():
    error = classify(failed("✗ Source artifact not found, retrying in 30s"), KS, "k")
    assert isinstance(error, CommandFailed)


RECONCILE_ARGV = ["flux", "reconcile", "kustomization", "my-app", "--with-source"]


def test_source_stalled_during_with_source_is_the_controllers():
    """Synthetic: the GitRepository's Stalled message, echoed while flux waits on it before the Kustomization."""
    stderr = (
        "► annotating GitRepository flux-system in flux-system namespace\n✔ GitRepository annotated\n"
        "◎ waiting for GitRepository reconciliation\n"
        "✗ failed to checkout and determine revision: unable to clone 'ssh://git@example.com/x': "
        "dial tcp 10.0.0.1:22: connect: connection refused\n"
    )
    assert client_error(CommandResult(RECONCILE_ARGV, 1, "", stderr), KS, "k") is None


def test_flux_not_found_for_the_source_names_the_source():
    """Synthetic: `flux reconcile ks --with-source` whose GitRepository is gone."""
    stderr = '✗ gitrepositories.source.toolkit.fluxcd.io "flux-system" not found\n'
    error = client_error(CommandResult(RECONCILE_ARGV, 1, "", stderr), KS, "k")
    assert isinstance(error, NotFound)
    assert error.message == "GitRepository 'flux-system' not found in namespace 'default'"


@pytest.mark.parametrize(
    ("line", "own"),
    [
        ("context deadline exceeded", True),
        ("client rate limiter Wait returned an error: context deadline exceeded", True),
        (
            'Get "https://127.0.0.1:6443/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/a/kustomizations/b": '
            "context deadline exceeded",
            True,
        ),
        ("failed to pull artifact from 'oci://r/x': Get \"https://r/v2/\": context deadline exceeded", False),
        ("health check failed after 30s: context deadline exceeded", False),
    ],
)
def test_cli_deadline_only_in_the_clients_own_shapes(line, own):
    """Synthetic `✗` lines after flux's waiting line."""
    stderr = f"◎ waiting for Kustomization reconciliation\n✗ {line}\n"
    assert cli_deadline(CommandResult(RECONCILE_ARGV, 1, "", stderr)) is own
