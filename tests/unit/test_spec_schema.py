"""Every seed tool's JSON Schema equals the specification's, property by property."""

import json
from pathlib import Path

import pytest

from fluxtools.specs import ALL_SPECS, REGISTRY, SEED_SPECS, TIMEOUTS, Operation

DATA = Path(__file__).parent.parent / "data" / "spec_parameter_schemas.json"
SPEC_SCHEMAS = json.loads(DATA.read_text())
SHARED_SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "flux-tool-spec.md"
COMPARED_KEYS = ("type", "description", "default", "enum")
# Extensions the issue asks for on top of the specification (appended, never replacing).
ENUM_EXTENSIONS = {
    ("flux_reconcile", "kind"): [
        "ocirepository",
        "bucket",
        "imagerepository",
        "imagepolicy",
        "imageupdateautomation",
        "receiver",
    ]
}


def test_seed_tools_are_the_specified_eight():
    assert [spec.name for spec in SEED_SPECS] == list(SPEC_SCHEMAS)


@pytest.mark.skipif(not SHARED_SPEC.exists(), reason="specification not beside this checkout")
def test_schema_data_is_the_specification_text():
    text = SHARED_SPEC.read_text()
    for name, schema in SPEC_SCHEMAS.items():
        block = text.split(f"### {name}\n\n```json\n", 2)[-1].split("```", 1)[0]
        assert json.loads(block) == schema, name


@pytest.mark.parametrize("name", list(SPEC_SCHEMAS))
def test_schema_matches_specification(name):
    expected = SPEC_SCHEMAS[name]
    actual = REGISTRY[name].json_schema()
    assert actual["type"] == "object"
    assert sorted(actual["required"]) == sorted(expected["required"])
    for prop, want in expected["properties"].items():
        assert prop in actual["properties"], f"{name}.{prop} missing"
        got = actual["properties"][prop]
        if "enum" in want:
            want = {**want, "enum": want["enum"] + ENUM_EXTENSIONS.get((name, prop), [])}
        for key in COMPARED_KEYS:
            assert got.get(key) == want.get(key), f"{name}.{prop}.{key}: {got.get(key)!r} != {want.get(key)!r}"
    extra = set(actual["properties"]) - set(expected["properties"])
    for prop in extra:
        assert prop not in actual["required"], f"extra parameter {name}.{prop} must be optional"


def test_unknown_parameters_are_closed():
    for spec in ALL_SPECS:
        assert spec.json_schema()["additionalProperties"] is False


@pytest.mark.parametrize(
    ("name", "operation", "mutating", "seconds"),
    [
        ("flux_kustomization_list", Operation.LIST, False, 30),
        ("flux_kustomization_get", Operation.GET, False, 30),
        ("flux_helmrelease_list", Operation.LIST, False, 30),
        ("flux_helmrelease_get", Operation.GET, False, 30),
        ("flux_reconcile", Operation.RECONCILE, True, 120),
        ("flux_suspend", Operation.SUSPEND, True, 30),
        ("flux_resume", Operation.RESUME, True, 30),
        ("flux_logs", Operation.LOGS, False, 30),
    ],
)
def test_operation_class_and_timeout(name, operation, mutating, seconds):
    spec = REGISTRY[name]
    assert spec.operation is operation
    assert spec.mutating is mutating
    assert TIMEOUTS[spec.operation] == seconds == spec.default_timeout
