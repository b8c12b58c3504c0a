"""Run the notebooks on the demo cluster with the scripted models and store them with their outputs.

    python -m scripts.execute_notebooks            # rewrite notebooks/*.ipynb with fresh outputs
    python -m scripts.execute_notebooks --check    # exit 1 when a stored notebook differs from a fresh run

Offline whatever the environment holds (no provider key reaches the kernel), from the repository root, so
what a reader sees on GitHub is what `pytest --nbmake notebooks` runs. Volatile metadata (cell timings) is
not stored.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import nbclient
import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PROVIDER_KEYS = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "FLUXTOOLS_MODEL")


def offline_environment() -> None:
    """The kernel inherits this process's environment: the scripted models and the demo, nothing else."""
    for name in PROVIDER_KEYS:
        os.environ.pop(name, None)
    os.environ["FLUXTOOLS_OFFLINE"] = "1"


def executed(path: Path) -> nbformat.NotebookNode:
    notebook = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(notebook, timeout=300, resources={"metadata": {"path": str(ROOT)}}).execute()
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    return notebook


def text(notebook: nbformat.NotebookNode) -> str:
    return nbformat.writes(notebook) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="only compare the stored notebooks with a fresh run")
    options = parser.parse_args()
    offline_environment()
    stale = []
    for path in NOTEBOOKS:
        fresh = text(executed(path))
        if path.read_text(encoding="utf-8") == fresh:
            continue
        stale.append(path.relative_to(ROOT))
        if not options.check:
            path.write_text(fresh, encoding="utf-8")
    for name in stale:
        print(f"{'stale' if options.check else 'rewrote'}: {name}")
    return 1 if options.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
