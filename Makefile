# Hot Papers: `make demo` builds the bundled recorded day offline; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench matrix clean

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

# Every upstream x fault through the real chain; HOTPAPERS_UPDATE_DOCS=1 rewrites docs/reliability_matrix.md.
matrix: $(STAMP)
	$(BIN)/pytest -m matrix -p no:cacheprovider tests/integration/test_fault_matrix.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_pipeline.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy layers/common/hotpapers
	for f in functions/*/app.py; do $(BIN)/mypy $$f || exit 1; done
	SAM_CLI_TELEMETRY=0 $(BIN)/sam validate --lint

clean:
	rm -rf $(VENV) demo-output .aws-sam .pytest_cache .mypy_cache .ruff_cache
