"""Property-based: adversarial arguments never reach the runner and are refused with the field named."""

import functools
import re
import string

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fluxtools import ALL_SPECS, FluxConfig, FluxTools
from fluxtools._validation import NAME_PATTERN, NAMESPACE_PATTERN
from fluxtools.testing import ScriptedRunner

RUNNER = ScriptedRunner(lambda argv: (0, "{}", ""))
TOOLS = FluxTools(FluxConfig(), runner=RUNNER)
TENANT = FluxTools(FluxConfig(enforce_namespace=True, namespace="team-a"), runner=RUNNER)
NAME_FIELDS = {
    spec.name: [p for p in ("name", "namespace") if p in spec.json_schema()["properties"]] for spec in ALL_SPECS
}
TARGETS = [(name, fields) for name, fields in NAME_FIELDS.items() if fields]

SHELL = list(";|&$`<>()\\\"'*?![]{}~#")
NASTY_PARTS = st.sampled_from(
    [
        "-",
        "--",
        "--kubeconfig=/etc/passwd",
        "-A",
        "../",
        "/",
        "\n",
        "\r",
        "\x00",
        "\t",
        " ",
        "$(id)",
        "`id`",
        "Upper",
        "é",
        "..",
        "a" * 300,
        *SHELL,
    ]
)
adversarial_text = st.one_of(
    st.builds(
        lambda a, b, c: a + b + c,
        st.text(string.ascii_lowercase, max_size=5),
        NASTY_PARTS,
        st.text(string.printable, max_size=10),
    ),
    st.builds(lambda p: "-" + p, st.text(string.ascii_lowercase + "-=", min_size=1, max_size=20)),
    st.text(alphabet=st.characters(blacklist_categories=("Ll", "Nd")), min_size=1, max_size=20),
    st.just(""),
    st.text(string.ascii_lowercase, min_size=254, max_size=300),
)
not_a_string = st.one_of(st.integers(), st.booleans(), st.lists(st.integers(), max_size=2), st.none().map(lambda _: {}))


@functools.cache
def schema_of(tool: str) -> dict:
    """The tool's JSON schema, built once per tool (pydantic builds it anew on every call)."""
    return next(spec for spec in ALL_SPECS if spec.name == tool).json_schema()


def valid_base(tool: str) -> dict:
    required = {"name": "ok", "namespace": "team-a", "kind": None}
    schema = schema_of(tool)
    base = {}
    for field in schema["required"]:
        if field == "kind":
            base["kind"] = schema["properties"]["kind"].get("enum", ["deployment"])[0]
        elif field in required and required[field]:
            base[field] = required[field]
    return base


def an_id(value: object) -> bool:
    """A name written as `namespace/name`, `Kind/name` or `Kind/namespace/name` of valid parts."""
    if not isinstance(value, str) or value.count("/") not in (1, 2):
        return False
    *prefix, name = value.split("/")
    word = r"[A-Za-z][A-Za-z0-9]{0,62}"
    fits = all(re.fullmatch(word, part) or NAMESPACE_PATTERN.fullmatch(part) for part in prefix)
    return bool(fits and NAME_PATTERN.fullmatch(name) and ".." not in name)


@settings(max_examples=1200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from(TARGETS), st.data())
def test_adversarial_names_never_reach_the_runner(target, data):
    tool, fields = target
    field = data.draw(st.sampled_from(fields), label="field")
    value = data.draw(st.one_of(adversarial_text, not_a_string), label="value")
    if isinstance(value, str) and value and (value.isascii() and value == value.lower()):
        from fluxtools._validation import NAME_PATTERN, NAMESPACE_PATTERN

        pattern = NAMESPACE_PATTERN if field == "namespace" else NAME_PATTERN
        if pattern.fullmatch(value) and ".." not in value and len(value) <= (63 if field == "namespace" else 253):
            assume(False)  # a valid name slipped through the generator: not an adversarial case
    assume(not (field == "name" and an_id(value)))  # `namespace/name`, `Kind/namespace/name`: understood forms
    before = len(RUNNER.calls)
    envelope = TOOLS.call(tool, {**valid_base(tool), field: value})
    assert envelope["success"] is False
    assert envelope["error_type"] == "InvalidInput"
    assert envelope["field"] == field and f"'{field}'" in envelope["error"]
    assert len(RUNNER.calls) == before


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([spec.name for spec in ALL_SPECS if spec.namespace_field == "namespace"]),
    st.from_regex(r"[a-z][a-z0-9-]{0,20}[a-z0-9]", fullmatch=True),
)
def test_other_namespaces_are_policy_denied(tool, namespace):
    assume(namespace != "team-a")
    before = len(RUNNER.calls)
    envelope = TENANT.call(tool, {**valid_base(tool), "namespace": namespace})
    assert envelope["error_type"] == "PolicyDenied" and envelope["field"] == "namespace"
    assert len(RUNNER.calls) == before


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([spec.name for spec in ALL_SPECS]),
    st.dictionaries(
        st.text(string.ascii_letters + "_-", min_size=1, max_size=12), st.integers(), min_size=1, max_size=3
    ),
)
def test_unknown_parameters_are_refused(tool, extra):
    props = schema_of(tool)["properties"]
    extra = {key: value for key, value in extra.items() if key not in props and key.replace("-", "_") not in props}
    assume(extra and "continue_" not in extra)
    before = len(RUNNER.calls)
    envelope = TOOLS.call(tool, {**valid_base(tool), **extra})
    assert envelope["error_type"] == "InvalidInput" and envelope["field"] in extra
    assert len(RUNNER.calls) == before
