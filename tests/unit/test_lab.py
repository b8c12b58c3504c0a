"""The lab's own modules (no cluster): pins in one file, the cache key, kubeconfig contexts, the scenario."""

import json
import subprocess
import sys
from pathlib import Path

from lab import kubeconfig, scenario, versions

ROOT = Path(__file__).resolve().parents[2]


def test_pins_live_in_one_file_and_build_sh_reads_them():
    pins = json.loads((ROOT / "lab" / "versions.json").read_text())
    shell = subprocess.run(
        ["bash", "-c", 'eval "$(python3 lab/versions.py shell)"; echo "$K8S $STG $K8S_MINOR $FLUX $KUST $KEY"'],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert shell == [
        pins["kubernetes"],
        pins["kubernetes_staging"],
        pins["kubernetes"].split(".")[1],
        pins["flux"],
        pins["controllers"]["kustomize-controller"],
        versions.KEY,
    ]
    key = f"k8s-{pins['kubernetes']}_flux-{pins['flux']}_etcd-{pins['etcd']}_kwok-{pins['kwok']}"
    assert key == versions.KEY
    build = (ROOT / "lab" / "build.sh").read_text()
    assert pins["kubernetes"] not in build and pins["flux"] not in build  # no second copy of a pin


def test_labctl_prints_its_commands_without_importing_the_package():
    done = subprocess.run([sys.executable, "-I", "lab/labctl.py"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2
    for command in ("build", "built", "start", "stop", "status", "env"):
        assert f"labctl.py {command}" in done.stdout


def test_alias_contexts_are_numbered():
    assert kubeconfig.alias_names(0) == []
    assert kubeconfig.alias_names(3) == ["lab-alias-01", "lab-alias-02", "lab-alias-03"]
    described = kubeconfig.contexts(2)
    assert list(described) == [*kubeconfig.FIXED_CONTEXTS, "lab-alias-01", "lab-alias-02"]


def test_every_expected_object_is_created_or_generated_by_a_controller():
    created = {(o["kind"], o["metadata"]["namespace"], o["metadata"]["name"]) for o in scenario.scenario_objs()}
    for kind, ns, name, *_ in scenario.EXPECT:
        assert (kind, ns, name) in created or kind == "HelmChart", (kind, ns, name)


def test_every_surface_object_is_created_or_made_by_a_controller_and_stays_in_its_namespaces():
    from lab import surface

    objs = surface.surface_objs()
    created = {(o["kind"], o["metadata"]["namespace"], o["metadata"]["name"]) for o in objs}
    made_by_controllers = {
        ("ExternalArtifact", "lab-artifacts", "generated-config"),
        ("FluxReport", "flux-system", "flux"),
    }
    for kind, ns, name, *_ in surface.SURFACE_EXPECT:
        assert (kind, ns, name) in created | made_by_controllers, (kind, ns, name)
    outside = {
        (o["kind"], o["metadata"]["namespace"]) for o in objs if o["metadata"]["namespace"] not in surface.NAMESPACES
    }
    assert outside == {("FluxInstance", "flux-system")}  # the operator reconciles only flux-system/flux
    assert not set(surface.NAMESPACES) & set(scenario.NAMESPACES)
    assert {k for k, *_ in surface.SURFACE_EXPECT} <= set(surface.RESOURCE)


def test_every_lab_binary_has_a_build_step_and_ports_are_distinct():
    from lab import cli, layout

    build = (ROOT / "lab" / "build.sh").read_text()
    steps = {line.split()[1] for line in build.splitlines() if line.startswith("step ")}
    built = {b for line in build.splitlines() if line.startswith("step ") for b in line.split(" -- ")[0].split()[2:]}
    assert set(cli.LAB_BINARIES) == built and set(versions.WORKLOADS) <= steps
    assert len(set(layout.PORTS.values())) == len(layout.PORTS)


def test_registry_content_has_fixed_bytes():
    from lab import oci

    assert oci._layer("lab/podinfo:6.0.0\n") == oci._layer("lab/podinfo:6.0.0\n")
    assert oci._layer("lab/podinfo:6.0.0\n") != oci._layer("lab/podinfo:6.1.0\n")
