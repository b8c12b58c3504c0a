"""Redaction applied when recording and when matching, so cassettes hold no secret or machine detail."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from fluxtools._masking import MASK, flag_value_is_secret, mask_text

CONNECTION_FLAGS = ("--kubeconfig", "--context")


@dataclass
class Redactor:
    """Turns machine-specific and secret text into stable placeholders.

    `paths` maps literal paths (kubeconfig, lab state dir, temp dirs) to
    placeholders; loopback ports are folded and secrets masked by the one rule
    set in `fluxtools._masking`, including the value after a secret flag (`--token X`).
    """

    paths: dict[str, str] = field(default_factory=dict)

    def text(self, text: str) -> str:
        if not text:
            return text
        for path, placeholder in sorted(self.paths.items(), key=lambda item: -len(item[0])):
            text = text.replace(path, placeholder)
        # lab ports change per run; localhost:8080 is kubectl's fallback when no kubeconfig names a server
        text = re.sub(r"\b(127\.0\.0\.1|localhost|\[::1\]):(?!8080\b)\d{2,5}\b", r"\1:PORT", text)
        text = re.sub(r"/tmp/[A-Za-z0-9_.-]+", "<TMP>", text)
        return mask_text(text)

    def argv(self, argv: Iterable[str]) -> list[str]:
        parts = list(argv)
        out: list[str] = []
        for index, part in enumerate(parts):
            if index == 0:
                out.append(part.rsplit("/", 1)[-1])
            elif index > 0 and parts[index - 1] == "--kubeconfig":
                out.append("<KUBECONFIG>")
            elif part.startswith("--kubeconfig="):
                out.append("--kubeconfig=<KUBECONFIG>")
            elif flag_value_is_secret(parts[index - 1], part):
                out.append(MASK)
            else:
                out.append(self.text(part))
        return out


def without_connection_flags(argv: list[str]) -> list[str]:
    """argv minus --kubeconfig/--context pairs: how the demo cluster matches any configuration."""
    out: list[str] = []
    skip = False
    for part in argv:
        if skip:
            skip = False
            continue
        if part in CONNECTION_FLAGS:
            skip = True
            continue
        if any(part.startswith(flag + "=") for flag in CONNECTION_FLAGS):
            continue
        out.append(part)
    return out
