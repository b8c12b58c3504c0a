# Two commands for a newcomer: `make demo` (the main job) and `make test`.
PYTHON ?= python3
PIP_INSTALL = $(PYTHON) -m pip install --disable-pip-version-check --progress-bar off
# The core and both adapters in editable mode, with every test extra and the notebook runner.
DEV_PACKAGES = -e '.[test]' -e 'adapters/langchain-fluxcd[test]' -e 'adapters/llama-index-tools-fluxcd[test]' \
	nbmake nbformat nbclient ipykernel
DEV_INPUTS = pyproject.toml adapters/langchain-fluxcd/pyproject.toml adapters/llama-index-tools-fluxcd/pyproject.toml
# What the development install depends on: the interpreter, this checkout, the package list and the pyproject
# files. `make test` installs again only when one of them changed since the last install from here.
DEV_KEY := $(shell $(PYTHON) -c 'import hashlib, os, sys; \
	parts = [sys.executable, os.getcwd(), sys.argv[1], *(open(path, "rb").read().decode() for path in sys.argv[2:])]; \
	print(hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16])' "$(DEV_PACKAGES)" $(DEV_INPUTS))
DEV_STAMP := .make/dev-install-$(DEV_KEY)
# The same for the core alone (`make demo`): installed again only when the interpreter, this checkout or
# pyproject.toml changed since the last install of the core (by `make install` or `make dev-install`) from here.
CORE_KEY := $(shell $(PYTHON) -c 'import hashlib, os, sys; \
	parts = [sys.executable, os.getcwd(), open("pyproject.toml", "rb").read().decode()]; \
	print(hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16])')
CORE_STAMP := .make/install-$(CORE_KEY)
PYTEST_WORKERS ?= auto

.PHONY: demo test test-deps test-lint test-pytest test-notebooks install install-test dev-install live record \
	lab-build lab-start lab-stop docs
.NOTPARALLEL:

install:
	$(PIP_INSTALL) -e .
	@rm -f .make/install-* && mkdir -p .make && touch $(CORE_STAMP)

install-test:
	$(PIP_INSTALL) -e '.[test]'

## The main job: the demo on the embedded recorded cluster (no cluster, no LLM key needed).
demo: $(CORE_STAMP)
	$(PYTHON) -m fluxtools.cli diagnose --cluster demo

$(CORE_STAMP):
	@echo "== demo: installing the core (pyproject.toml changed, or the first install from this checkout)"
	$(MAKE) --no-print-directory install

## Tier 1: lint, unit, replay, plugin, adapter and MCP tests, and the notebooks (no cluster needed).
## Each phase is also a target of its own; `python benchmarks/tier1.py` times them.
test: test-deps test-lint test-pytest test-notebooks
	@echo "== make test: done"

test-deps: $(DEV_STAMP)
	@echo "== make test [1/4] dependencies: current ('make dev-install' installs them again)"

$(DEV_STAMP):
	@echo "== dependencies: installing (a pyproject file changed, or the first install from this checkout)"
	$(MAKE) --no-print-directory dev-install

test-lint:
	@echo "== make test [2/4] lint: ruff"
	$(PYTHON) -m ruff check fluxtools tests adapters benchmarks scripts lab

test-pytest:
	@echo "== make test [3/4] tests: unit, replay, plugin, adapter and MCP ($(PYTEST_WORKERS) workers)"
	$(PYTHON) -m pytest -q -rs -n $(PYTEST_WORKERS) --durations=10

test-notebooks:
	@echo "== make test [4/4] notebooks"
	$(PYTHON) -m pytest -q -rs --nbmake notebooks

## The same lab-backed tests against the running lab (python3 lab/labctl.py start).
live: $(DEV_STAMP)
	$(PYTHON) -m pytest -q -m live

## Re-record every cassette and the demo cluster from the running lab.
record: $(DEV_STAMP)
	$(PYTHON) -m pytest -q tests/replay --record-mode=rewrite
	$(PYTHON) -m scripts.record_demo

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
	$(PIP_INSTALL) $(DEV_PACKAGES)
	@rm -f .make/dev-install-* .make/install-* && mkdir -p .make && touch $(DEV_STAMP) $(CORE_STAMP)
