// alphaloom features --data DIR --set alpha158[,alpha360,ta,cross] [--expr NAME=EXPR ...]
//                    [--instruments all|MARKET|FILE|A,B] [--start D] [--end D] --out FILE [--explain]
// alphaloom ops [--format text|markdown|json]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <set>

#include "alphaloom/common/error.h"
#include "alphaloom/common/text.h"
#include "alphaloom/common/log.h"
#include "alphaloom/data/instrument_spec.h"
#include "alphaloom/data/qlib_store.h"
#include "alphaloom/expr/executor.h"
#include "alphaloom/factors/factor_set.h"
#include "alphaloom/pipeline/features.h"
#include "commands.h"

namespace alphaloom::cli {
namespace {

struct FeaturesArgs {
  std::string data, sets, instruments = "all", start, end, out;
  std::vector<std::string> extra;
  bool explain = false;
};


factors::FactorSet BuildFactorSet(const FeaturesArgs& args) {
  factors::FactorSet set = factors::FactorSetFromFlags(args.sets, args.extra);
  if (set.names.empty()) throw Error(ErrorKind::kUsage, "no factors: give --set and/or --expr");
  return set;
}

void RunFeatures(const FeaturesArgs& args, const GlobalOptions& global) {
  const factors::FactorSet set = BuildFactorSet(args);
  if (args.explain) {
    fmt::print("{}", expr::Program::Compile(set.names, set.expressions).Explain());
    if (args.out.empty()) return;
  }
  if (args.data.empty() || args.out.empty()) throw Error(ErrorKind::kUsage, "features needs --data and --out");
  const data::QlibStore store = data::QlibStore::Open(args.data);
  const std::vector<std::string> instruments = data::ResolveInstruments(store, args.instruments);
  const std::optional<Date> start = OptionalDateFlag(args.start, "--start");
  const std::optional<Date> end = OptionalDateFlag(args.end, "--end");
  ThreadPool pool(ThreadCount(global));
  const auto started = std::chrono::steady_clock::now();
  const expr::FeatureFrame frame = pipeline::ComputeFeatures(store, instruments, set, pool, start, end);
  const auto evaluated = std::chrono::steady_clock::now();
  frame.Write(args.out);
  const auto written = std::chrono::steady_clock::now();
  LogDebug("evaluate {:.3f} s, write {:.3f} s", std::chrono::duration<double>(evaluated - started).count(),
           std::chrono::duration<double>(written - evaluated).count());
  LogInfo("{} factors x {} rows ({} instruments) written to {}", frame.cols(), frame.rows(), instruments.size(), args.out);
}

}  // namespace

void AddFeaturesCommand(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<FeaturesArgs>();
  CLI::App* command = app.add_subcommand("features", "Compute factor sets and expressions over a store");
  command->add_option("--data", args->data, "Store directory");
  command->add_option("--set", args->sets, "Factor sets, comma-separated: built-in (alpha158, alpha360, ta, cross) or files of NAME = expression lines");
  command->add_option("--expr", args->extra, "Extra factor NAME=EXPRESSION (repeatable)");
  command->add_option("--instruments", args->instruments, "all, a market name, a file of symbols, or A,B,C");
  command->add_option("--start", args->start, "First output date");
  command->add_option("--end", args->end, "Last output date");
  command->add_option("--out", args->out, "Output .parquet or .csv");
  command->add_flag("--explain", args->explain, "Print the DAG size and the shared sub-expressions");
  command->callback([args, &global] { RunFeatures(*args, global); });

  auto format = std::make_shared<std::string>("text");
  CLI::App* ops = app.add_subcommand("ops", "List the expression operators from the registry");
  ops->add_option("--format", *format, "text, markdown or json")->check(CLI::IsMember({"text", "markdown", "json"}));
  ops->callback([format] { fmt::print("{}", expr::DescribeOperators(expr::DefaultRegistry(), *format)); });
}

}  // namespace alphaloom::cli
