"""Cassettes are parsed by libyaml when PyYAML has it, into the same interactions as the pure-Python parser."""

from pathlib import Path

import yaml

from fluxtools.cassettes import Cassette, Interaction
from fluxtools.cassettes import format as cassette_format
from fluxtools.demo import demo_path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [demo_path(), *sorted((ROOT / "tests/replay/cassettes").rglob("*.cli.yaml"))]


def test_the_fastest_safe_parser_is_used() -> None:
    expected = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    assert cassette_format.SAFE_LOADER is expected


def test_shipped_cassettes_parse_the_same_with_both_parsers() -> None:
    assert len(SHIPPED) > 1
    for path in SHIPPED:
        pure = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        loaded = Cassette.load(path)
        assert loaded.header == pure["recorded_with"], path
        expected = [Interaction.from_dict(item) for item in pure["interactions"]]
        assert loaded.interactions == expected, path
