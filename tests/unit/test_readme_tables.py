"""README's reference tables are the ones the spec table and FluxConfig generate."""

from pathlib import Path

from scripts.readme_tables import render

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_tables_are_in_sync():
    text = README.read_text()
    assert render(text) == text, "run `make docs` to regenerate README.md tables"
    assert "`flux_reconcile`" in text and "`read_only`" in text
