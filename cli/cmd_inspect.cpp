// alphaloom inspect --data DIR --instrument T [--start D --end D] [--features SET|FILE]
//                   [--plot FILE.png] [--json] [--jump-sigma N] [--stale-bars K] [--python PATH]
#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <memory>

#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/common/text.h"
#include "alphaloom/data/inspect.h"
#include "alphaloom/data/qlib_store.h"
#include "alphaloom/expr/program.h"
#include "alphaloom/factors/factor_set.h"
#include "alphaloom/pipeline/features.h"
#include "alphaloom/report/inspect.h"
#include "commands.h"

namespace alphaloom::cli {
namespace {

struct InspectArgs {
  std::string data, instrument, start, end, features, plot;
  bool json = false;
  data::InspectOptions options;
  report::ReportOptions report;
};

// The factor set's row for the instrument's last bar. A set with a cross-sectional operator
// (CSRank, ...) needs the whole market on that date; a time-series set needs the instrument only.
report::FeatureValues LastFeatureValues(const data::QlibStore& store, const data::InstrumentHistory& history,
                                        const std::string& sets, ThreadPool& pool) {
  factors::FactorSet set;
  for (const auto& name : SplitCommas(sets)) set.Append(factors::LoadFactorSet(name));
  if (set.names.empty()) throw Error(ErrorKind::kUsage, "--features: name a factor set or a file");
  const expr::Program program = expr::Program::Compile(set.names, set.expressions);
  const auto is_cross_sectional = [](const expr::DagNode& node) {
    return node.op != nullptr && node.op->kind == expr::OperatorKind::kCrossSectional;
  };
  const bool cross_sectional = std::any_of(program.nodes().begin(), program.nodes().end(), is_cross_sectional);
  std::vector<std::string> instruments;
  if (cross_sectional) {
    for (const data::InstrumentSpan& span : store.instruments()) instruments.push_back(span.instrument);
  }
  if (std::find(instruments.begin(), instruments.end(), history.instrument) == instruments.end()) {
    instruments.push_back(history.instrument);
  }
  const expr::FeatureFrame frame =
      pipeline::ComputeFeatures(store, instruments, set, pool, history.last_bar, history.last_bar);
  report::FeatureValues values{sets, history.last_bar, {}};
  for (size_t row = 0; row < frame.rows(); ++row) {
    if (frame.instrument(row) != history.instrument || frame.date(row) != history.last_bar) continue;
    for (size_t col = 0; col < frame.cols(); ++col) {
      values.values.emplace_back(frame.columns()[col], frame.At(row, col));
    }
    return values;
  }
  for (const std::string& name : frame.columns()) {
    values.values.emplace_back(name, std::numeric_limits<double>::quiet_NaN());
  }
  return values;
}

void RunInspect(InspectArgs& args, const GlobalOptions& global) {
  args.options.start = OptionalDateFlag(args.start, "--start");
  args.options.end = OptionalDateFlag(args.end, "--end");
  const data::QlibStore store = data::QlibStore::Open(args.data);
  report::Inspection inspection;
  inspection.options = args.options;
  inspection.history = data::InspectInstrument(store, args.instrument, args.options);
  inspection.returns = report::ComputeReturnStats(inspection.history);
  if (!args.features.empty()) {
    ThreadPool pool(ThreadCount(global));
    inspection.features = LastFeatureValues(store, inspection.history, args.features, pool);
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
      "inspect", "One instrument of a store: span, bars, suspensions, splits and dividends, returns, data quality");
  command->add_option("--data", args->data, "Store directory")->required();
  command->add_option("--instrument", args->instrument, "Instrument symbol (case-insensitive; the benchmark too)")
      ->required();
  command->add_option("--start", args->start, "First date looked at (default: the listing's first)");
  command->add_option("--end", args->end, "Last date looked at (default: the listing's last)");
  command->add_option("--features", args->features,
                      "Factor sets or files (comma-separated): print their values on the last bar");
  command->add_option("--plot", args->plot, "Write a PNG: price, volume and drawdown, factor changes marked");
  command->add_flag("--json", args->json, "Print JSON");
  command->add_option("--jump-sigma", args->options.jump_sigma,
                      "Flag bar-to-bar returns beyond this many robust sigmas of the range (default 8)");
  command->add_option("--stale-bars", args->options.stale_bars,
                      "Flag runs of at least this many bars with the same close (default 5)");
  command->add_option("--python", args->report.python, "Python with matplotlib for --plot (default: .venv-bt)");
  command->callback([args, &global] { RunInspect(*args, global); });
}

}  // namespace alphaloom::cli
