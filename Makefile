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
	$(BIN)/rostering bench ../shared/benchmarks/curtois --time-limit 60 --instances 1-12 --out out/curtois-60.csv
	$(BIN)/python -m benchmarks.scale_bench --bank --time-limit 60 --out out/scale-60.csv
	$(BIN)/python -m benchmarks.fairness_price --time-limit 60
	$(BIN)/python -m benchmarks.staffing_bench

clean:
	rm -rf $(VENV) out .pytest_cache
