"""Shared synthetic inputs for the tool tests: scripted FluxTools, resource names, synthetic Flux objects.

Every input here is synthetic, shaped after the documented formats (reference/flux-cli.md);
replay tests cover real recorded output.
"""

import json

from fluxtools import FluxConfig, FluxTools
from fluxtools.testing import ScriptedRunner

CONN = ["--kubeconfig", "/k/config", "--context", "prod"]
GIT = "gitrepositories.source.toolkit.fluxcd.io"
OCI = "ocirepositories.source.toolkit.fluxcd.io"
BUCKET = "buckets.source.toolkit.fluxcd.io"
HELMREPO = "helmrepositories.source.toolkit.fluxcd.io"
CHART = "helmcharts.source.toolkit.fluxcd.io"
KS = "kustomizations.kustomize.toolkit.fluxcd.io"
HR = "helmreleases.helm.toolkit.fluxcd.io"
SOURCES = ",".join([GIT, OCI, BUCKET, HELMREPO, CHART])
IMAGES = "imagerepositories.image.toolkit.fluxcd.io,imagepolicies.image.toolkit.fluxcd.io," + (
    "imageupdateautomations.image.toolkit.fluxcd.io"
)
NO_RESOURCE_TYPE = 'error: the server doesn\'t have a resource type "{}"'


def tools(reply=None, **config):
    runner = ScriptedRunner(reply or (lambda argv: (0, json.dumps({"items": []}), "")))
    cfg = FluxConfig(kubeconfig="/k/config", context="prod", **config)
    return FluxTools(cfg, runner=runner), runner


def items(*objs):
    return json.dumps({"apiVersion": "v1", "kind": "List", "items": list(objs)})


def synthetic_object(kind, name, namespace="flux-system", ready="True", suspend=False, **extra):
    obj = {
        "apiVersion": "source.toolkit.fluxcd.io/v1",
        "kind": kind,
        "metadata": {"name": name, "namespace": namespace, "generation": 1},
        "spec": {"interval": "10m", **({"suspend": True} if suspend else {}), **extra.pop("spec", {})},
        "status": {
            "conditions": [{"type": "Ready", "status": ready, "reason": "Succeeded", "message": f"{name} {ready}"}],
            **extra.pop("status", {}),
        },
    }
    return obj


SYNTHETIC_GIT = synthetic_object(
    "GitRepository",
    "podinfo",
    spec={
        "url": "https://synthetic-user:synthetic-pass@git.example.invalid/podinfo.git",
        "ref": {"branch": "main", "tag": ""},
        "secretRef": {"name": "podinfo-auth"},
    },
    status={
        "artifact": {
            "revision": "main@sha1:696f056df216eea4f9401adbee0ff744d4df390f",
            "digest": "sha256:0000",
            "size": 2048,
            "lastUpdateTime": "2026-01-01T00:00:00Z",
            "url": "http://source-controller/gitrepository/flux-system/podinfo/696f056d.tar.gz",
        }
    },
)
SYNTHETIC_HELMREPO = synthetic_object(
    "HelmRepository", "charts", ready="False", spec={"url": "https://charts.example.invalid"}
)
SYNTHETIC_CHART = synthetic_object(
    "HelmChart",
    "apps-podinfo",
    namespace="apps",
    suspend=True,
    spec={"chart": "podinfo", "version": "6.x", "sourceRef": {"kind": "HelmRepository", "name": "charts"}},
    status={"artifact": {"revision": "6.3.5", "size": 1000}},
)
SYNTHETIC_BUCKET = synthetic_object(
    "Bucket", "assets", ready="Unknown", spec={"endpoint": "minio.example.invalid", "bucketName": "assets"}
)
