"""flux_export: argv without credentials, secrets dropped, missing objects and CRDs.

Every input here is synthetic, shaped after the documented formats (reference/flux-cli.md);
replay tests cover real recorded output.
"""

import pytest

from tests.unit.specs.support import (
    CONN,
    tools,
)

# flux_export ----------------------------------------------------------------------------------

SYNTHETIC_EXPORT = """---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 10m
  secretRef:
    name: podinfo-auth
  url: https://git.example.invalid/podinfo.git
---
apiVersion: v1
kind: Secret
metadata:
  name: podinfo-auth
  namespace: flux-system
stringData:
  password: synthetic-password
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: other
  namespace: flux-system
spec:
  interval: 1m
  url: https://git.example.invalid/other.git
"""


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("kustomization", ["kustomization"]),
        ("helmrelease", ["helmrelease"]),
        ("source git", ["source", "git"]),
        ("source chart", ["source", "chart"]),
        ("image update", ["image", "update"]),
    ],
)
@pytest.mark.parametrize("name", [None, "podinfo"])
def test_export_argv_never_asks_for_credentials(kind, words, name):
    flux, runner = tools(lambda argv: (0, "", ""))
    args = {"kind": kind, **({"name": name} if name else {})}
    assert flux.call("flux_export", args)["success"]
    selection = [name] if name else ["--all"]
    assert runner.calls == [["flux", *CONN, "export", *words, *selection, "-n", "flux-system"]]
    assert not any("credentials" in part for part in runner.calls[0])


def test_export_drops_secrets_and_counts_objects():
    flux, _ = tools(lambda argv: (0, SYNTHETIC_EXPORT, ""))
    data = flux.call("flux_export", {"kind": "source git"})["data"]
    assert data["objects"] == 2 and "Dropped 1 Secret" in data["note"]
    assert "synthetic-password" not in data["yaml"] and "kind: Secret" not in data["yaml"]
    assert data["yaml"].count("---\n") == 2 and data["yaml"].startswith("---\napiVersion:")


def test_export_all_of_nothing_is_empty():
    flux, _ = tools(lambda argv: (1, "", "✗ no objects found in team-a namespace\n"))
    data = flux.call("flux_export", {"kind": "helmrelease", "namespace": "team-a"})["data"]
    assert data == {"kind": "helmrelease", "namespace": "team-a", "yaml": "", "objects": 0}


def test_export_of_missing_object_is_not_found():
    flux, _ = tools(lambda argv: (1, "", '✗ helmreleases.helm.toolkit.fluxcd.io "nope" not found\n'))
    envelope = flux.call("flux_export", {"kind": "helmrelease", "name": "nope"})
    assert envelope["error_type"] == "NotFound" and envelope["error"].startswith("HelmRelease 'nope'")


def test_export_of_image_kinds_without_their_crds():
    stderr = "✗ unable to retrieve the complete list of server APIs: image.toolkit.fluxcd.io/v1: no matches for x\n"
    flux, _ = tools(lambda argv: (1, "", stderr))
    data = flux.call("flux_export", {"kind": "image policy"})["data"]
    assert data["installed"] is False and data["objects"] == 0 and "optional" in data["note"]
    assert flux.call("flux_export", {"kind": "source git"})["error_type"] == "FluxNotInitialized"
