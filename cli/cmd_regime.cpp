// alphaloom regime --data DIR [--method rules|hmm] [--config FILE] [--start D] [--end D] --out FILE
#include <fmt/format.h>

#include <memory>

#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/pipeline/strategy.h"
#include "commands.h"

namespace alphaloom::cli {
namespace {

struct RegimeArgs {
  std::string data, method, config, start, end, out;
};

void RunRegime(const RegimeArgs& args) {
  if (args.data.empty() || args.out.empty()) throw Error(ErrorKind::kUsage, "regime needs --data and --out");
  YAML::Node node(YAML::NodeType::Map);
  std::string source = "--";
  if (!args.config.empty()) {
    const YAML::Node root = pipeline::LoadYamlFile(args.config);
    const YAML::Node strategy = root["strategy"];
    // A missing key of a const node is an invalid node that must not be assigned from.
    if (strategy && strategy.IsMap() && strategy["regime"] && !strategy["regime"].IsNull()) node = strategy["regime"];
    source = args.config;
  }
  if (!args.method.empty() && node.IsMap()) node["method"] = args.method;
  pipeline::ConfigSection section(node, "strategy.regime", source);
  const pipeline::RegimeConfig config = pipeline::ReadRegimeConfig(section);
  const data::QlibStore store = data::QlibStore::Open(args.data);
  const std::optional<Date> start = OptionalDateFlag(args.start, "--start");
  const std::optional<Date> end = OptionalDateFlag(args.end, "--end");
  const regime::RegimeSeries regimes = pipeline::ComputeRegimes(config, store, end);
  const data::Table table = pipeline::RegimeTable(regimes, config, start, end);
  if (table.rows() == 0)
    throw Error(ErrorKind::kData, fmt::format("regime: no dates of {} in the date range", args.data));
  data::WriteTable(table, args.out);
  size_t labelled = 0;
  for (int current : regimes.regime) labelled += current >= 0 ? 1 : 0;
  LogInfo("regime ({}): {} dates ({} with a regime) written to {}",
          config.method == pipeline::RegimeMethod::kHmm ? "hmm" : "rules", table.rows(), labelled, args.out);
}

}  // namespace

void AddRegimeCommand(CLI::App& app, const GlobalOptions& /*global*/) {
  auto args = std::make_shared<RegimeArgs>();
  CLI::App* command = app.add_subcommand(
      "regime", "Market regime per date from the benchmark: rules or a forward-filtered Gaussian HMM");
  command->add_option("--data", args->data, "Store directory (must record a benchmark)");
  command->add_option("--method", args->method, "rules or hmm (default: the config's, else rules)")
      ->check(CLI::IsMember({"rules", "hmm"}));
  command->add_option("--config", args->config, "Workflow YAML whose strategy.regime section to use");
  command->add_option("--start", args->start, "First date written (earlier history still feeds the windows)");
  command->add_option("--end", args->end, "Last date of data used and written");
  command->add_option("--out", args->out, "Output .csv or .parquet: datetime, regime_id, regime, p_<label>...");
  command->callback([args] { RunRegime(*args); });
}

}  // namespace alphaloom::cli
