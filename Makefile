# Two commands for a newcomer: `make demo` (the main job) and `make test`.
PYTHON ?= python3
PIP_INSTALL = $(PYTHON) -m pip install --quiet --disable-pip-version-check

.PHONY: demo test install install-test dev-install live record lab-build lab-start lab-stop docs

install:
	$(PIP_INSTALL) -e .

install-test:
	$(PIP_INSTALL) -e '.[test]'

## The main job: the demo on the embedded recorded cluster (no cluster, no LLM key needed).
demo: install
	$(PYTHON) -m fluxtools.cli diagnose --cluster demo

## Tier 1: lint, unit, replay, plugin, adapter and MCP tests, and the notebooks (no cluster needed).
test: dev-install
	$(PYTHON) -m ruff check fluxtools tests adapters benchmarks scripts lab
	$(PYTHON) -m pytest -q
	$(PYTHON) -m pytest -q --nbmake notebooks

## The same lab-backed tests against the running lab (python3 lab/labctl.py start).
live: dev-install
	$(PYTHON) -m pytest -q -m live

## Re-record every cassette and the demo cluster from the running lab.
record: dev-install
	$(PYTHON) -m pytest -q tests/replay --record-mode=rewrite
	$(PYTHON) -m fluxtools.demo.record

lab-build:
	$(PYTHON) lab/labctl.py build

lab-start:
	$(PYTHON) lab/labctl.py start

lab-stop:
	$(PYTHON) lab/labctl.py stop

docs:
	$(PYTHON) -m scripts.readme_tables README.md

## Development: the core and both adapters in editable mode, with every test extra and the notebook runner.
dev-install:
	$(PIP_INSTALL) -e '.[test]' -e 'adapters/langchain-fluxcd[test]' -e 'adapters/llama-index-tools-fluxcd[test]' \
		nbmake nbformat nbclient ipykernel
