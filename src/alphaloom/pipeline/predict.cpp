#include "alphaloom/pipeline/predict.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "alphaloom/common/error.h"
#include "alphaloom/common/hash.h"
#include "alphaloom/data/instrument_spec.h"
#include "alphaloom/dataset/processors.h"
#include "alphaloom/model/artifact.h"
#include "alphaloom/model/uncertainty.h"
#include "alphaloom/pipeline/evaluation.h"
#include "alphaloom/pipeline/features.h"

namespace alphaloom::pipeline {
namespace {

nlohmann::json ReadEnsemble(const std::filesystem::path& path, std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kIo, fmt::format("{}: no such file (is --model a directory written by train?)", path.string()));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  text = buffer.str();
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& error) {
    throw Error(ErrorKind::kData, fmt::format("{}: not valid JSON: {}", path.string(), error.what()));
  }
}

}  // namespace

std::string EnsembleVersion(std::string_view ensemble_json) { return Sha256Hex(ensemble_json).substr(0, 12); }

data::Table Predict(const PredictRequest& request, ThreadPool& pool) {
  if (request.end < request.start) {
    throw Error(ErrorKind::kUsage, fmt::format("--end {} is before --start {}", request.end.ToString(), request.start.ToString()));
  }
  const std::filesystem::path ensemble_path = request.model_dir / "ensemble.json";
  std::string ensemble_text;
  const nlohmann::json ensemble = ReadEnsemble(ensemble_path, ensemble_text);
  factors::FactorSet set;
  std::vector<double> class_values;
  double oof_rmse = 0;
  int horizon = 0;
  std::string universe;
  std::vector<std::pair<std::string, dataset::ProcessorChain>> folds;
  try {
    set.names = ensemble.at("factors").at("names").get<std::vector<std::string>>();
    set.expressions = ensemble.at("factors").at("expressions").get<std::vector<std::string>>();
    class_values = ensemble.at("class_values").get<std::vector<double>>();
    oof_rmse = ensemble.at("oof_rmse").get<double>();
    horizon = ensemble.at("label").at("horizon").get<int>();
    universe = ensemble.at("universe").get<std::string>();
    for (const auto& fold : ensemble.at("folds")) {
      folds.emplace_back(fold.at("dir").get<std::string>(), dataset::ProcessorChain::FromJson(fold.at("processors")));
    }
    if (folds.empty()) throw Error(ErrorKind::kData, fmt::format("{}: no fold models", ensemble_path.string()));
  } catch (const nlohmann::json::exception& error) {
    throw Error(ErrorKind::kData, fmt::format("{}: malformed: {}", ensemble_path.string(), error.what()));
  }
  const std::string version = EnsembleVersion(ensemble_text);

  const data::QlibStore store = data::QlibStore::Open(request.store);
  const std::vector<std::string> instruments =
      data::ResolveInstruments(store, request.instruments.empty() ? universe : request.instruments);
  const expr::FeatureFrame features = ComputeFeatures(store, instruments, set, pool, request.start, request.end);
  if (features.rows() == 0) {
    throw Error(ErrorKind::kNotFound, fmt::format("no feature rows between {} and {} in {}", request.start.ToString(),
                                                  request.end.ToString(), request.store));
  }
  std::vector<Date> dates(features.rows());
  for (size_t row = 0; row < features.rows(); ++row) dates[row] = features.date(row);

  std::vector<std::vector<double>> fold_scores;
  std::vector<model::Prediction> fold_probabilities;
  for (const auto& [fold_dir, processors] : folds) {
    const model::LoadedModel loaded = model::LoadModel(request.model_dir / fold_dir, features.columns());
    expr::FeatureFrame x = features;
    processors.Transform(dataset::MatrixRef{x.matrix().data(), x.rows(), x.cols(), dates});
    model::Prediction prediction = loaded.model->Predict(model::ViewOf(x));
    std::vector<double> scores = RowScores(prediction, class_values);
    fold_scores.push_back(std::move(scores));
    fold_probabilities.push_back(std::move(prediction));
  }
  const model::FoldSpread spread = model::SpreadOfFolds(fold_scores);
  std::vector<double> prob_up;
  if (class_values.empty()) {
    prob_up = model::ProbUpNormal(spread.mean, model::CombinedSigma(spread.std, oof_rmse));
  } else {
    const model::FoldSpread probabilities = model::SpreadOfFolds(fold_probabilities);
    model::Prediction mean{features.rows(), fold_probabilities.front().width, probabilities.mean};
    std::vector<int> up;
    for (size_t k = 0; k < class_values.size(); ++k) {
      if (class_values[k] > 0) up.push_back(static_cast<int>(k));
    }
    prob_up = model::ProbUpFromClasses(mean, up);
  }

  data::Table table;
  std::vector<std::string> names(features.rows());
  for (size_t row = 0; row < features.rows(); ++row) names[row] = features.instrument(row);
  table.columns.push_back(data::TableColumn::Dates("datetime", dates));
  table.columns.push_back(data::TableColumn::Strings("instrument", std::move(names)));
  table.columns.push_back(data::TableColumn::Numbers("horizon", std::vector<double>(features.rows(), horizon)));
  table.columns.push_back(data::TableColumn::Numbers("yhat", spread.mean));
  table.columns.push_back(data::TableColumn::Numbers("yhat_std", spread.std));
  table.columns.push_back(data::TableColumn::Numbers("prob_up", prob_up));
  table.columns.push_back(data::TableColumn::Strings("model_version", std::vector<std::string>(features.rows(), version)));
  return table;
}

}  // namespace alphaloom::pipeline
