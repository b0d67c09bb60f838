# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint bench load timing soak clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP) $@

run: $(STAMP)
	$(BIN)/kiosk run

lint: $(TEST_STAMP)
	$(BIN)/ruff check kiosk screens web tests tools bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test: lint
	tools/ensure-postgres
	tools/ensure-chromium
	$(BIN)/pytest

# Not part of `make test`: the wall-clock comparisons on real argon2 (known vs unknown address).
timing: $(TEST_STAMP)
	$(BIN)/pytest -m timing -s

# Not part of `make test`: the UI and web suites SOAK_RUNS times (default 10), every failure and
# hang reported (tools/soak; logs in .soak/).
SOAK_RUNS ?= 10
soak: $(TEST_STAMP)
	tools/ensure-postgres
	tools/ensure-chromium
	tools/soak $(SOAK_RUNS)

# Not part of `make test`: every benchmark beside its anchor; writes BENCHMARKS.md.
bench: $(TEST_STAMP)
	$(BIN)/python bench/run_all.py

# Not part of `make test`: 50 simulated kiosks x 20 registrations on a throwaway PostgreSQL.
load: $(TEST_STAMP)
	$(BIN)/python -m bench.load

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
