# The two commands of the README, and a few helpers. Every target runs scripts/setup.sh first,
# which installs what is missing and builds (fast when nothing changed).
SHELL := /bin/bash
BUILD := build
BIN := $(BUILD)/cli/alphaloom
DEMO := demo

.PHONY: setup build demo test fuzz bench clean

setup:
	bash scripts/setup.sh

build: setup

## Main job on the embedded defaults: a synthetic market (made once), then the quickstart workflow
## (ingest -> Alpha158 -> labels -> walk-forward LightGBM -> TopK-dropout backtest -> report -> gates,
## every stage cached) and the last day's predictions from the trained ensemble.
demo: setup
	test -f $(DEMO)/raw/truth.json || $(BIN) synth --out $(DEMO)/raw --instruments 100 --start 2012-01-02 --end 2024-12-31 --seed 7
	$(BIN) run examples/quickstart.yaml
	$(BIN) predict --model runs/quickstart/model --data $(DEMO)/store --date 2024-12-31 --out $(DEMO)/predictions.csv

## Every test: unit, integration, real-data, parity (ctest), then 30 s of each fuzz target (make fuzz: longer).
test: setup
	cd $(BUILD) && ctest --output-on-failure -j 2
	bash scripts/fuzz.sh 30

fuzz: setup
	bash scripts/fuzz.sh $${FUZZ_SECONDS:-300}

## Side-by-side benchmarks against pandas and Qlib (minutes; prints ratios, see bench/README.md).
bench: setup
	.venv/bin/python bench/ingest_bench.py
	.venv/bin/python bench/features_bench.py
	$(BUILD)/bench/bench_label_cv
	(test -d $(BUILD)/bench-strategy-store || $(BIN) -q synth --instruments 800 --start 2012-01-02 --end 2024-04-05 --format qlib --out $(BUILD)/bench-strategy-store) && $(BUILD)/bench/bench_strategy --data $(BUILD)/bench-strategy-store
	.venv/bin/python bench/train_bench.py
	.venv/bin/python bench/backtest_bench.py
	.venv/bin/python bench/workflow_bench.py --binary $(BIN)

clean:
	rm -rf $(BUILD) build-fuzz $(DEMO) runs .alphaloom-cache
