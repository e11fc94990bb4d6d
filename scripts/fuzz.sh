#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz/ and runs each for a
# bounded time: scripts/fuzz.sh [SECONDS] (default 60, per target). New inputs
# go to scratch corpora under build-fuzz/, never into the committed seed corpora. A crash leaves
# its reproducer in build-fuzz/ and fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
targets=(csv_reader:tests/fuzz/corpus expr_parser:tests/fuzz/corpus-expr label_file:tests/fuzz/corpus-labels
         workflow_config:tests/fuzz/corpus-config)
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DALPHALOOM_FUZZ=ON -DALPHALOOM_BUILD_TESTS=OFF -DALPHALOOM_BUILD_BENCH=OFF >/dev/null
fi
for entry in "${targets[@]}"; do
  name=${entry%%:*}
  seeds=${entry#*:}
  cmake --build build-fuzz --target "fuzz_$name" -j "$(nproc)"
  scratch=build-fuzz/corpus-$name
  mkdir -p "$scratch"
  echo "[fuzz] $name for ${seconds}s"
  build-fuzz/tests/fuzz/fuzz_$name -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -artifact_prefix=build-fuzz/ -print_final_stats=1 "$scratch" "$seeds" 2>&1 | tail -n 6
done
