"""flux_logs on the controllers' real JSON logs, served through the API server."""

import re

LINE = re.compile(r"^\d{4}-\d\d-\d\dT[\d:.]+Z (debug|info|error) \S* - ")


def test_logs_tail_and_format(lab_tools):
    data = lab_tools().call("flux_logs", {"kind": "kustomize-controller", "tail": 20})["data"]
    entries = re.split(r"\n(?=\d{4}-\d\d-\d\dT)", data["logs"].rstrip("\n"))  # a message may span lines
    assert data["controller"] == "kustomize-controller" and data["namespace"] == "flux-system"
    assert 0 < len(entries) <= 20 and data["lines"] == len(entries)
    assert all(LINE.match(entry) for entry in entries), entries[:3]


def test_logs_error_level_about_one_object(lab_tools):
    data = lab_tools().call(
        "flux_logs",
        {
            "kind": "kustomize-controller",
            "level": "error",
            "resource_kind": "Kustomization",
            "name": "broken-build",
            "tail": 1000,
        },
    )["data"]
    lines = data["logs"].splitlines()
    assert lines and all(" error Kustomization/broken-build.flux-system - " in line for line in lines)


def test_logs_since(lab_tools):
    data = lab_tools().call("flux_logs", {"kind": "helm-controller", "since": "1h", "tail": 50})["data"]
    assert data["controller"] == "helm-controller" and data["lines"] > 0


def test_logs_of_a_controller_not_installed_in_the_namespace_asked(lab_tools):
    envelope = lab_tools().call("flux_logs", {"kind": "image-reflector-controller", "namespace": "apps"})
    assert envelope["error_type"] == "NotFound"
    assert envelope["error"] == "Controller 'image-reflector-controller' not found in namespace 'apps'"
