// alphaloom train --config FILE --out DIR [--register NAME [--registry DIR]]
// alphaloom predict --model DIR --data STORE (--date D | --start D --end D) [--instruments SPEC] --out FILE
#include <fmt/format.h>

#include <memory>

#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/model/registry.h"
#include "alphaloom/pipeline/predict.h"
#include "alphaloom/pipeline/train.h"
#include "commands.h"

namespace alphaloom::cli {
namespace {

std::string Score(const nlohmann::json& scores, const char* key) {
  const auto found = scores.find(key);
  return found == scores.end() || found->is_null() ? std::string("-") : fmt::format("{:.4f}", found->get<double>());
}

struct TrainArgs {
  std::string config, out, register_as, registry = "registry";
};

void RunTrain(const TrainArgs& args, const GlobalOptions& global) {
  const std::string& config_path = args.config;
  const std::string& out = args.out;
  if (config_path.empty() || out.empty()) throw Error(ErrorKind::kUsage, "train needs --config FILE and --out DIR");
  const pipeline::TrainConfig config = pipeline::ReadTrainConfig(pipeline::LoadYamlFile(config_path), config_path);
  ThreadPool pool(ThreadCount(global));
  const auto on_fold = [](size_t k, size_t folds, const std::string& name, const nlohmann::json& scores) {
    LogInfo("fold {}/{} {}: {} train rows, {} test rows, best iteration {}, IC {}, rank IC {}, RMSE {}", k + 1, folds,
            name, scores.at("train_rows").get<size_t>(), scores.at("rows").get<size_t>(),
            scores.at("best_iteration").get<int>(), Score(scores, "ic"), Score(scores, "rank_ic"), Score(scores, "rmse"));
  };
  const pipeline::TrainSummary summary = pipeline::Train(config, out, pool, on_fold);
  const nlohmann::json& overall = summary.metrics.at("overall");
  fmt::print("{}: {} folds, out-of-fold IC {} (ICIR {}), rank IC {}, RMSE {}, direction accuracy {}\n",
             summary.metrics.at("label").get<std::string>(), summary.metrics.at("folds").size(), Score(overall, "ic"),
             Score(overall, "icir"), Score(overall, "rank_ic"), Score(overall, "rmse"),
             Score(overall, "direction_accuracy"));
  fmt::print("wrote {}/metrics.json, oof_predictions.parquet, importance.csv and the model in {}\n", out,
             summary.model_dir.string());
  if (!args.register_as.empty()) {
    model::ModelRegistry registry(args.registry);
    const model::RegistryKey key{args.register_as, config.market, config.label.horizons.front()};
    const int version = registry.RegisterDirectory(key, summary.model_dir);
    fmt::print("registered as {} (predict --model {})\n", registry.Path(key, version).string(),
               registry.Path(key, version).string());
  }
}

struct PredictArgs {
  std::string model, data, date, start, end, instruments, out;
};

void RunPredict(const PredictArgs& args, const GlobalOptions& global) {
  if (args.model.empty() || args.data.empty() || args.out.empty()) {
    throw Error(ErrorKind::kUsage, "predict needs --model DIR, --data STORE and --out FILE");
  }
  if (args.date.empty() == (args.start.empty() && args.end.empty())) {
    throw Error(ErrorKind::kUsage, "predict needs either --date D or --start D --end D");
  }
  pipeline::PredictRequest request;
  request.model_dir = args.model;
  request.store = args.data;
  request.instruments = args.instruments;
  if (!args.date.empty()) {
    request.start = request.end = ParseDateOrThrow(args.date, "--date");
  } else {
    if (args.start.empty() || args.end.empty()) throw Error(ErrorKind::kUsage, "give both --start and --end");
    request.start = ParseDateOrThrow(args.start, "--start");
    request.end = ParseDateOrThrow(args.end, "--end");
  }
  ThreadPool pool(ThreadCount(global));
  const data::Table table = pipeline::Predict(request, pool);
  data::WriteTable(table, args.out);
  LogInfo("{} predictions written to {}", table.rows(), args.out);
}

}  // namespace

void AddTrainCommand(CLI::App& app, const GlobalOptions& global) {
  auto train_args = std::make_shared<TrainArgs>();
  CLI::App* train = app.add_subcommand("train", "Cross-validated training: fold models, out-of-fold scores, the model");
  train->add_option("--config", train_args->config, "Workflow YAML (data, universe, factors, label, processors, cv, model)");
  train->add_option("--out", train_args->out, "Run directory for metrics.json, oof_predictions.parquet, importance.csv, model/");
  train->add_option("--register", train_args->register_as, "Also register the model under this name (next version)");
  train->add_option("--registry", train_args->registry, "Registry root for --register (default: registry)");
  train->callback([train_args, &global] { RunTrain(*train_args, global); });

  auto args = std::make_shared<PredictArgs>();
  CLI::App* predict = app.add_subcommand("predict", "Predictions of a trained model for a date or a date range");
  predict->add_option("--model", args->model, "The model/ directory written by train");
  predict->add_option("--data", args->data, "Store directory");
  predict->add_option("--date", args->date, "One date");
  predict->add_option("--start", args->start, "First date");
  predict->add_option("--end", args->end, "Last date");
  predict->add_option("--instruments", args->instruments, "Default: the universe the model was trained on");
  predict->add_option("--out", args->out, "Output .parquet or .csv");
  predict->callback([args, &global] { RunPredict(*args, global); });
}

}  // namespace alphaloom::cli
