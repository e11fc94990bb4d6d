// alphaloom run FILE.yaml [--set key=value ...] [--force STAGE] [--out DIR] [--json] [--strict-gates]
// alphaloom cache info|clear [--cache DIR] [--stage STAGE]
#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "alphaloom/common/error.h"
#include "alphaloom/common/thread_pool.h"
#include "alphaloom/pipeline/run.h"
#include "alphaloom/pipeline/stage_cache.h"
#include "commands.h"

namespace alphaloom::cli {
namespace {

// The exit status of a run whose gates failed under --strict-gates (the same as `alphaloom gates`).
constexpr int kGatesFailedExitCode = 10;

struct RunArgs {
  std::string workflow, force, out;
  std::vector<std::string> overrides;
  bool json = false, strict_gates = false;
};

struct CacheArgs {
  std::string cache = ".alphaloom-cache", stage;
};

std::string HumanBytes(uintmax_t bytes) {
  if (bytes >= (1u << 30)) return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / (1u << 30));
  if (bytes >= (1u << 20)) return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1u << 20));
  return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024.0);
}

}  // namespace

void AddRunCommand(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* command = app.add_subcommand(
      "run", "Run a workflow file: ingest, features, labels, cross-validated training, backtest, report, gates");
  command->add_option("workflow", args->workflow, "Workflow YAML (see docs/workflow.md)")->required();
  command->add_option("--set", args->overrides, "Override a key: --set model.num_rounds=50 (repeatable)");
  command->add_option("--force", args->force, "Recompute this stage and every later one (ingest, features, labels, "
                                              "train, backtest, report)");
  command->add_option("--out", args->out, "Run folder (default: output.dir/<name>, i.e. runs/<name>)");
  command->add_flag("--json", args->json, "Print the run's summary.json on stdout");
  command->add_flag("--strict-gates", args->strict_gates, "Exit with status 10 when a promotion gate fails");
  command->callback([args, &global] {
    pipeline::RunRequest request;
    request.workflow = args->workflow;
    request.overrides = args->overrides;
    if (!args->force.empty()) request.force = args->force;
    request.out = args->out;
    ThreadPool pool(ThreadCount(global));
    const pipeline::RunOutcome outcome = pipeline::RunWorkflow(request, pool);
    if (args->json) fmt::print("{}\n", outcome.summary.dump(2));
    if (args->strict_gates && !outcome.gates_passed) throw ExitStatus{kGatesFailedExitCode};
  });
}

void AddCacheCommand(CLI::App& app, const GlobalOptions& /*global*/) {
  auto args = std::make_shared<CacheArgs>();
  CLI::App* command = app.add_subcommand("cache", "The workflow stage cache: list or clear its entries");
  command->require_subcommand(1);
  CLI::App* info = command->add_subcommand("info", "One line per entry: stage, key, size, age");
  info->add_option("--cache", args->cache, "Cache directory (default .alphaloom-cache, the workflow's output.cache)");
  info->callback([args] {
    const auto entries = pipeline::ListCache(args->cache);
    uintmax_t total = 0;
    for (const auto& entry : entries) {
      fmt::print("{:<10} {}  {:>10}\n", entry.stage, entry.key.substr(0, 16), HumanBytes(entry.bytes));
      total += entry.bytes;
    }
    fmt::print("{} entries, {} in {}\n", entries.size(), HumanBytes(total), args->cache);
  });
  CLI::App* clear = command->add_subcommand("clear", "Remove entries (every stage, or --stage)");
  clear->add_option("--cache", args->cache, "Cache directory (default .alphaloom-cache)");
  clear->add_option("--stage", args->stage, "Only this stage's entries");
  clear->callback([args] {
    std::optional<std::string> stage;
    if (!args->stage.empty()) stage = args->stage;
    const size_t removed = pipeline::ClearCache(args->cache, stage);
    fmt::print("removed {} entries from {}\n", removed, args->cache);
  });
}

}  // namespace alphaloom::cli
