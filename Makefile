# Hot Papers: `make demo` builds the bundled recorded day offline; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench bench-quick clean

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

# `make bench`: the figures of docs/performance.md (about 5 minutes); `make bench-quick`: CI's check
# that the harness still runs (about 1.5 minutes). Neither is part of `make test`.
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench $(if $(BENCH_QUICK),--quick)

bench-quick: $(BENCH_STAMP)
	$(BIN)/python -m bench --quick

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy layers/common/hotpapers
	for f in functions/*/app.py; do $(BIN)/mypy $$f || exit 1; done
	SAM_CLI_TELEMETRY=0 $(BIN)/sam validate --lint

clean:
	rm -rf $(VENV) demo-output .aws-sam .pytest_cache .mypy_cache .ruff_cache .bench-cache
