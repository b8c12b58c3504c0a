"""The lab's PKI: a CA, the API server's serving cert, the admin client cert, service-account keys,
and a static token for the restricted user `jane`."""

from __future__ import annotations

import base64
import os
import subprocess

from .layout import pki

SERVER_SANS = (
    "IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,"
    "DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
)
LEAF = "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"


def openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, cwd=str(pki()), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _leaf(name: str, subject: str, extensions: str) -> None:
    pki(f"{name}.ext").write_text(extensions)
    openssl(
        "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr",
        "-subj", subject,
    )  # fmt: skip
    openssl(
        "x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", "3650", "-out", f"{name}.crt", "-extfile", f"{name}.ext",
    )  # fmt: skip


def make_pki() -> str:
    """Create every key and certificate under state/pki; return jane's token (also in tokens.csv)."""
    pki().mkdir(parents=True)
    openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
        "-days", "3650", "-subj", "/CN=fluxtools-lab-ca",
    )  # fmt: skip
    _leaf("apiserver", "/CN=kube-apiserver", LEAF + f"extendedKeyUsage=serverAuth\nsubjectAltName={SERVER_SANS}\n")
    _leaf("admin", "/O=system:masters/CN=admin", LEAF + "extendedKeyUsage=clientAuth\n")
    openssl("genrsa", "-out", "sa.key", "2048")
    openssl("rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub")
    token = base64.b32encode(os.urandom(20)).decode().lower().rstrip("=")
    pki("tokens.csv").write_text(f'{token},jane,1001,"team-a-readers"\n')
    return token
