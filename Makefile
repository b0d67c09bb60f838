# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint bench load scan clean

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

# Not part of `make test`: every benchmark beside its anchor; writes BENCHMARKS.md.
bench: $(TEST_STAMP)
	$(BIN)/python bench/run_all.py

# Not part of `make test`: 50 simulated kiosks x 20 registrations on a throwaway PostgreSQL.
load: $(TEST_STAMP)
	$(BIN)/python -m bench.load

# Not part of `make test`: wapiti and sqlmap against `kiosk web` on the demo data, on loopback.
# Their own environment (wapiti pins its own httpx); installed once, then nothing leaves the machine.
SCAN_VENV := .venv-scan
SCAN_STAMP := $(SCAN_VENV)/.installed

$(SCAN_STAMP):
	$(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/pip install --quiet --upgrade pip
	$(SCAN_VENV)/bin/pip install --quiet 'wapiti3==3.2.3' 'sqlmap==1.10.10'
	touch $@

scan: $(STAMP) $(SCAN_STAMP)
	$(BIN)/python tools/scan.py

clean:
	rm -rf $(VENV) $(SCAN_VENV) .pytest_cache .mypy_cache .ruff_cache
