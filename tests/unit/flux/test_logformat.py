"""Controller log lines of one level: the fast selection against parsing every line.

The recorded logs are the demo cluster's and the replay cassettes' (real controllers); the edge cases
below them are synthetic lines, written here.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fluxtools._flux.kinds import CONTROLLERS
from fluxtools._flux.logformat import _has_unicode_escape, entries_at, format_line, lines_at, parse_line
from fluxtools._process.runners import CommandResult
from fluxtools.cassettes import Cassette
from fluxtools.demo import demo_runner
from fluxtools.specs.logs import LogsArgs, keep, parse_logs

CASSETTES = Path(__file__).resolve().parents[2] / "replay" / "cassettes"
LEVELS = ("error", "info", "debug")


def plain_parse(raw: str) -> dict | None:
    """A log line read plainly: `json.loads` of a line starting with `{`, kept when it is an object."""
    if not raw.startswith("{"):
        return None
    try:
        entry = json.loads(raw)
    except json.JSONDecodeError:
        return None
    return entry if isinstance(entry, dict) else None


def every_line_parsed(text: str, level: str) -> list[dict]:
    """The plain reading: every line parsed, the entries of `level` kept."""
    entries = (plain_parse(line) for line in text.splitlines())
    return [entry for entry in entries if entry is not None and entry.get("level") == level]


def recorded_logs() -> list[tuple[str, str]]:
    logs = []
    runner = demo_runner()
    for controller in CONTROLLERS:
        argv = ["kubectl", "logs", f"deployment/{controller}", "-n", "flux-system", "--tail=1000"]
        result = asyncio.run(runner.run(argv, timeout=30))
        if result.exit_code == 0:
            logs.append((f"demo {controller}", result.stdout))
    for path in sorted(CASSETTES.rglob("*.cli.yaml")):
        for interaction in Cassette.load(path).interactions:
            if "logs" in interaction.argv and interaction.stdout:
                logs.append((path.name, interaction.stdout))
    return logs


RECORDED = recorded_logs()


def test_the_recordings_hold_entries_of_each_level():
    assert len(RECORDED) >= 6
    for level in ("error", "info"):
        assert sum(len(every_line_parsed(text, level)) for _name, text in RECORDED) > 50


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize(("name", "text"), RECORDED, ids=[name for name, _text in RECORDED])
def test_recorded_logs_give_the_entries_parsing_every_line_gives(name, text, level):
    assert entries_at(text, level) == every_line_parsed(text, level)


SYNTHETIC = [
    # zap JSON, as the controllers write it
    '{"level":"error","ts":"2026-12-01T02:40:29Z","msg":"Reconciler error","controllerKind":"GitRepository"}',
    # info entries whose message, error or fields speak of errors
    '{"level":"info","ts":"t","msg":"no error, all good","error":"none"}',
    '{"level":"info","msg":"retrying after error","errorCount":3,"level_error":"error"}',
    # the level written with JSON escapes or spaces
    '{"level":"\\u0065rror","msg":"escaped e"}',
    '{"level":"\\u0045RROR","msg":"escaped upper case: not the level error"}',
    '{ "level" : "error" , "msg" : "spaced"}',
    '{"level":"err\\u006fr","msg":"escaped o"}',
    # the level elsewhere than the top level, twice, or in another case
    '{"msg":"nested","data":{"level":"error"}}',
    '{"level":"error","level":"info","msg":"the last key wins"}',
    '{"level":"info","level":"error","msg":"the last key wins"}',
    '{"level":"ERROR","msg":"upper case is another level"}',
    '{"level":"error"',  # cut short
    '["error"]',
    '"error"',
    # klog and console lines are not entries
    'E1201 02:40:29.527000       1 reconciler.go:42] "Reconciler error" err="boom"',
    '2026-12-01T02:40:29.527Z\tERROR\tReconciler error\t{"controller": "gitrepository"}',
    '  {"level":"error","msg":"indented: not a JSON line as the controllers write them"}',
    "",
    "error",
]


@pytest.mark.parametrize("level", LEVELS)
def test_synthetic_edge_cases_give_what_parsing_every_line_gives(level):
    text = "\n".join(SYNTHETIC) + "\r\n" + SYNTHETIC[0] + "\r\n"
    assert entries_at(text, level) == every_line_parsed(text, level)


def test_synthetic_error_entries_are_those_whose_level_is_error():
    messages = [entry["msg"] for entry in entries_at("\n".join(SYNTHETIC), "error")]
    assert messages == ["Reconciler error", "escaped e", "spaced", "escaped o", "the last key wins"]


FIELDS = st.dictionaries(
    st.sampled_from(["level", "msg", "error", "ts", "Level", "errorVerbose"]),
    st.one_of(st.sampled_from(["error", "info", "ERROR", "debug", "an error", ""]), st.text(max_size=12)),
    max_size=4,
)


@given(
    st.lists(
        st.one_of(
            FIELDS.map(json.dumps),
            FIELDS.map(lambda fields: json.dumps(fields, ensure_ascii=False, separators=(",", ":"))),
            FIELDS.map(lambda fields: json.dumps(fields).replace("e", "\\u0065")),
            st.text(max_size=40),
        ),
        max_size=8,
    ),
    st.sampled_from(LEVELS),
)
def test_any_lines_give_what_parsing_every_line_gives(lines, level):
    text = "\n".join(lines)
    assert entries_at(text, level) == every_line_parsed(text, level)


def logs_read_every_line(text: str, args: LogsArgs) -> list[str]:
    """`flux_logs` filtering by level, read plainly: every line parsed, then the filters."""
    entries = (plain_parse(line) for line in text.splitlines())
    return [format_line(entry).rstrip() for entry in entries if entry is not None and keep(entry, args)]


@pytest.mark.parametrize("filters", [{"level": "error"}, {"level": "info"}, {"level": "error", "name": "podinfo"}])
@pytest.mark.parametrize(("name", "text"), [*RECORDED, ("synthetic", "\n".join(SYNTHETIC))], ids=lambda v: v[:40])
def test_flux_logs_at_a_level_shows_what_reading_every_line_shows(name, text, filters):
    args = LogsArgs(**filters)
    shown = parse_logs(CommandResult(["kubectl"], 0, text), args)
    expected = logs_read_every_line(text, args)[-args.tail :]  # the filters first, then the tail
    assert shown["lines"] == len(expected)
    assert shown["logs"] == "\n".join(expected)


def lines_read_plainly(text: str, level: str) -> list[str]:
    return [line for line in text.splitlines() if level in line or "\\u" in line]


BREAKS = ["\n", "\r\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@given(
    st.lists(st.one_of(st.sampled_from(["error", "info", "\\u0065", "{", "x", " ", *BREAKS]), st.text(max_size=6))),
    st.sampled_from(LEVELS),
)
def test_the_lines_of_a_level_are_those_splitting_every_line_gives(pieces, level):
    """Every line break `str.splitlines` knows, at the start, the end, doubled."""
    text = "".join(pieces)
    assert lines_at(text, level) == lines_read_plainly(text, level)


@pytest.mark.parametrize(("name", "text"), RECORDED, ids=[name for name, _text in RECORDED])
def test_recorded_lines_of_a_level_are_those_splitting_every_line_gives(name, text):
    for level in LEVELS:
        assert lines_at(text, level) == lines_read_plainly(text, level)


@given(st.lists(st.sampled_from(["\\", "u", "\\u", "\\\\", "x", "\n", "error"])).map("".join))
def test_a_unicode_escape_is_found_wherever_the_text_has_one(text):
    assert _has_unicode_escape(text) == ("\\u" in text)


ODD_LINES = [
    '{"a": 1}',
    '{"a": 1}  \t\r',
    '{"a": 1} x',
    '{"a": 1}{"b": 2}',
    '{"a": NaN, "b": Infinity}',
    '{"a": 1e999, "n": 123456789012345678901234567890}',
    '{"a": "\\ud800"}',
    '{"a": 1',
    "{}",
    '{"a": 1}\u00a0',
    "{'a': 1}",
    '{"a": "x\ny"}',
    '{"a": "tab\there"}',
]


@pytest.mark.parametrize("raw", ODD_LINES)
def test_a_line_is_parsed_as_json_loads_parses_it(raw):
    assert repr(parse_line(raw)) == repr(plain_parse(raw))  # repr: NaN is not equal to itself


@given(st.one_of(FIELDS.map(json.dumps), st.text(max_size=30).map(lambda t: "{" + t)))
def test_any_line_is_parsed_as_json_loads_parses_it(raw):
    assert repr(parse_line(raw)) == repr(plain_parse(raw))
