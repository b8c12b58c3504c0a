"""What the demo cluster shows reads as a real cluster's answer: no recording placeholders, no repeats."""

import json
import re

import pytest

from fluxtools import FluxTools
from fluxtools.demo import demo_runner

PLACEHOLDER = re.compile(r"<(LAB|TMP|LABBIN|KUBECONFIG)>|:PORT\b")


@pytest.fixture
def tools():
    return FluxTools(cluster="demo")


def test_logs_and_verdicts_write_paths_as_the_diagnosis_does(tools):
    logs = tools.call("flux_logs", {"level": "error"})["data"]["logs"]
    verdict = tools.call("flux_reconcile", {"kind": "kustomization", "name": "broken-build"})["data"]
    diagnosis = tools.call("flux_diagnose", {"name_contains": "broken-build"})["data"]["causes"][0]["message"]
    assert "open /tmp/…/broken-build/missing-file.yaml" in logs
    assert "open /tmp/…/broken-build/missing-file.yaml" in verdict["message"]
    assert "open /tmp/…/broken-build/missing-file.yaml" in diagnosis
    for text in (logs, json.dumps(verdict)):
        assert PLACEHOLDER.search(text) is None, PLACEHOLDER.search(text)


@pytest.mark.parametrize(
    ("tool", "args"),
    [
        ("flux_kustomization_list", {}),
        ("flux_source_list", {}),
        ("flux_events", {"all_namespaces": True}),
        ("flux_logs", {"kind": "source-controller"}),
        ("flux_reconcile", {"kind": "gitrepository", "name": "private-repo"}),
        ("flux_kustomization_list", {"contexts": ["lab-unreachable", "lab-noflux"]}),
    ],
)
def test_no_tool_answers_with_a_recording_placeholder(tools, tool, args):
    text = json.dumps(tools.call(tool, args))
    assert PLACEHOLDER.search(text) is None, PLACEHOLDER.search(text)


def recorded_warning_messages(name: str) -> list[list[str]]:
    """The Warning events each recorded reconcile of Kustomization flux-system/`name` read, per run."""
    recording = demo_runner().recording
    runs = []
    for mutation in recording.mutations:
        if mutation.call != f"flux_reconcile kind=kustomization name={name} namespace=flux-system":
            continue
        for position in mutation.span:
            key = recording.keys[position]
            if "events" in key and f"involvedObject.kind=Kustomization,involvedObject.name={name},type=Warning" in key:
                items = (recording.json_of(position) or {}).get("items") or []
                runs.append([event["message"] for event in items])
    return runs


@pytest.mark.parametrize("name", ["broken-build", "broken-path"])
def test_a_reconcile_names_each_warning_once(tools, name):
    """Each recorded reconcile read two or more Warning events with one message (one more per failed attempt)."""
    runs = recorded_warning_messages(name)
    assert runs and all(len(run) >= 2 and len({m.split("): ")[-1] for m in run}) == 1 for run in runs), runs
    warnings = tools.call("flux_reconcile", {"kind": "kustomization", "name": name})["data"]["warnings"]
    assert len(warnings) == 1 and not warnings[0].startswith("(combined")


def test_distinct_warnings_keep_their_order_and_the_limit_synthetic():
    from fluxtools.specs.actions import distinct_messages

    events = [{"message": "b"}, {"message": "(combined from similar events): b"}, {"message": "a\n"}, {"message": "c"}]
    assert distinct_messages(events, 3) == ["b", "a", "c"]
    assert distinct_messages(events, 2) == ["b", "a"]


def test_warnings_differing_only_in_numbers_are_one_warning_synthetic():
    """As the lab's kustomize-controller words them: each attempt builds in a new temporary directory."""
    from fluxtools.specs.actions import distinct_messages

    stat = "kustomization path not found: stat /tmp/kustomization-{}/does-not-exist: no such file or directory"
    events = [{"message": stat.format(n)} for n in (2304585540, 2771009237, 880401330)]
    assert distinct_messages(events, 3) == [stat.format(2304585540)]


def test_fleet_progress_on_the_demo_shows_the_real_elapsed_time():
    """lab-unreachable was recorded taking 10 s; the replay takes well under that."""
    import io
    import time

    from fluxtools import FluxConfig
    from fluxtools.fleet.terminal import diagnose_fleet

    stderr = io.StringIO()
    started = time.monotonic()
    diagnose_fleet(FluxConfig(cluster="demo"), {}, [], stderr)
    took = time.monotonic() - started
    lines = stderr.getvalue().splitlines()
    assert len(lines) == 7 and any("lab-unreachable: unreachable" in line for line in lines)
    shown = [float(re.search(r"\((\d+\.\d)s\)$", line).group(1)) for line in lines]
    assert max(shown) <= round(took, 1) + 0.05, (lines, took)
