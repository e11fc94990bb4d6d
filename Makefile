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

## Main job on the embedded defaults: synthetic market -> ingest -> store summary -> Alpha158 ->
## labels -> the walk-forward fold plan -> cross-validated LightGBM -> the last day's predictions.
demo: setup
	$(BIN) synth --out $(DEMO)/raw --instruments 100 --start 2012-01-02 --end 2024-12-31 --seed 7
	$(BIN) ingest --input $(DEMO)/raw --out $(DEMO)/store --benchmark BENCH
	$(BIN) data info $(DEMO)/store
	$(BIN) features --data $(DEMO)/store --set alpha158 --out $(DEMO)/alpha158.parquet
	$(BIN) label --data $(DEMO)/store --config examples/quickstart.yaml --out $(DEMO)/labels.parquet
	$(BIN) cv plan --config examples/quickstart.yaml --labels $(DEMO)/labels.parquet
	$(BIN) train --config examples/quickstart.yaml --out $(DEMO)/run
	$(BIN) predict --model $(DEMO)/run/model --data $(DEMO)/store --date 2024-12-31 --out $(DEMO)/predictions.csv

## Every test: unit, integration, real-data, parity (ctest), then 60 s of each fuzz target.
test: setup
	cd $(BUILD) && ctest --output-on-failure -j 2
	bash scripts/fuzz.sh 60

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

clean:
	rm -rf $(BUILD) build-fuzz $(DEMO)
