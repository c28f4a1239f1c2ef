# rba: two commands do all the set-up on a fresh machine.
#   make demo   create .venv, install, migrate a SQLite database, load the sample, serve :8050
#   make test   install the test extras and run the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8050

.PHONY: install install-test demo serve test lint typecheck bench sample clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

install: $(VENV)/.installed          ## install the project (editable) into .venv

install-test: $(VENV)/.installed-test

demo: install                        ## migrate, load the sample data and serve the dashboard
	$(BIN)/rba db upgrade
	$(BIN)/rba demo
	$(BIN)/rba serve --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/rba serve --host $(HOST) --port $(PORT)

lint: install-test
	$(BIN)/ruff check rba dashboards tests benchmarks data migrations

typecheck: install-test
	$(BIN)/mypy rba

test: install-test lint typecheck    ## the whole suite (PostgreSQL tests need RBA_TEST_POSTGRES_URL)
	$(BIN)/pytest -n 2 --dist loadfile

bench: install-test                  ## speed and memory figures against floors measured in the same run
	$(BIN)/python benchmarks/bench_calc.py

sample: install                      ## re-simulate the sample's figures from data/simulation.toml
	$(BIN)/python data/generate_sample.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache test-output
