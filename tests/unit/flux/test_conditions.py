"""Readiness is one type inside the code and takes its two output shapes only in the views (synthetic objects)."""

import pytest

from fluxtools._flux.conditions import Readiness, readiness, ready_message, state, state_of
from fluxtools._flux.views import item_state, kustomization_detail, kustomization_summary, source_summary


def synthetic(ready: str | None, suspend: bool = False, message: str = "m") -> dict:
    conditions = [] if ready is None else [{"type": "Ready", "status": ready, "message": message}]
    return {
        "kind": "GitRepository",
        "metadata": {"name": "apps", "namespace": "flux-system"},
        "spec": {"suspend": suspend},
        "status": {"conditions": conditions},
    }


@pytest.mark.parametrize(
    ("status", "expected"),
    [("True", Readiness.TRUE), ("False", Readiness.FALSE), ("Unknown", Readiness.UNKNOWN), (None, Readiness.FALSE)],
)
def test_readiness_is_the_ready_condition_status_and_false_when_absent(status, expected):
    assert readiness(synthetic(status)) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("True", Readiness.TRUE), ("Unknown", Readiness.UNKNOWN), ("", Readiness.FALSE), ("yes", Readiness.FALSE)],
)
def test_readiness_parsed_from_a_table_cell(text, expected):
    assert Readiness.parse(text) is expected


@pytest.mark.parametrize(
    ("ready", "suspended", "word"),
    [
        (Readiness.TRUE, False, "ready"),
        (Readiness.UNKNOWN, False, "progressing"),
        (Readiness.FALSE, False, "failed"),
        (Readiness.TRUE, True, "suspended"),
    ],
)
def test_state_words(ready, suspended, word):
    assert state_of(ready, suspended) == word
    assert state(synthetic(ready.value, suspend=suspended)) == word


def test_views_convert_readiness_to_the_spec_shapes():
    for text in ("True", "False", "Unknown"):
        obj = synthetic(text, message="Applied revision: main@sha1:abc")
        assert kustomization_summary(obj)["ready"] == text
        assert source_summary(obj)["ready"] == text
        detail = kustomization_detail(obj)
        assert detail["ready"] is (text == "True") and detail["ready_status"] == text
        assert detail["status"] == ready_message(obj) == "Applied revision: main@sha1:abc"


def test_list_item_state_reads_the_text_shape():
    assert item_state({"ready": "Unknown", "suspended": False}) == "progressing"
    assert item_state({"ready": "True", "suspended": True}) == "suspended"
    assert item_state({"ready": "False", "suspended": False}) == "failed"
