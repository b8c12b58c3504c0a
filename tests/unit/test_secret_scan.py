"""No cassette in the repository holds a secret: the lab's planted ones, keys, tokens, kubeconfig data."""

import re
from pathlib import Path

import pytest

from lab.info import lab_info

ROOT = Path(__file__).resolve().parents[2]
CASSETTES = sorted(p for p in ROOT.rglob("*.cli.yaml") if ".git" not in p.parts)
FORBIDDEN = [
    re.compile(r"planted-secret-123"),  # the lab's Git credential (Secret and URL userinfo)
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    re.compile(r"(client-key-data|client-certificate-data|certificate-authority-data): [A-Za-z0-9+/=]{20,}"),
    re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
    re.compile(r"(?i)bearer [A-Za-z0-9._~+/=-]{8,}"),
    re.compile(r"--token[= ](?!\*\*\*)\S+"),
    re.compile(r"://[^/\s:@]+:(?!\*\*\*@)[^/\s@]+@"),
]


def live_lab_secrets() -> list[str]:
    """When a lab runs here: its static token and the base64 key data in its kubeconfig."""
    info = lab_info()
    if info is None:
        return []
    secrets = []
    tokens = Path(info["state_dir"]) / "pki" / "tokens.csv"
    if tokens.exists():
        secrets += [line.split(",")[0] for line in tokens.read_text().splitlines() if line]
    kubeconfig = Path(info["kubeconfig"])
    if kubeconfig.exists():
        secrets += re.findall(r"(?:key|certificate)-data: \"?([A-Za-z0-9+/=]{40})", kubeconfig.read_text())
    return secrets


def test_there_are_cassettes_to_scan():
    assert CASSETTES, "no cassettes found"


@pytest.mark.parametrize("path", CASSETTES, ids=lambda p: str(p.relative_to(ROOT)))
def test_cassette_has_no_secret(path):
    text = path.read_text()
    for secret in live_lab_secrets():
        assert secret not in text, f"{path.name}: contains a secret of the running lab"
    for pattern in FORBIDDEN:
        match = pattern.search(text)
        assert match is None, f"{path.name}: {pattern.pattern} matched {match.group(0)[:40]!r}"
