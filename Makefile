PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/rostering solve instances/hotline-2026-w49 --out out/hotline-2026-w49 --time-limit 45

test: $(STAMP)
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check rostering tests benchmarks
	$(BIN)/ruff format --check rostering tests benchmarks
	$(BIN)/mypy rostering

bench: $(STAMP)
	$(BIN)/python benchmarks/curtois_bench.py --time-limit 60

clean:
	rm -rf $(VENV) out .pytest_cache
