"""The tools beyond the seed eight in the spec table: order, read-only reads, schemas.

Every input here is synthetic, shaped after the documented formats (reference/flux-cli.md);
replay tests cover real recorded output.
"""

import pytest

from fluxtools.specs import ALL_SPECS, REGISTRY, SEED_SPECS, Operation

NEW_TOOLS = [
    "flux_source_list",
    "flux_source_get",
    "flux_image_list",
    "flux_get_all",
    "flux_stats",
    "flux_events",
    "flux_tree",
    "flux_trace",
    "flux_export",
    "flux_check",
]


# the spec table ---------------------------------------------------------------------------------


def test_new_tools_follow_the_seed_in_the_table():
    names = [spec.name for spec in ALL_SPECS]
    assert len(SEED_SPECS) == 8 and names[:8] == [spec.name for spec in SEED_SPECS]
    assert all(name in names[8:] for name in NEW_TOOLS)
    assert len(names) == len(set(names))


@pytest.mark.parametrize("name", NEW_TOOLS)
def test_new_tools_are_read_only_reads(name):
    spec = REGISTRY[name]
    assert spec.operation in (Operation.LIST, Operation.GET) and spec.default_timeout == 30
    assert spec.mutating is False and spec.idempotent is True
    schema = spec.json_schema()
    assert schema["additionalProperties"] is False
    assert all("anyOf" not in prop and "const" not in prop for prop in schema["properties"].values())
    assert 40 < len(spec.description) < 400
