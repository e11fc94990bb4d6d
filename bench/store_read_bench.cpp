// Store read throughput: one field of every instrument through the memory-mapped reader.
// Usage: bench_store_read --store DIR [google-benchmark flags]; bench/ingest_bench.py runs it on
// the store it ingests, beside pandas, and prints the ratios.
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>

#include "alphaloom/common/error.h"
#include "alphaloom/data/qlib_store.h"

namespace {

std::string g_store_dir;

void BM_ReadCloseAllInstruments(benchmark::State& state) {
  const auto store = alphaloom::data::QlibStore::Open(g_store_dir);
  size_t bytes = 0;
  for (auto _ : state) {
    for (const auto& span : store.instruments()) {
      const auto series = store.ReadField(span.instrument, "close");
      benchmark::DoNotOptimize(series.values.data());
      bytes += series.values.size() * sizeof(float);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["instruments"] = static_cast<double>(store.instruments().size());
}
BENCHMARK(BM_ReadCloseAllInstruments)->Unit(benchmark::kMillisecond);

void BM_LoadPanelClose(benchmark::State& state) {
  const auto store = alphaloom::data::QlibStore::Open(g_store_dir);
  const std::string fields[] = {"close"};
  for (auto _ : state) {
    auto panel = store.LoadPanel(fields);
    benchmark::DoNotOptimize(panel.Field(0).data());
  }
}
BENCHMARK(BM_LoadPanelClose)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  for (int index = 1; index + 1 < argc; ++index) {
    if (std::strcmp(argv[index], "--store") == 0) {
      g_store_dir = argv[index + 1];
      for (int rest = index; rest + 2 < argc; ++rest) argv[rest] = argv[rest + 2];
      argc -= 2;
      break;
    }
  }
  if (g_store_dir.empty()) {
    std::fprintf(stderr, "usage: bench_store_read --store DIR [benchmark flags]\n");
    return 2;
  }
  try {
    alphaloom::data::QlibStore::Open(g_store_dir);
  } catch (const alphaloom::Error& error) {
    std::fprintf(stderr, "bench_store_read: %s\n", error.what());
    return 1;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
