# The README's two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run test lint bench fuzz install install-dev vendor serve clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check uv==0.13.9

$(VENV)/.installed: pyproject.toml | $(BIN)/uv
	$(BIN)/uv pip install -q --python $(BIN)/python -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/uv pip install -q --python $(BIN)/python -e '.[dev]'
	touch $@

static/vendor/.fetched: scripts/fetch_vendor.py | $(VENV)/.installed
	$(BIN)/python scripts/fetch_vendor.py
	touch $@

install: $(VENV)/.installed static/vendor/.fetched
install-dev: $(VENV)/.installed-dev static/vendor/.fetched

run: install
	$(BIN)/kefu migrate
	$(BIN)/kefu demo
	$(BIN)/kefu serve

test: install-dev
	$(BIN)/pytest -n 2 --dist loadfile --durations=25

lint: install-dev
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: install-dev
	$(BIN)/python -m bench
	$(BIN)/python -m bench.surveys
	$(BIN)/python -m bench.imports
	$(BIN)/python -m bench.budgets
	$(BIN)/python -m bench.callbacks
	$(BIN)/python -m bench.desk

# schemathesis against the served OpenAPI schema (/api/schema), a longer budget than the suite's fuzz test.
fuzz: install-dev
	$(BIN)/python scripts/fuzz_api.py --max-examples 200 --seed 1

clean:
	rm -rf $(VENV) static/vendor var/test-*
