// alphaloom strategy --config FILE --data DIR [--predictions FILE] [--start D] [--end D] --out FILE
#include <fmt/format.h>

#include <memory>

#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/pipeline/strategy.h"
#include "commands.h"

namespace alphaloom::cli {
namespace {

struct StrategyArgs {
  std::string config, data, predictions, start, end, out;
};

void RunStrategy(const StrategyArgs& args, const GlobalOptions& global) {
  if (args.config.empty() || args.data.empty() || args.out.empty()) {
    throw Error(ErrorKind::kUsage, "strategy needs --config, --data and --out");
  }
  const YAML::Node root = pipeline::LoadYamlFile(args.config);
  if (!root["strategy"]) throw Error(ErrorKind::kConfig, fmt::format("{}: no strategy: section", args.config));
  pipeline::ConfigSection section(root["strategy"], "strategy", args.config);
  const pipeline::HybridConfig config = pipeline::ReadHybridConfig(section);
  const data::QlibStore store = data::QlibStore::Open(args.data);
  const std::optional<Date> start = OptionalDateFlag(args.start, "--start");
  const std::optional<Date> end = OptionalDateFlag(args.end, "--end");
  data::Table predictions;
  if (!args.predictions.empty()) {
    const data::ColumnRequest requests[] = {{"datetime", data::ColumnType::kDate, true},
                                            {"instrument", data::ColumnType::kString, true},
                                            {"horizon", data::ColumnType::kNumber, false},
                                            {"yhat", data::ColumnType::kNumber, false},
                                            {"prob_up", data::ColumnType::kNumber, false}};
    predictions = data::ReadTable(args.predictions, requests);
  }
  ThreadPool pool(ThreadCount(global));
  const data::Table table = pipeline::RunHybridStrategy(config, store, predictions, start, end, pool);
  if (table.rows() == 0)
    throw Error(ErrorKind::kData, fmt::format("strategy: no rows of {} in the date range", args.data));
  data::WriteTable(table, args.out);
  LogInfo("strategy (hybrid): {} rows written to {}", table.rows(), args.out);
}

}  // namespace

void AddStrategyCommand(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<StrategyArgs>();
  CLI::App* command = app.add_subcommand(
      "strategy", "Hybrid strategy: rule alphas + ML signal weighted by regime, sized into target weights");
  command->add_option("--config", args->config, "Workflow YAML with a strategy: section of kind hybrid");
  command->add_option("--data", args->data, "Store directory (must record a benchmark)");
  command->add_option("--predictions", args->predictions,
                      "Predictions from `predict` (datetime, instrument, [horizon], yhat, prob_up); none = rules only");
  command->add_option("--start", args->start, "First date written (earlier history still feeds the windows)");
  command->add_option("--end", args->end, "Last date of data used and written");
  command->add_option("--out", args->out,
                      "Output .csv or .parquet: datetime, instrument, weight, alpha_score, regime, c_*, realized_vol");
  command->callback([args, &global] { RunStrategy(*args, global); });
}

}  // namespace alphaloom::cli
