"""Mask secrets in any text fluxtools hands out: results, errors, audit, cassettes."""

from __future__ import annotations

import re
from typing import Any

MASK = "***"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # PEM blocks: private keys and certificates
    (
        re.compile(r"-----BEGIN [A-Z0-9 ]+-----.*?-----END [A-Z0-9 ]+-----", re.S),
        "-----BEGIN REDACTED-----" + MASK + "-----END REDACTED-----",
    ),
    # credentials in URLs: scheme://user:pass@host
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s:@\"']+:[^/\s@\"']+@"), r"\1" + MASK + "@"),
    # bearer tokens and token flags
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 " + MASK),
    (re.compile(r"(--token[= ])\S+"), r"\1" + MASK),
    # JWTs (service-account tokens)
    (re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"), MASK),
    # kubeconfig data fields and common secret keys, YAML or JSON
    (
        re.compile(
            r"(?i)([\"']?(?:client-key-data|client-certificate-data|certificate-authority-data|token|password|"
            r"passwd|secret|api[_-]?key|access[_-]?key|secret[_-]?key|private[_-]?key|bearerToken)[\"']?\s*[:=]\s*)"
            r"(?![\"']?\*\*\*)(\"[^\"\n]*\"|'[^'\n]*'|[^\s,}\]]+)"
        ),
        r"\1" + '"' + MASK + '"',
    ),
    # SOPS age identities
    (re.compile(r"AGE-SECRET-KEY-1[0-9A-Z]{20,}"), MASK),
)

SECRET_KINDS = {"Secret"}
# Every pattern above needs one of these; text without any is returned untouched, fast.
_TRIGGER = re.compile(r"(?i)@|-----BEGIN|bearer|token|eyJ|key|passw|secret|certificate")


def mask_text(text: str) -> str:
    """Replace every secret-looking span in `text`."""
    if not text or not _TRIGGER.search(text):
        return text
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def mask_value(value: Any) -> Any:
    """Mask secrets in any JSON-like structure; Secret objects lose their data."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, list):
        return [mask_value(item) for item in value]
    if isinstance(value, dict):
        if value.get("kind") in SECRET_KINDS:
            value = {
                key: ({k: MASK for k in item} if key in ("data", "stringData") and isinstance(item, dict) else item)
                for key, item in value.items()
            }
        return {key: mask_value(item) for key, item in value.items()}
    return value
