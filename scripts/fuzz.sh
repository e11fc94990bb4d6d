#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz/ and runs each for a
# bounded time, as many at a time as there are cores: scripts/fuzz.sh [SECONDS] (default 60, per
# target). New inputs go to scratch corpora under build-fuzz/, never into the committed seed
# corpora. A crash leaves its reproducer in build-fuzz/ and fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
targets=(csv_reader:tests/fuzz/corpus expr_parser:tests/fuzz/corpus-expr label_file:tests/fuzz/corpus-labels
         workflow_config:tests/fuzz/corpus-config)
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DALPHALOOM_FUZZ=ON -DALPHALOOM_BUILD_TESTS=OFF -DALPHALOOM_BUILD_BENCH=OFF >/dev/null
fi
names=()
for entry in "${targets[@]}"; do names+=("fuzz_${entry%%:*}"); done
cmake --build build-fuzz --target "${names[@]}" -j "$(nproc)"

# Runs one target; its output goes to build-fuzz/<name>.log (the last lines are printed).
run_target() {
  local name=$1 seeds=$2 scratch=build-fuzz/corpus-$1
  mkdir -p "$scratch"
  build-fuzz/tests/fuzz/fuzz_$name -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -artifact_prefix=build-fuzz/ -print_final_stats=1 "$scratch" "$seeds" >"build-fuzz/$name.log" 2>&1
}

# As many targets at a time as there are cores; every target runs its full time.
jobs=$(nproc)
status=0
pids=()
for index in "${!targets[@]}"; do
  entry=${targets[$index]}
  echo "[fuzz] ${entry%%:*} for ${seconds}s"
  run_target "${entry%%:*}" "${entry#*:}" &
  pids+=($!)
  if (( ${#pids[@]} >= jobs )) || (( index == ${#targets[@]} - 1 )); then
    for pid in "${pids[@]}"; do wait "$pid" || status=1; done
    pids=()
  fi
done
for entry in "${targets[@]}"; do
  echo "[fuzz] ${entry%%:*}:"
  tail -n 6 "build-fuzz/${entry%%:*}.log"
done
exit $status
