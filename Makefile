# Cairn — `make run` serves the demo, `make test` is lint + every test.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# The first Python >= 3.12 found: on PATH, or in pyenv's versions folder.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3; do \
	"$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { command -v "$$p"; break; }; done)

.PHONY: run test lint fmt bench install browser worker typecheck clean crash fuzz screenshots

$(BIN)/cairn: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Cairn needs Python 3.12 or newer on PATH (set PYTHON=...)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(BIN)/cairn

install: $(BIN)/cairn

run: install
	$(BIN)/cairn migrate --no-input
	$(BIN)/cairn demo
	DEBUG=1 $(BIN)/cairn serve

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/bandit -q -c pyproject.toml -r cairn bench --severity-level medium
	$(BIN)/mypy

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# mypy with django-stubs over all of cairn/ (also part of lint); the cache is .mypy_cache.
typecheck: install
	$(BIN)/mypy

browser:
	@bash scripts/ensure-chromium.sh

test: lint browser
	$(BIN)/python -m pytest

# kill -9 of the web server mid-stream and of the task worker mid-task; PostgreSQL only.
crash: install
	@test -n "$(DATABASE_URL)" || { echo "Set DATABASE_URL=postgresql://... (the crash test needs PostgreSQL)"; exit 1; }
	$(BIN)/python -m pytest cairn/tests/test_crash_safety.py --create-db --durations=0

# Schemathesis over every API operation with many generated requests each (`make test` runs a few).
FUZZ_EXAMPLES ?= 100
fuzz: install
	CAIRN_SCHEMA_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest cairn/api/tests/test_schema_conformance.py --durations=3

bench: install
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m bench

# docs/screenshots/: home, profile and insights at 1280 and 390 px, from the Northwind demo in the
# database DATABASE_URL names (created there first if missing). Needs Debian's Chromium.
screenshots: install browser
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) *.egg-info
