"""Pushing to the lab's OCI registry over plain HTTP (the distribution API): a Helm chart as an OCI artifact and
small tagged images for the image controllers to scan. Fixed bytes, so every start pushes the same digests."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
import urllib.parse
import urllib.request
from typing import Any

from .layout import HOST, PORTS

REGISTRY = f"{HOST}:{PORTS['registry']}"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
HELM_CONFIG = "application/vnd.cncf.helm.config.v1+json"
HELM_CHART = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
IMAGE_CONFIG = "application/vnd.oci.image.config.v1+json"
IMAGE_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
FIXED_CREATED = "2026-01-01T00:00:00Z"

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _request(method: str, url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> Any:
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    return _OPENER.open(req, timeout=30)


def _push_blob(repo: str, data: bytes) -> dict[str, Any]:
    digest = _digest(data)
    with _request("POST", f"http://{REGISTRY}/v2/{repo}/blobs/uploads/") as started:
        location = urllib.parse.urljoin(f"http://{REGISTRY}/", started.headers["Location"])
    sep = "&" if "?" in location else "?"
    headers = {"Content-Type": "application/octet-stream"}
    with _request("PUT", f"{location}{sep}digest={urllib.parse.quote(digest)}", data, headers):
        pass
    return {"digest": digest, "size": len(data)}


def push(repo: str, tag: str, config: tuple[str, bytes], layers: list[tuple[str, bytes]], annotations: dict) -> str:
    """Push one manifest with its config and layers under `repo:tag`; return the manifest digest."""
    manifest = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {"mediaType": config[0], **_push_blob(repo, config[1])},
        "layers": [{"mediaType": media, **_push_blob(repo, data)} for media, data in layers],
        "annotations": annotations,
    }
    body = json.dumps(manifest, sort_keys=True).encode()
    with _request("PUT", f"http://{REGISTRY}/v2/{repo}/manifests/{tag}", body, {"Content-Type": OCI_MANIFEST}):
        pass
    return _digest(body)


def push_chart(repo: str, name: str, version: str, tgz: bytes) -> str:
    """A Helm chart as Helm pushes it to an OCI registry (config = chart metadata, one chart layer)."""
    meta = {"apiVersion": "v2", "name": name, "version": version, "appVersion": version, "type": "application"}
    annotations = {
        "org.opencontainers.image.title": name,
        "org.opencontainers.image.version": version,
        "org.opencontainers.image.created": FIXED_CREATED,
    }
    return push(
        repo, version, (HELM_CONFIG, json.dumps(meta, sort_keys=True).encode()), [(HELM_CHART, tgz)], annotations
    )


def _layer(text: str) -> tuple[bytes, bytes]:
    """(uncompressed tar, gzipped tar) holding one file: reproducible bytes."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tf:
        data = text.encode()
        info = tarfile.TarInfo("etc/lab-image")
        info.size, info.mtime, info.mode = len(data), 1767225600, 0o644
        tf.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
        gz.write(raw.getvalue())
    return raw.getvalue(), out.getvalue()


def push_image(repo: str, tag: str) -> str:
    """A one-layer linux/amd64 image (nothing runs it: the image controllers read tags and digests)."""
    tar, tgz = _layer(f"{repo}:{tag}\n")
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": FIXED_CREATED,
        "config": {},
        "rootfs": {"type": "layers", "diff_ids": [_digest(tar)]},
    }
    annotations = {"org.opencontainers.image.created": FIXED_CREATED}
    return push(
        repo, tag, (IMAGE_CONFIG, json.dumps(config, sort_keys=True).encode()), [(IMAGE_LAYER, tgz)], annotations
    )


def tags(repo: str) -> list[str]:
    with _request("GET", f"http://{REGISTRY}/v2/{repo}/tags/list") as answer:
        return sorted(json.load(answer).get("tags") or [])
