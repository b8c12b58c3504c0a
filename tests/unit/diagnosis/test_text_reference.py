"""Message normalisation against its plain form: the rules applied without shortcuts.

The plain path rule below is the pattern as first written (every start position tried); the fast
one must fold exactly the same spans. Inputs are generated, and the demo cluster's messages.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fluxtools.diagnosis.text import NORMALISE, READABLE, normalised, readable
from tests.unit.diagnosis.test_answer_reference import EVENTS, LOGS, OBJECTS

PLAIN_PATH = re.compile(r"[\w.…<>-]*(?:/[\w.@…<>-]+)+/?")
PLAIN_NORMALISE = tuple((PLAIN_PATH, r) if r == "<path>" else (p, r) for p, r, _needs in NORMALISE)


def plain_readable(text: str) -> str:
    for pattern, replacement, _needs in READABLE:
        text = pattern.sub(replacement, text)
    return text


def plain_normalised(text: str, names: tuple[str, ...] = ()) -> str:
    text = plain_readable(" ".join(text.split()))
    for name in sorted({name for name in names if name}, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", "<name>", text)
    for pattern, replacement in PLAIN_NORMALISE:
        text = pattern.sub(replacement, text)
    return text


def demo_messages() -> list[str]:
    texts = [str(event.get("message", "")) for event in EVENTS]
    texts += [f"{entry.get('msg', '')} {entry.get('error', '')}" for entry in LOGS]
    for obj in OBJECTS:
        texts += [str(c.get("message", "")) for c in (obj.get("status") or {}).get("conditions") or []]
    return texts


def test_the_path_rule_is_the_one_normalise_applies():
    assert sum(1 for _pattern, replacement, _needs in NORMALISE if replacement == "<path>") == 1


def test_demo_messages_normalise_as_the_plain_rules_do():
    texts = demo_messages()
    assert len(texts) > 100
    assert any("/" in text for text in texts)
    for text in texts:
        assert normalised(text, ("podinfo", "apps")) == plain_normalised(text, ("podinfo", "apps"))
        assert readable(text) == plain_readable(text)


PIECES = st.sampled_from(
    ["/", "//", "a", "b1", ".", "…", "<", ">", "-", "@", " ", ":", "'", "x.yaml", "é", "_", "<LAB>", "<TMP>", "\n"]
    + ["sha1:", "sha256:", "0123abc", "fcb0701a1d2930e9443674a931f8a41d470af822", "http", "s://h", ".yml", ".json"]
    + ["app", "apps", "app-1", "12", "3.4", "\t", "PORT", "localhost:"]
)
TEXTS = st.lists(PIECES, max_size=30).map("".join)
NAMES = st.lists(st.sampled_from(["app", "apps", "app-1", "b1", "x.yaml", "a", ""]), max_size=3).map(tuple)


EACH_RULE = [
    "see app.yml now",
    "values.yaml and x.json",
    "Applied main@sha1:fcb0701a1d2930e9443674a931f8a41d470af822",
    "digest sha256:0123abcd",
    "chart web@sha256:0123abcdef pulled",
    "commit fcb0701a1d2930e9443674a931f8a41d470af822 done",
    "clone 'https://example.test/x.git' failed",
    "open /tmp/a/b: no such file",
    "retry 12 after 3.4s",
    "release apps/app-1 of app failed",
]


@pytest.mark.parametrize("text", EACH_RULE)
def test_each_rule_folds_as_its_plain_form(text):
    names = ("app-1", "apps", "app")
    assert normalised(text, names) == plain_normalised(text, names) != " ".join(text.split())


@given(TEXTS, NAMES)
def test_any_text_normalises_as_the_plain_rules_make_it(text, names):
    fast = next(pattern for pattern, replacement, _needs in NORMALISE if replacement == "<path>")
    assert fast.sub("<path>", text) == PLAIN_PATH.sub("<path>", text)
    assert normalised(text, names) == plain_normalised(text, names)


@given(
    st.lists(st.sampled_from(["<LAB>", "<TMP>", "<LABBIN>", "<KUBECONFIG>", "localhost", ":PORT", "<", "a"])).map(
        "".join
    )
)
def test_any_text_reads_as_the_plain_rules_make_it(text):
    assert readable(text) == plain_readable(text)
