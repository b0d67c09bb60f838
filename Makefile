# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

LOCALES := kiosk/locale
CATALOGUES := $(wildcard $(LOCALES)/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

.PHONY: run test lint bench load scan timing soak clean i18n-extract i18n-update i18n-compile

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/pybabel compile --statistics -d $(LOCALES)
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/pybabel compile --statistics -d $(LOCALES)
	touch $(STAMP) $@

# The compiled catalogues (not committed): again whenever a .po changes.
$(LOCALES)/%/LC_MESSAGES/messages.mo: $(LOCALES)/%/LC_MESSAGES/messages.po | $(STAMP)
	$(BIN)/pybabel compile -d $(LOCALES) -l $*

# Texts: a new entry of kiosk/domain/catalogue.py (or a {% trans %} of a template) -> i18n-update
# (extracts the template messages.pot, not committed, and merges it into each .po), then its
# English in kiosk/locale/en/LC_MESSAGES/messages.po -> i18n-compile.
i18n-extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-location --project espace-client-kiosk \
		--width 100 -o $(LOCALES)/messages.pot .

i18n-update: i18n-extract
	$(BIN)/pybabel update -i $(LOCALES)/messages.pot -d $(LOCALES) \
		--ignore-obsolete --ignore-pot-creation-date --width 100

i18n-compile: $(STAMP)
	$(BIN)/pybabel compile --statistics -d $(LOCALES)

run: $(STAMP) $(COMPILED)
	$(BIN)/kiosk run

lint: $(TEST_STAMP)
	$(BIN)/ruff check kiosk screens web tests tools bench
	$(BIN)/ruff format --check kiosk screens web tests tools bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test: lint $(COMPILED)
	tools/ensure-postgres
	tools/ensure-chromium
	tools/ensure-espeak
	$(BIN)/pytest

# Not part of `make test`: the wall-clock comparisons on real argon2 (known vs unknown address).
timing: $(TEST_STAMP)
	$(BIN)/pytest -m timing -s

# Not part of `make test`: the UI and web suites SOAK_RUNS times (default 10), every failure and
# hang reported (tools/soak; logs in .soak/).
SOAK_RUNS ?= 10
soak: $(TEST_STAMP) $(COMPILED)
	tools/ensure-postgres
	tools/ensure-chromium
	tools/ensure-espeak
	tools/soak $(SOAK_RUNS)

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

scan: $(STAMP) $(COMPILED) $(SCAN_STAMP)
	$(BIN)/python tools/scan.py

clean:
	rm -rf $(VENV) $(SCAN_VENV) .pytest_cache .mypy_cache .ruff_cache
