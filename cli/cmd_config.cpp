// alphaloom config --describe [SECTION] [--format text|markdown|json] [--update-doc FILE]
// alphaloom config check FILE.yaml... [--set key.path=value]...
#include <fmt/format.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/pipeline/run.h"
#include "alphaloom/pipeline/workflow_keys.h"
#include "alphaloom/pipeline/workflow_plan.h"
#include "commands.h"

namespace alphaloom::cli {
namespace {

struct DescribeArgs {
  std::string section, format = "text", update_doc;
  bool describe = false;
};

struct CheckArgs {
  std::vector<std::string> files, overrides;
};

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kIo, fmt::format("{}: cannot read", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void RunDescribe(const DescribeArgs& args) {
  const pipeline::DescribeFormat format = args.format == "markdown" ? pipeline::DescribeFormat::kMarkdown
                                          : args.format == "json"   ? pipeline::DescribeFormat::kJson
                                                                    : pipeline::DescribeFormat::kText;
  const std::string table = pipeline::DescribeWorkflowKeys(format, args.section);
  if (args.update_doc.empty()) {
    fmt::print("{}", table);
    return;
  }
  if (format != pipeline::DescribeFormat::kMarkdown || !args.section.empty()) {
    throw Error(ErrorKind::kUsage, "--update-doc writes the whole table: use it with --format markdown and no SECTION");
  }
  std::string doc = ReadText(args.update_doc);
  try {
    doc = pipeline::ReplaceGeneratedBlock(doc, table);
  } catch (const Error& error) {
    throw Error(error.kind(), fmt::format("{}: {}", args.update_doc, error.what()));
  }
  WriteFileAtomic(args.update_doc, doc);
  LogInfo("keys table of {} regenerated", args.update_doc);
}

// Each file is read as `alphaloom run` reads it, without running anything; the store directory
// and the tracking token are only warned about (they belong to the machine, not the file).
void RunCheck(const CheckArgs& args) {
  std::optional<ErrorKind> first_failure;
  for (const std::string& file : args.files) {
    try {
      YAML::Node root = pipeline::LoadYamlFile(file);
      pipeline::ApplyOverrides(root, args.overrides);
      pipeline::ValidateWorkflow(root, file);
      (void)pipeline::ReadWorkflowPlan(root, file, pipeline::PlanEnvironment::kWarn);
      fmt::print("{}: ok\n", file);
    } catch (const Error& error) {
      fmt::print(stderr, "alphaloom: error: {}\n", error.what());
      if (!first_failure) first_failure = error.kind();
    }
  }
  if (first_failure) throw ExitStatus{ExitCode(*first_failure)};
}

}  // namespace

void AddConfigCommand(CLI::App& app, const GlobalOptions& /*global*/) {
  CLI::App* config =
      app.add_subcommand("config", "The workflow keys: describe them, check workflow files against them");
  auto describe = std::make_shared<DescribeArgs>();
  config->add_option("--describe", describe->section,
                     "Print every key (or those of SECTION, e.g. label or strategy.regime): type, default, "
                     "accepted values, meaning")
      ->expected(0, 1);
  config->add_option("--format", describe->format, "text (default), markdown (as in docs/workflow.md) or json")
      ->check(CLI::IsMember({"text", "markdown", "json"}));
  config->add_option("--update-doc", describe->update_doc,
                     "With --describe --format markdown: rewrite the generated keys table of this file "
                     "(docs/workflow.md)");
  auto check = std::make_shared<CheckArgs>();
  CLI::App* check_command = config->add_subcommand(
      "check", "Check workflow files as `alphaloom run` reads them (unknown keys, types, ranges), running nothing");
  check_command->add_option("files", check->files, "Workflow YAML files")->required();
  check_command
      ->add_option("--set", check->overrides, "Override a key first, as `run --set` does (key.path=value; repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  check_command->callback([check] { RunCheck(*check); });
  config->callback([config, describe, check_command] {
    if (check_command->parsed()) return;
    if (config->count("--describe") == 0) {
      throw Error(ErrorKind::kUsage, "config needs --describe [SECTION] or the check subcommand");
    }
    RunDescribe(*describe);
  });
}

}  // namespace alphaloom::cli
