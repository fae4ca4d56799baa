# Hot Papers: `make demo` builds the bundled recorded days offline; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# checkov and mutmut pin dependencies that clash with the dev tools' (aws-sam-cli pins click),
# so each gets a virtual environment of its own.
CHECKOV_VENV := .venv-checkov
MUTMUT_VENV := .venv-mutmut
# Generated inputs per fuzz test (hypothesis) in `make fuzz`; `make test` runs them with 200.
# 24 fuzz tests x 6000 clears the floor of 100,000 inputs that `make fuzz` holds the run to.
FUZZ_EXAMPLES ?= 6000
FUZZ_MIN ?= 100000

.PHONY: install demo test test-unit test-integration test-e2e lint bench bench-quick matrix clean scan fuzz mutation mutation-full

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/hotpapers demo

test: $(STAMP)
	$(BIN)/pytest

# One tier at a time, by its folder (tests/conftest.py keeps each folder's tests marked with its tier,
# so `pytest -m integration` selects the same tests); docs/testing.md gives each one's time.
test-unit: $(STAMP)
	$(BIN)/pytest tests/unit

test-integration: $(STAMP)
	$(BIN)/pytest tests/integration

test-e2e: $(STAMP)
	$(BIN)/pytest tests/e2e

# `make bench`: the figures of docs/performance.md (about 8 minutes); `make bench-quick`: CI's check
# that the harness still runs (about 1.5 minutes). Neither is part of `make test`.
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench $(if $(BENCH_QUICK),--quick)

bench-quick: $(BENCH_STAMP)
	$(BIN)/python -m bench --quick

# Every upstream x fault through the real chain; HOTPAPERS_UPDATE_DOCS=1 rewrites docs/reliability_matrix.md.
matrix: $(STAMP)
	$(BIN)/pytest -m matrix -p no:cacheprovider tests/integration/test_fault_matrix.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy layers/common/hotpapers
	for f in functions/*/app.py; do $(BIN)/mypy $$f || exit 1; done
	SAM_CLI_TELEMETRY=0 $(BIN)/sam validate --lint

# checkov over template.yaml and its SAM expansion; writes "Template scan" in docs/reliability.md.
scan: $(STAMP) $(CHECKOV_VENV)/.installed
	PYTHONPATH=tools:tests:layers/common $(BIN)/python tools/scan_template.py

$(CHECKOV_VENV)/.installed:
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/pip install --quiet 'checkov>=3.2,<4'
	touch $@

fuzz: $(STAMP)
	HOTPAPERS_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) HOTPAPERS_FUZZ_MIN=$(FUZZ_MIN) HOTPAPERS_FUZZ_REPORT=1 \
		$(BIN)/pytest -m fuzz -p no:cacheprovider

# Quick: the modules tools/mutation.py names (CI); full: every module. Each writes its scores
# into "Mutation testing" in docs/reliability.md.
mutation: $(MUTMUT_VENV)/.installed
	PYTHONPATH=tools $(MUTMUT_VENV)/bin/python tools/mutation.py quick

mutation-full: $(MUTMUT_VENV)/.installed
	PYTHONPATH=tools $(MUTMUT_VENV)/bin/python tools/mutation.py full

$(MUTMUT_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(MUTMUT_VENV)
	$(MUTMUT_VENV)/bin/pip install --quiet --upgrade pip
	$(MUTMUT_VENV)/bin/pip install --quiet -e '.[mutation]'
	touch $@

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) $(MUTMUT_VENV) .mutation demo-output .aws-sam .pytest_cache .mypy_cache .ruff_cache .bench-cache
