"""Messages as the report shows them: readable, short, and normalised to compare causes."""

from __future__ import annotations

import functools
import re

MESSAGE_LIMIT = 300

READABLE = (
    (re.compile(r"(<LAB>)?<TMP>"), "/tmp/…", ("<TMP>",)),
    (re.compile(r"<LABBIN>"), "…/bin", ("<LABBIN>",)),
    (re.compile(r"<LAB>"), "…", ("<LAB>",)),
    (re.compile(r"<KUBECONFIG>"), "the kubeconfig", ("<KUBECONFIG>",)),
    (re.compile(r"\b(127\.0\.0\.1|localhost|\[::1\]):PORT\b"), r"\1:<port>", (":PORT",)),
)
"""Recording placeholders (see cassettes.redact) written as a reader expects them (pattern, replacement,
texts one of which every match holds, as in NORMALISE)."""

NORMALISE = (
    (re.compile(r"https?://[^\s'\"]+"), "<url>", ("http",)),
    (re.compile(r"\b[\w.-]+@sha(1|256):[0-9a-f]{7,64}\b"), "<revision>", ("sha",)),
    (re.compile(r"\bsha(1|256):[0-9a-f]{7,64}\b"), "<digest>", ("sha",)),
    (re.compile(r"\b[0-9a-f]{40}\b"), "<digest>", ()),
    # a path starts where a run of path characters starts (a match never starts inside one): the
    # look-behind spares re trying every later position of a long word
    (re.compile(r"(?<![\w.…<>-])[\w.…<>-]*(?:/[\w.@…<>-]+)+/?"), "<path>", ("/",)),
    (re.compile(r"\b[\w.-]+\.(?:ya?ml|json)\b"), "<file>", (".yaml", ".yml", ".json")),
    (re.compile(r"\d+(?:\.\d+)*"), "#", ()),
)
"""(pattern, replacement, texts one of which every match holds: with none of them, the pattern is not tried)."""


def readable(text: str) -> str:
    return _rewrite(text, READABLE)


def short(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """One line of readable text of at most `limit` characters."""
    text = readable(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def normalised(text: str, names: tuple[str, ...] = ()) -> str:
    """The message with object names, paths, temp dirs, revisions and numbers folded.

    Two objects failing for the same reason read the same after this.
    """
    text = readable(" ".join(text.split()))
    for name in sorted({name for name in names if name}, key=len, reverse=True):
        if name in text:
            text = _name_pattern(name).sub("<name>", text)
    return _rewrite(text, NORMALISE)


def _rewrite(text: str, rules: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...]) -> str:
    """Each rule applied in order; a rule whose needed texts are all absent is not tried."""
    for pattern, replacement, needs in rules:
        if not needs or any(needed in text for needed in needs):
            text = pattern.sub(replacement, text)
    return text


@functools.lru_cache(maxsize=1024)
def _name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")


def fingerprint(text: str, limit: int | None = 120) -> str:
    """Numbers folded: two retries of one failure look alike (used to skip repeated evidence)."""
    return re.sub(r"\d+", "#", " ".join(text.split()))[:limit]
