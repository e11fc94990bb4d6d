// alphaloom label --data DIR (--config FILE | --kind forward|states|triple-barrier|meta [options])
//                 [--instruments SPEC] [--start D] [--end D] --out FILE
#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <memory>

#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/data/instrument_spec.h"
#include "alphaloom/pipeline/labels.h"
#include "commands.h"

namespace alphaloom::cli {
namespace {

// The label keys a flag can set: --key-name for label.key_name. Values are checked by the same
// reader as a workflow file's label section.
struct LabelFlag {
  const char* key;
  const char* help;
};
constexpr LabelFlag kLabelFlags[] = {
    {"kind", "forward, states, triple_barrier (or triple-barrier), meta"},
    {"horizon", "Bars held (forward, states); default 1; 1,3,5 writes one file per horizon (OUT_h1.EXT ...)"},
    {"form", "qlib (next close to close h bars later) or close (close to close)"},
    {"normalize", "none, cs_zscore or cs_rank (per-day, across instruments)"},
    {"price", "Price field of forward returns (default close)"},
    {"require_bar", "true (default): no label on a day the instrument has no bar; false: as Qlib"},
    {"thresholds", "State bucket edges, comma-separated returns (states)"},
    {"lowest", "Number of the lowest state (states; default: zero return is state 0)"},
    {"volatility", "Barrier target: ewm, book_daily or atr"},
    {"span", "EWM span of the volatility target (default 100)"},
    {"atr_period", "ATR period for --volatility atr (default 14)"},
    {"profit_take", "Upper barrier in multiples of the target; 0 disables (default 1)"},
    {"stop_loss", "Lower barrier in multiples of the target; 0 disables (default 1)"},
    {"vertical_bars", "Vertical barrier in bars (default 5)"},
    {"min_ret", "Events need a target above this (default 0)"},
    {"timeout", "Label when the vertical barrier comes first: sign or zero"},
    {"side", "Side expression, e.g. 'Sign(Mean($close,5)-Mean($close,20))' (required for meta)"},
    {"weights", "Sample weights: none, uniqueness or attribution"},
    {"decay", "Time-decay parameter c in (-1, 1] multiplying the weights (default 1: none)"},
};

struct LabelArgs {
  std::string data, config, instruments = "all", start, end, out;
  std::map<std::string, std::string> flags;
};

void RunLabel(const LabelArgs& args, const GlobalOptions& global) {
  if (args.data.empty() || args.out.empty()) throw Error(ErrorKind::kUsage, "label needs --data and --out");
  pipeline::LabelConfig config;
  if (!args.config.empty()) {
    if (!args.flags.empty()) {
      throw Error(ErrorKind::kUsage, fmt::format("give either --config or label flags (--{}), not both",
                                                 args.flags.begin()->first));
    }
    const YAML::Node root = pipeline::LoadYamlFile(args.config);
    pipeline::ConfigSection section(root["label"], "label", args.config);
    config = pipeline::ReadLabelConfig(section);
  } else {
    YAML::Node node;
    for (const auto& [key, value] : args.flags) {
      // The CLI spells kinds with dashes too (triple-barrier).
      node[key] = key == "kind" && value == "triple-barrier" ? std::string("triple_barrier") : value;
    }
    pipeline::ConfigSection section(node, "label", "--");
    config = pipeline::ReadLabelConfig(section);
  }
  const data::QlibStore store = data::QlibStore::Open(args.data);
  const std::vector<std::string> instruments = data::ResolveInstruments(store, args.instruments);
  const std::optional<Date> start = OptionalDateFlag(args.start, "--start");
  const std::optional<Date> end = OptionalDateFlag(args.end, "--end");
  ThreadPool pool(ThreadCount(global));
  std::vector<label::LabelFrame> frames = pipeline::ComputeLabels(store, instruments, config, pool, end);
  // Every frame is checked before any is written, so a failure writes nothing.
  for (auto& frame : frames) {
    pipeline::RestrictDates(frame, start, end);
    if (frame.rows() == 0) {
      throw Error(ErrorKind::kData, fmt::format("{}: no label rows: every label is undefined for {} instruments of {} "
                                                "in the date range", frame.name, instruments.size(), args.data));
    }
  }
  for (size_t k = 0; k < frames.size(); ++k) {
    std::filesystem::path out = args.out;
    if (frames.size() > 1) {
      out.replace_filename(fmt::format("{}_h{}{}", out.stem().string(), config.horizons[k], out.extension().string()));
    }
    frames[k].Write(out);
    LogInfo("{}: {} rows over {} instruments written to {}", frames[k].name, frames[k].rows(), instruments.size(),
            out.string());
  }
}

}  // namespace

void AddLabelCommand(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<LabelArgs>();
  CLI::App* command = app.add_subcommand("label", "Compute labels (with span ends t1 and optional weights) over a store");
  command->add_option("--data", args->data, "Store directory");
  command->add_option("--config", args->config, "Workflow YAML whose label: section to use (instead of flags)");
  command->add_option("--instruments", args->instruments, "all, a market name, a file of symbols, or A,B,C");
  command->add_option("--start", args->start, "First label date");
  command->add_option("--end", args->end, "Last date of data used (labels near it are undefined)");
  command->add_option("--out", args->out, "Output .parquet or .csv: datetime, instrument, label, t1[, weight]");
  for (const LabelFlag& flag : kLabelFlags) {
    std::string name = std::string("--") + flag.key;
    std::replace(name.begin(), name.end(), '_', '-');
    const std::string key = flag.key;
    command->add_option_function<std::string>(name, [args, key](const std::string& value) { args->flags[key] = value; },
                                              flag.help);
  }
  command->callback([args, &global] { RunLabel(*args, global); });
}

}  // namespace alphaloom::cli
