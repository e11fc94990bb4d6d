// alphaloom ingest --input PATH --out DIR [--format ...] [--market NAME] [--benchmark SYMBOL]
//                  [--on-error skip|fail] [--calendar FILE] [--columns MAP] [--policy RULES]
#include <fmt/format.h>

#include <map>
#include <memory>

#include "alphaloom/common/log.h"
#include "alphaloom/data/ingest.h"
#include "commands.h"

namespace alphaloom::cli {
namespace {

struct IngestArgs {
  std::string input, out, format = "auto", market = "all", benchmark, on_error = "fail";
  std::string calendar, columns, policy;
};

void RunIngest(const IngestArgs& args, const GlobalOptions& global) {
  data::IngestOptions options;
  options.input = args.input;
  options.out = args.out;
  options.format = data::ParseFileFormat(args.format);
  options.market = args.market;
  options.benchmark = args.benchmark;
  options.skip_bad_files = args.on_error == "skip";
  if (!args.calendar.empty()) options.calendar_file = args.calendar;
  if (!args.columns.empty()) options.read.mapping = data::ColumnMapping::Parse(args.columns);
  if (!args.policy.empty()) options.read.policy.Apply(args.policy);
  options.threads = ThreadCount(global);

  const data::IngestReport report = data::Ingest(options);

  std::map<std::string, size_t> counts;
  for (const auto& finding : report.findings) {
    ++counts[fmt::format("{} ({})", data::RuleName(finding.rule), data::ActionName(finding.action))];
    if (finding.action == data::Action::kError) continue;  // already reported as skipped
    LogDebug("{}", finding.ToString());
  }
  LogInfo("ingested {} instruments, {} bars, {} trading days from {} files into {}", report.instruments, report.bars,
          report.dates, report.files, args.out);
  for (const auto& [rule, count] : counts) LogInfo("  {:<32} {}", rule, count);
  if (!report.skipped.empty()) LogWarn("{} file(s) or instrument(s) skipped", report.skipped.size());
  if (!report.findings.empty()) LogInfo("all findings: {}/findings.jsonl (-v prints them)", args.out);
}

}  // namespace

void AddIngestCommand(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<IngestArgs>();
  CLI::App* command = app.add_subcommand("ingest", "Validate and adjust bar files into a store (Qlib layout)");
  command->add_option("--input", args->input, "Bar file, directory of bar files, or Qlib directory")->required();
  command->add_option("--out", args->out, "Store directory to write (replaced atomically)")->required();
  command->add_option("--format", args->format, "Input format")->check(CLI::IsMember({"auto", "csv", "parquet", "qlib"}));
  command->add_option("--market", args->market, "Name of the instruments file of the universe");
  command->add_option("--benchmark", args->benchmark, "Symbol stored as the benchmark (kept out of the market)");
  command->add_option("--on-error", args->on_error, "A rejected file fails the ingest, or is skipped and reported")
      ->check(CLI::IsMember({"skip", "fail"}));
  command->add_option("--calendar", args->calendar, "Market calendar file (one date per line); default: union of dates");
  command->add_option("--columns", args->columns, "Explicit column mapping, e.g. date=Day,close=Last");
  command->add_option("--policy", args->policy, "Validation actions, e.g. zero_volume=drop,open_close_outside=error");
  command->callback([args, &global] { RunIngest(*args, global); });
}

}  // namespace alphaloom::cli
