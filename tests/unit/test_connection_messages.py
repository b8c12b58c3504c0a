"""Connection errors name the kubeconfig really in use, or say none was found and where we looked.

The kubectl stderr below was captured from kubectl v1.32.4 with no kubeconfig (KUBECONFIG unset, no
~/.kube/config); the scripted runs are synthetic.
"""

import pytest

from fluxtools import FluxConfig, FluxTools
from fluxtools._errors import DEMO_TIP, NO_KUBECONFIG, ClusterUnreachable, InvalidKubeconfig
from fluxtools._process.classify import Target, classify
from fluxtools._process.runners import CommandResult
from fluxtools.testing import ScriptedRunner

KLOG = (
    'E1201 01:59:51.173789   16772 memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group '
    'list: Get \\"http://localhost:8080/api?timeout=32s\\": dial tcp 127.0.0.1:8080: connect: connection refused"\n'
)
REFUSED_8080 = "The connection to the server localhost:8080 was refused - did you specify the right host or port?"
NO_CONFIG_STDERR = KLOG * 5 + REFUSED_8080 + "\n"


@pytest.fixture
def no_kubeconfig(monkeypatch, tmp_path):
    monkeypatch.delenv("KUBECONFIG", raising=False)
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path


def test_display_names_the_configured_path(monkeypatch, tmp_path):
    present = tmp_path / "config"
    present.write_text("apiVersion: v1\nkind: Config\n")
    monkeypatch.setenv("KUBECONFIG", f"{tmp_path / 'gone'}:{present}")
    assert FluxConfig(kubeconfig="/k/config").kubeconfig_display() == "/k/config"
    assert FluxConfig().kubeconfig_display() == str(present)


def test_display_says_when_kubeconfig_names_no_file(monkeypatch, no_kubeconfig):
    monkeypatch.setenv("KUBECONFIG", "/env/gone")
    assert FluxConfig().kubeconfig_display().startswith(f"{NO_KUBECONFIG} (looked at KUBECONFIG=/env/gone (no such")


def test_display_names_the_home_kubeconfig_only_when_it_exists(no_kubeconfig):
    (no_kubeconfig / ".kube").mkdir()
    (no_kubeconfig / ".kube" / "config").write_text("apiVersion: v1\nkind: Config\n")
    assert FluxConfig().kubeconfig_display() == str(no_kubeconfig / ".kube" / "config")


def test_display_says_none_was_found_and_where_it_looked(no_kubeconfig):
    shown = FluxConfig().kubeconfig_display()
    assert shown.startswith(NO_KUBECONFIG)
    assert "KUBECONFIG" in shown and str(no_kubeconfig / ".kube" / "config") in shown and "in-cluster" in shown
    assert "~/.kube/config" not in shown


def test_no_kubeconfig_is_reported_as_such_with_one_clean_hint(no_kubeconfig):
    runner = ScriptedRunner(lambda argv: (1, "", NO_CONFIG_STDERR))
    envelope = FluxTools(FluxConfig(), runner=runner).call("flux_kustomization_list", {})
    assert envelope["error_type"] == "InvalidKubeconfig"
    assert envelope["error"].startswith("Unable to connect to cluster: no kubeconfig found")
    assert "Check kubeconfig at ~/.kube/config" not in envelope["error"]
    assert "\n" not in envelope["hint"] and "memcache.go" not in envelope["hint"]
    assert REFUSED_8080 in envelope["hint"]


def test_unreachable_hint_keeps_the_final_client_line_only():
    stderr = KLOG.replace("localhost:8080", "127.0.0.1:1") * 3 + REFUSED_8080.replace("localhost:8080", "127.0.0.1:1")
    error = classify(CommandResult(["kubectl", "get"], 1, "", stderr), Target(), "/k/config")
    assert isinstance(error, ClusterUnreachable) and error.retryable
    assert error.message == "Unable to connect to cluster. Check kubeconfig at /k/config"
    assert f"({REFUSED_8080.replace('localhost:8080', '127.0.0.1:1')})" in error.hint
    assert "\n" not in error.hint and "E1201" not in error.hint


def test_only_klog_lines_still_give_one_clean_hint():
    stderr = KLOG.replace("localhost:8080", "10.0.0.1:6443") * 4
    error = classify(CommandResult(["kubectl", "get"], 1, "", stderr), Target(), "/k/config")
    assert isinstance(error, ClusterUnreachable)
    assert "\n" not in error.hint and "E1201" not in error.hint and "dial tcp 127.0.0.1:8080" in error.hint


def test_in_cluster_account_is_named(monkeypatch, no_kubeconfig):
    from fluxtools import _config as config_module

    monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1")
    monkeypatch.setenv("KUBERNETES_SERVICE_PORT", "443")
    token = no_kubeconfig / "token"
    token.write_text("synthetic")
    monkeypatch.setattr(config_module, "SERVICE_ACCOUNT_TOKEN", token)
    shown = FluxConfig().kubeconfig_display()
    error = classify(CommandResult(["kubectl"], 1, "", "error: stat x: no such file or directory"), Target(), shown)
    assert isinstance(error, InvalidKubeconfig)
    assert error.message == "Unable to connect to cluster using the in-cluster service account"


def test_kubeconfig_without_a_server_says_so():
    stderr = KLOG + REFUSED_8080
    error = classify(CommandResult(["kubectl", "get"], 1, "", stderr), Target(), "/k/empty.yaml")
    assert isinstance(error, InvalidKubeconfig)
    assert error.message == "Unable to connect to cluster. Check kubeconfig at /k/empty.yaml"
    assert error.hint.startswith("The kubeconfig names no server") and REFUSED_8080 in error.hint


def test_no_kubeconfig_says_the_demo_shows_the_tools_without_a_cluster(no_kubeconfig):
    runner = ScriptedRunner(lambda argv: (1, "", NO_CONFIG_STDERR))
    envelope = FluxTools(FluxConfig(), runner=runner).call("flux_diagnose", {})
    assert envelope["error_type"] == "InvalidKubeconfig"
    assert envelope["hint"].endswith(f"{REFUSED_8080} {DEMO_TIP}")
    assert "--cluster demo" in DEMO_TIP


def test_a_refused_connection_says_the_demo_shows_the_tools_without_a_cluster():
    stderr = REFUSED_8080.replace("localhost:8080", "127.0.0.1:1")
    error = classify(CommandResult(["kubectl", "get"], 1, "", stderr), Target(), "/k/config")
    assert isinstance(error, ClusterUnreachable) and error.hint.endswith(f"?) {DEMO_TIP}")


def test_a_cluster_that_answers_badly_does_not_point_at_the_demo():
    stderr = "Unable to connect to the server: x509: certificate signed by unknown authority"
    error = classify(CommandResult(["kubectl", "get"], 1, "", stderr), Target(), "/k/config")
    assert isinstance(error, ClusterUnreachable) and DEMO_TIP not in error.hint


def test_the_demo_names_its_recorded_kubeconfig_in_plain_words():
    error = ClusterUnreachable(FluxConfig(cluster="demo").kubeconfig_display(), "connection refused")
    assert error.message == "Unable to connect to cluster (as recorded from this context of the lab's kubeconfig)"
    assert "Check kubeconfig at" not in error.message and DEMO_TIP not in error.hint
