// alphaloom data info DIR [--json]
#include <fmt/format.h>

#include <memory>

#include "alphaloom/data/qlib_store.h"
#include "alphaloom/data/store_info.h"
#include "commands.h"

namespace alphaloom::cli {

void AddDataCommand(CLI::App& app, const GlobalOptions& /*global*/) {
  CLI::App* data_command = app.add_subcommand("data", "Inspect a store");
  data_command->require_subcommand(1);
  CLI::App* info = data_command->add_subcommand("info", "Instruments, date range, bars, missing share, findings");
  auto dir = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  info->add_option("dir", *dir, "Store directory")->required();
  info->add_flag("--json", *json, "Print JSON");
  info->callback([dir, json] {
    const data::StoreSummary summary = data::Summarize(data::QlibStore::Open(*dir));
    if (*json) {
      fmt::print("{}\n", data::SummaryToJson(summary).dump(2));
    } else {
      fmt::print("{}", data::FormatSummary(summary));
    }
  });
}

}  // namespace alphaloom::cli
