"""The failure catalogue as data: provenance on every entry, checks that exist, and no advice naming a field
the kind it advises about does not have (tests/data/flux_spec_fields.json, read from the lab's CRDs)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fluxtools._flux import failures
from fluxtools.diagnosis.advice import NextAction, Subject, advise

FIELDS = json.loads((Path(__file__).parents[2] / "data" / "flux_spec_fields.json").read_text())["kinds"]
SPEC_FIELD = re.compile(r"spec(?:\.[A-Za-z]\w*)+")


def named_fields(failure: failures.Failure) -> set[str]:
    return set(SPEC_FIELD.findall(failure.do)) | set(SPEC_FIELD.findall(failure.means))


@pytest.mark.parametrize("failure", failures.ALL, ids=[failure.key for failure in failures.ALL])
def test_every_entry_names_only_fields_its_kinds_have(failure):
    kinds = sorted(FIELDS) if failure.kinds == failures.ANY else failure.kinds
    named = named_fields(failure)
    for kind in kinds:
        if failure.kinds == failures.ANY and not named:
            continue
        missing = [name for name in named if name not in FIELDS[kind]["spec"]]
        if failure.kinds == failures.ANY:  # advice for any kind names only fields every kind it reaches has
            missing = [name for name in named if all(name not in FIELDS[k]["spec"] for k in FIELDS)]
        assert not missing, f"{failure.key} names {missing}, which {kind} does not have"


def test_a_field_a_kind_lacks_is_caught():
    """The check above can fail: a Bucket has no spec.url (it has spec.endpoint)."""
    assert "spec.url" not in FIELDS["Bucket"]["spec"] and "spec.endpoint" in FIELDS["Bucket"]["spec"]
    wrong = failures.Failure(
        "x", ("Bucket",), (), None, "", "spec.url '{spec.url}'", "reconcile", failures.UNKNOWN.origin
    )
    assert named_fields(wrong) - set(FIELDS["Bucket"]["spec"]) == {"spec.url"}


def test_every_entry_says_where_its_form_comes_from():
    keys = [failure.key for failure in failures.ALL]
    assert len(keys) == len(set(keys))
    for failure in failures.ALL:
        assert failure.origin.controller in failures.ORIGIN_VERSIONS, failure.key
        assert failure.origin.version and failure.origin.file, failure.key
        assert failure.check in failures.CHECKS, failure.key
        assert failure.means and failure.do, failure.key
        if failure.check == "get":
            assert failure.form is not None and failure.target in failure.form.groupindex, failure.key


def test_every_reason_a_form_is_written_for_also_has_an_entry_without_a_form_or_a_catch_all():
    """A known reason whose message takes a form the catalogue does not know gets the reason's own advice."""
    for failure in failures.CATALOGUE:
        if failure.form is None:
            continue
        for kind in failure.kinds:
            for reason in failure.reasons:
                fallback = failures.match(kind, reason, ["a message in no known form"])
                assert fallback.failure.form is None, (failure.key, kind, reason)


def test_an_unknown_reason_falls_back_honestly():
    obj = {"kind": "Kustomization", "metadata": {"name": "a", "namespace": "n"}, "status": {"conditions": [{}]}}
    action = advise(Subject(obj, "BrandNewReason", ["something happened"]))
    assert action.do == "Unknown reason BrandNewReason: read the events of Kustomization/n/a."
    assert action.tool == "flux_events" and action.failure == "any.unknown"


def test_catalogue_size():
    assert len(failures.CATALOGUE) >= 60
    assert isinstance(advise(Subject({"kind": "Bucket", "metadata": {}}, "", [])), NextAction)
