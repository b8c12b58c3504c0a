"""Cassette headers carry the versions the binaries report, asked once per process.

The flux and kubectl here are synthetic: small scripts that print what the real ones print for
`version -o json` and count how often they were asked.
"""

import json
import stat
import sys

import pytest

from fluxtools.cassettes import reported_versions

FLUX_CLUSTER = {"flux": "v9.8.7", "distribution": "flux-v9.8.7", "source-controller": "v1.2.3"}
KUBECTL = {"clientVersion": {"gitVersion": "v1.99.1"}, "serverVersion": {"gitVersion": "v1.99.2"}}


def synthetic_binary(folder, name, cluster_output, client_output, exit_code=0):
    """A script printing `cluster_output` (or `client_output` with --client) and logging each call."""
    script = folder / name
    calls = folder / f"{name}.calls"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        f"open({str(calls)!r}, 'a').write(' '.join(sys.argv[1:]) + '\\n')\n"
        f"client = {json.dumps(client_output)!r}\n"
        f"cluster = {json.dumps(cluster_output)!r}\n"
        "print(client if '--client' in sys.argv else cluster)\n"
        f"sys.exit(0 if '--client' in sys.argv else {exit_code})\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script), calls


@pytest.fixture(autouse=True)
def fresh_cache():
    reported_versions.cache_clear()
    yield
    reported_versions.cache_clear()


def test_versions_come_from_the_binaries_once_per_process(tmp_path):
    flux, flux_calls = synthetic_binary(tmp_path, "flux", FLUX_CLUSTER, {"flux": "v9.8.7"})
    kubectl, kubectl_calls = synthetic_binary(tmp_path, "kubectl", KUBECTL, {})
    first = reported_versions(flux, kubectl, "/k/config", "ctx")
    second = reported_versions(flux, kubectl, "/k/config", "ctx")
    assert second == first
    assert first == {
        "flux_version": "v9.8.7",
        "kubectl_version": "v1.99.1",
        "server_version": "v1.99.2",
        "controllers": {"source-controller": "v1.2.3"},
    }
    assert flux_calls.read_text().splitlines() == ["version -o json --kubeconfig /k/config --context ctx"]
    assert kubectl_calls.read_text().splitlines() == ["version -o json --kubeconfig /k/config --context ctx"]


def test_a_cluster_that_does_not_answer_leaves_its_fields_empty(tmp_path):
    flux, flux_calls = synthetic_binary(tmp_path, "flux", "", {"flux": "v9.8.7"}, exit_code=1)
    kubectl, _ = synthetic_binary(tmp_path, "kubectl", {"clientVersion": {"gitVersion": "v1.99.1"}}, {}, 1)
    versions = reported_versions(flux, kubectl)
    assert versions == {
        "flux_version": "v9.8.7",
        "kubectl_version": "v1.99.1",
        "server_version": None,
        "controllers": {},
    }
    assert flux_calls.read_text().splitlines() == ["version -o json", "version --client -o json"]


def test_missing_binaries_report_nothing(tmp_path):
    versions = reported_versions(str(tmp_path / "no-flux"), str(tmp_path / "no-kubectl"))
    assert versions == {"flux_version": None, "kubectl_version": None, "server_version": None, "controllers": {}}
