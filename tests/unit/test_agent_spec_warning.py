"""The warning about tools an agent spec lists but fluxtools does not provide reads well with or without a name."""

import warnings

from fluxtools.integration import from_agent_spec


def warned(spec: dict) -> str:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        from_agent_spec(spec, None, None, {"cluster": "demo"}, "toolkit")
    assert len(caught) == 1
    return str(caught[0].message)


def test_a_spec_without_a_name_is_the_agent_spec():
    message = warned({"spec": {"tools": ["flux_logs", "kubectl"]}})
    assert message.startswith("The agent spec lists tools this toolkit does not provide: kubectl;")
    assert "  " not in message


def test_a_named_spec_is_named():
    message = warned({"spec": {"name": "deployer", "tools": ["flux_logs", "kubectl"]}})
    assert message.startswith("Agent spec deployer lists tools this toolkit does not provide: kubectl;")
