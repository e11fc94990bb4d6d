// Bulk upsert throughput of the SQL store: N prediction rows (instruments x dates) written into
// an empty preds table, written again (every row a conflict update), then read back.
//   bench_sql_store URI [ROWS]     e.g. bench_sql_store sqlite:////tmp/bench.db 1000000
// Prints rows/s for each step. The store at URI should be empty (a fresh file or database).
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <string>

#include "alphaloom/common/error.h"
#include "alphaloom/store/sql_store.h"
#include "alphaloom/store/tables.h"

namespace {

using Clock = std::chrono::steady_clock;

alphaloom::data::Table MakePredictions(size_t rows, double shift) {
  using alphaloom::data::TableColumn;
  const size_t instruments = 2000;
  std::vector<alphaloom::Date> dates;
  std::vector<std::string> names;
  std::vector<double> horizons, yhat, yhat_std, prob_up;
  for (size_t row = 0; row < rows; ++row) {
    dates.emplace_back(static_cast<int32_t>(18000 + row / instruments));
    names.push_back(fmt::format("SH{:06d}", row % instruments));
    horizons.push_back(1);
    const double value = std::sin(static_cast<double>(row)) * 0.02 + shift;
    yhat.push_back(value);
    yhat_std.push_back(0.01 + std::abs(value) * 0.1);
    prob_up.push_back(value > 0 ? 0.6 : 0.4);
  }
  alphaloom::data::Table table;
  table.columns.push_back(TableColumn::Dates("datetime", std::move(dates)));
  table.columns.push_back(TableColumn::Strings("instrument", std::move(names)));
  table.columns.push_back(TableColumn::Numbers("horizon", std::move(horizons)));
  table.columns.push_back(TableColumn::Numbers("yhat", std::move(yhat)));
  table.columns.push_back(TableColumn::Numbers("yhat_std", std::move(yhat_std)));
  table.columns.push_back(TableColumn::Numbers("prob_up", std::move(prob_up)));
  table.columns.push_back(TableColumn::Strings("model_version", std::vector<std::string>(rows, "0123456789ab")));
  return table;
}

// Wall seconds since `since`, and this process's CPU seconds since `cpu_since` (on a busy machine
// the CPU time shows what the work costs; with PostgreSQL the server's share is not in it).
struct Lap {
  Clock::time_point wall = Clock::now();
  std::clock_t cpu = std::clock();
  double WallSeconds() const { return std::chrono::duration<double>(Clock::now() - wall).count(); }
  double CpuSeconds() const { return static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC; }
};

void Report(const char* what, size_t rows, const Lap& lap) {
  const double wall = lap.WallSeconds(), cpu = lap.CpuSeconds();
  fmt::print("{:<24} {:8.2f} s wall {:>10.0f} rows/s   (client CPU {:6.2f} s)\n", what, wall,
             static_cast<double>(rows) / wall, cpu);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: bench_sql_store URI [ROWS]\n");
    return 2;
  }
  const size_t rows = argc > 2 ? std::stoul(argv[2]) : 1000000;
  try {
    const auto store = alphaloom::store::OpenStore(argv[1]);
    store->Migrate();
    const alphaloom::data::Table first = MakePredictions(rows, 0.0);
    const alphaloom::data::Table second = MakePredictions(rows, 0.001);
    fmt::print("{} rows into {}\n", rows, store->uri());
    Lap lap;
    alphaloom::store::WritePredictions(*store, first, "bench");
    Report("insert (empty table):", rows, lap);
    lap = Lap();
    alphaloom::store::WritePredictions(*store, second, "bench");
    Report("upsert (all conflicts):", rows, lap);
    lap = Lap();
    const size_t read = store->Get(alphaloom::store::StoreTable::kPreds, {}).rows();
    Report("read back:", read, lap);
  } catch (const alphaloom::Error& error) {
    fmt::print(stderr, "bench_sql_store: {}\n", error.what());
    return 1;
  }
  return 0;
}
