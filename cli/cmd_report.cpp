// alphaloom report --run DIR [--importance FILE] [--python PATH] --out DIR
#include <memory>
#include <string>

#include "alphaloom/common/log.h"
#include "alphaloom/report/report.h"
#include "commands.h"

namespace alphaloom::cli {

void AddReportCommand(CLI::App& app, const GlobalOptions& /*global*/) {
  auto run = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto options = std::make_shared<report::ReportOptions>();
  CLI::App* command = app.add_subcommand("report", "HTML tearsheet and PNG charts of a backtest run folder");
  command->add_option("--run", *run, "Run folder written by `alphaloom backtest`")->required();
  command->add_option("--importance", options->importance, "A model's importance.csv (feature, gain, split)");
  command->add_option("--python", options->python, "Python with matplotlib (default: .venv-bt of the source tree)");
  command->add_option("--out", *out, "Report folder: index.html and the PNGs (written atomically)")->required();
  command->callback([run, out, options] {
    report::WriteReport(*run, *out, *options);
    LogInfo("report written to {}/index.html", *out);
  });
}

}  // namespace alphaloom::cli
