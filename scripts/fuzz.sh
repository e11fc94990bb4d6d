#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz/ and runs the CSV reader
# fuzzer for a bounded time: scripts/fuzz.sh [SECONDS] (default 60). New inputs go to a scratch
# corpus, never into the committed seed corpus. Crashes leave a reproducer in build-fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DALPHALOOM_FUZZ=ON -DALPHALOOM_BUILD_TESTS=OFF -DALPHALOOM_BUILD_BENCH=OFF >/dev/null
fi
cmake --build build-fuzz --target fuzz_csv_reader -j "$(nproc)"
scratch=build-fuzz/corpus-csv
mkdir -p "$scratch"
echo "[fuzz] csv reader for ${seconds}s"
build-fuzz/tests/fuzz/fuzz_csv_reader -max_total_time="$seconds" -max_len=4096 -timeout=10 \
  -artifact_prefix=build-fuzz/ -print_final_stats=1 "$scratch" tests/fuzz/corpus 2>&1 | tail -n 15
