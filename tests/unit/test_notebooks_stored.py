"""The notebooks are stored executed on the demo (`python -m scripts.execute_notebooks`), so a reader sees
results without running them; `make test` still executes them (`pytest --nbmake notebooks`)."""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MACHINE = re.compile(r"/(work|root|home|Users)/|/tmp/(?!…)|\bpytest-of-")


def test_there_are_notebooks():
    assert {path.name for path in NOTEBOOKS} >= {"quickstart.ipynb", "langchain_agent.ipynb"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_each_notebook_is_stored_with_the_outputs_of_one_run_in_order(path):
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    outputs = [output for cell in code for output in cell.outputs]
    assert outputs, "stored without outputs"
    assert all(output.output_type != "error" for output in outputs)
    assert not any(output.get("name") == "stderr" for output in outputs)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_stored_outputs_hold_nothing_of_the_machine_they_ran_on(path):
    text = path.read_text(encoding="utf-8")
    assert MACHINE.search(text) is None, MACHINE.search(text)
    assert '"execution": {' not in text  # cell timings are not stored
