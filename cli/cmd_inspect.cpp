// alphaloom inspect --data DIR --instrument T [--start D --end D] [--features SET|FILE] [--expr NAME=EXPR ...]
//                   [--workflow FILE.yaml [--set key=value ...]] [--strategy] [--model DIR|models:/NAME@ALIAS]
//                   [--predictions FILE] [--rows N] [--plot FILE.png] [--json] [--jump-sigma N] [--stale-bars K]
//                   [--python PATH]
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>

#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/common/text.h"
#include "alphaloom/data/inspect.h"
#include "alphaloom/data/qlib_store.h"
#include "alphaloom/factors/factor_set.h"
#include "alphaloom/pipeline/inspect_strategy.h"
#include "alphaloom/report/inspect.h"
#include "commands.h"

namespace alphaloom::cli {
namespace {

struct InspectArgs {
  std::string data, instrument, start, end, features, plot, workflow, model, predictions;
  std::vector<std::string> expressions, overrides;
  size_t rows = 20;
  bool json = false, strategy = false;
  data::InspectOptions options;
  report::ReportOptions report;
};

factors::FactorSet FeatureSet(const InspectArgs& args) {
  factors::FactorSet set = factors::FactorSetFromFlags(args.features, args.expressions);
  if ((!args.features.empty() || !args.expressions.empty()) && set.names.empty()) {
    throw Error(ErrorKind::kUsage, "--features: name a factor set or a file");
  }
  return set;
}

std::string FeatureSetName(const InspectArgs& args) {
  std::vector<std::string> parts;
  if (!args.features.empty()) parts.push_back(args.features);
  for (const auto& pair : args.expressions) parts.push_back(pair.substr(0, pair.find('=')));
  return fmt::format("{}", fmt::join(parts, ","));
}

// The first bar of the strategy table: the range's first bar when --start is given, else the
// `rows`-th last bar.
Date TableFirstBar(const data::InstrumentHistory& history, bool start_given, size_t rows) {
  if (start_given) return history.first_bar;
  size_t seen = 0;
  for (size_t offset = history.dates.size(); offset-- > 0;) {
    if (std::isnan(history.close[offset])) continue;
    if (++seen == rows) return history.dates[offset];
  }
  return history.first_bar;
}

// Predictions for the ML component, from --predictions, --model, or the workflow's run folder.
pipeline::InspectPredictions Predictions(const InspectArgs& args,
                                         const std::optional<pipeline::InspectWorkflow>& workflow,
                                         const std::string& store, Date start, Date end, ThreadPool& pool) {
  if (!args.predictions.empty()) return pipeline::ReadPredictionsForInspect(args.predictions);
  const pipeline::TrackingConfig tracking = workflow ? workflow->tracking : pipeline::TrackingConfig{};
  const std::filesystem::path cache = workflow ? workflow->cache_dir : std::filesystem::path(".alphaloom-cache");
  if (!args.model.empty()) return pipeline::PredictForInspect(args.model, store, tracking, cache, start, end, pool);
  if (workflow && std::filesystem::is_regular_file(workflow->run_model / "ensemble.json")) {
    LogInfo("inspect: the ML component uses the run folder's model {}", workflow->run_model.string());
    return pipeline::PredictForInspect(workflow->run_model.string(), store, tracking, cache, start, end, pool);
  }
  return {};
}

report::StrategyInspection InspectStrategy(const InspectArgs& args,
                                           const std::optional<pipeline::InspectWorkflow>& workflow,
                                           const data::QlibStore& store, const data::InstrumentHistory& history,
                                           const factors::FactorSet& set, ThreadPool& pool) {
  if (history.is_benchmark) {
    throw Error(ErrorKind::kUsage, fmt::format("{} is the store's benchmark: the strategy does not trade it, so it has "
                                               "no signals (leave out --workflow, --strategy, --model, --predictions)",
                                               history.instrument));
  }
  const Date table_first = TableFirstBar(history, !args.start.empty(), args.rows);
  // The chart draws the strategy over the whole range; the table and the JSON show its last rows.
  const Date first = args.plot.empty() ? table_first : history.first_bar;
  const pipeline::InspectPredictions predictions =
      Predictions(args, workflow, store.dir().string(), first, history.last_bar, pool);
  const pipeline::HybridConfig config = workflow ? workflow->hybrid : pipeline::DefaultHybridConfig();
  report::StrategyInspection strategy = pipeline::InspectHybridStrategy(
      config, store, {history.instrument, first, history.last_bar, &predictions.table}, pool);
  strategy.table_begin = static_cast<size_t>(
      std::lower_bound(strategy.dates.begin(), strategy.dates.end(), table_first) - strategy.dates.begin());
  if (!workflow) {
    strategy.config = "defaults";
  } else {
    strategy.config = workflow->hybrid_from_file ? workflow->source
                                                 : fmt::format("{} (no hybrid strategy: defaults)", workflow->source);
  }
  strategy.ml_source = predictions.source;
  strategy.ml_version = predictions.version;
  strategy.ml_trained_through = predictions.trained_through;
  strategy.feature_names = set.names;
  strategy.features = pipeline::InstrumentFeatures(store, history.instrument, set, strategy.dates, pool);
  return strategy;
}

void RunInspect(InspectArgs& args, const GlobalOptions& global) {
  args.options.start = OptionalDateFlag(args.start, "--start");
  args.options.end = OptionalDateFlag(args.end, "--end");
  if (!args.overrides.empty() && args.workflow.empty()) throw Error(ErrorKind::kUsage, "--set needs --workflow");
  if (args.rows == 0) throw Error(ErrorKind::kUsage, "--rows must be at least 1");
  std::optional<pipeline::InspectWorkflow> workflow;
  if (!args.workflow.empty()) workflow = pipeline::ReadInspectWorkflow(args.workflow, args.overrides);
  if (args.data.empty() && workflow) args.data = workflow->store;
  if (args.data.empty()) throw Error(ErrorKind::kUsage, "inspect needs --data (or a --workflow with data.store)");
  const factors::FactorSet set = FeatureSet(args);

  const data::QlibStore store = data::QlibStore::Open(args.data);
  report::Inspection inspection;
  inspection.options = args.options;
  inspection.history = data::InspectInstrument(store, args.instrument, args.options);
  inspection.returns = report::ComputeReturnStats(inspection.history);
  ThreadPool pool(ThreadCount(global));
  const bool strategy = workflow || args.strategy || !args.model.empty() || !args.predictions.empty();
  if (strategy) inspection.strategy = InspectStrategy(args, workflow, store, inspection.history, set, pool);
  if (!set.names.empty()) {
    const data::InstrumentHistory& history = inspection.history;
    report::FeatureValues values{FeatureSetName(args), history.last_bar, {}};
    // The strategy's last row is the last bar, so its feature columns hold the values already.
    const std::vector<std::vector<double>> columns =
        strategy ? inspection.strategy->features
                 : pipeline::InstrumentFeatures(store, history.instrument, set, {history.last_bar}, pool);
    for (size_t col = 0; col < set.names.size(); ++col) values.values.emplace_back(set.names[col], columns[col].back());
    inspection.features = std::move(values);
  }
  if (!args.plot.empty()) {
    report::WriteInspectChart(inspection, args.plot, args.report);
    LogInfo("chart written to {}", args.plot);
  }
  if (args.json) {
    fmt::print("{}\n", report::InspectionToJson(inspection).dump(2));
  } else {
    fmt::print("{}", report::FormatInspection(inspection));
  }
}

}  // namespace

void AddInspectCommand(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<InspectArgs>();
  CLI::App* command = app.add_subcommand(
      "inspect", "One instrument of a store: span, bars, suspensions, splits and dividends, returns, data quality; "
                 "with a workflow, the hybrid strategy's signals, regime, alpha score and target weight per date");
  command->add_option("--data", args->data, "Store directory (default with --workflow: its data.store)");
  command->add_option("--instrument", args->instrument, "Instrument symbol (case-insensitive; the benchmark too)")
      ->required();
  command->add_option("--start", args->start, "First date looked at (default: the listing's first)");
  command->add_option("--end", args->end, "Last date looked at (default: the listing's last); nothing later is read");
  command->add_option("--features", args->features,
                      "Factor sets or files (comma-separated): their values on the last bar, and columns of the "
                      "strategy table");
  command->add_option("--expr", args->expressions, "An extra factor NAME=EXPRESSION (repeatable)");
  command->add_option("--workflow", args->workflow,
                      "Workflow YAML: show its hybrid strategy per date (the defaults without a hybrid section)");
  command->add_option("--set", args->overrides,
                      "Override a workflow key: --set strategy.regime.method=hmm (repeatable)");
  command->add_flag("--strategy", args->strategy, "Show the hybrid strategy with its default settings (no workflow)");
  command->add_option("--model", args->model,
                      "ML component: a model directory or models:/NAME@ALIAS (default: the workflow's run folder "
                      "model when it exists)");
  command->add_option("--predictions", args->predictions,
                      "ML component from a predictions file (datetime, instrument, [horizon], yhat, prob_up), e.g. "
                      "a run's signal.parquet");
  command->add_option("--rows", args->rows, "Strategy table: the last N bars when --start is not given (default 20)");
  command->add_option("--plot", args->plot,
                      "Write a PNG: price, volume and drawdown, factor changes marked (+ signals and alpha score "
                      "shaded by regime)");
  command->add_flag("--json", args->json, "Print JSON");
  command->add_option("--jump-sigma", args->options.jump_sigma,
                      "Flag bar-to-bar returns beyond this many robust sigmas of the range (default 8)");
  command->add_option("--stale-bars", args->options.stale_bars,
                      "Flag runs of at least this many bars with the same close (default 5)");
  command->add_option("--python", args->report.python, "Python with matplotlib for --plot (default: .venv-bt)");
  command->callback([args, &global] { RunInspect(*args, global); });
}

}  // namespace alphaloom::cli
