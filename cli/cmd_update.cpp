// alphaloom update WORKFLOW.yaml [--date D] [--model DIR|models:/NAME@ALIAS] [--set key=value ...]
#include <memory>
#include <string>
#include <vector>

#include "alphaloom/common/thread_pool.h"
#include "alphaloom/pipeline/update.h"
#include "commands.h"

namespace alphaloom::cli {
namespace {

struct UpdateArgs {
  std::string workflow, date, model;
  std::vector<std::string> overrides;
};

}  // namespace

void AddUpdateCommand(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<UpdateArgs>();
  CLI::App* command = app.add_subcommand(
      "update", "Daily step: ingest new bars, predict one date with the production model, target weights, store");
  command->add_option("workflow", args->workflow, "Workflow YAML (needs a store: section)")->required();
  command->add_option("--date", args->date, "Trading date to predict (default: the store's last)");
  command->add_option("--model", args->model,
                      "Model directory or models:/NAME@ALIAS (default: models:/<tracking.register_as>@production)");
  command->add_option("--set", args->overrides, "Override a key: --set store.uri=... (repeatable)");
  command->callback([args, &global] {
    pipeline::UpdateRequest request;
    request.workflow = args->workflow;
    request.overrides = args->overrides;
    request.date = OptionalDateFlag(args->date, "--date");
    request.model = args->model;
    ThreadPool pool(ThreadCount(global));
    pipeline::RunDailyUpdate(request, pool);
  });
}

}  // namespace alphaloom::cli
