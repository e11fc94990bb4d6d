// Test-only: fits one model from CSV files and writes its predictions, so that
// tests/python/test_model_parity.py can compare AlphaLoom's C API use with the lightgbm and
// xgboost Python packages on the same matrix and parameters.
//
//   model_parity_tool --backend lightgbm --objective regression --rounds 200 --early-stopping 20
//       --seed 3 --threads 1 --param learning_rate=0.1 --train train.csv [--valid valid.csv]
//       --test test.csv --out predictions.csv --log log.json
//
// CSV files: a header, then a `label` column, an optional `weight` column and the feature
// columns ("nan" for a missing value). Features are parsed as float32 (the values written by
// numpy's float32 round-trip exactly), labels and weights as double. Predictions are written
// with 17 significant digits, one row per test row, one column per output.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"
#include "alphaloom/model/model.h"

namespace {

using alphaloom::Error;
using alphaloom::ErrorKind;
namespace model = alphaloom::model;

struct CsvMatrix {
  std::vector<std::string> names;
  std::vector<float> x;
  std::vector<double> label;
  std::vector<double> weight;
  size_t rows = 0;

  model::MatrixView view() const { return model::MatrixView(x, rows, names.size(), names); }
  model::LabeledMatrix labeled() const { return {view(), label, weight}; }
};

std::vector<std::string> SplitComma(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream stream(line);
  std::string cell;
  while (std::getline(stream, cell, ',')) cells.push_back(cell);
  return cells;
}

CsvMatrix ReadCsv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorKind::kIo, fmt::format("{}: cannot read", path));
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = SplitComma(line);
  if (header.empty() || header[0] != "label")
    throw Error(ErrorKind::kData, fmt::format("{}: first column must be label", path));
  const bool weighted = header.size() > 1 && header[1] == "weight";
  const size_t first_feature = weighted ? 2 : 1;
  CsvMatrix matrix;
  matrix.names.assign(header.begin() + static_cast<long>(first_feature), header.end());
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const std::vector<std::string> cells = SplitComma(line);
    if (cells.size() != header.size()) {
      throw Error(ErrorKind::kData, fmt::format("{}: row {} has {} cells, header {}", path, matrix.rows + 1,
                                                cells.size(), header.size()));
    }
    matrix.label.push_back(std::strtod(cells[0].c_str(), nullptr));
    if (weighted) matrix.weight.push_back(std::strtod(cells[1].c_str(), nullptr));
    for (size_t col = first_feature; col < cells.size(); ++col)
      matrix.x.push_back(std::strtof(cells[col].c_str(), nullptr));
    ++matrix.rows;
  }
  return matrix;
}

int Main(int argc, char** argv) {
  CLI::App app{"Fit a model from CSV files and write predictions (AlphaLoom parity tests)"};
  model::ModelSpec spec;
  std::string objective = "regression";
  std::vector<std::string> params;
  std::string train_path, valid_path, test_path, out_path, log_path;
  app.add_option("--backend", spec.backend)->required();
  app.add_option("--objective", objective);
  app.add_option("--num-class", spec.num_class);
  app.add_option("--rounds", spec.num_rounds);
  app.add_option("--early-stopping", spec.early_stopping_rounds);
  app.add_option("--seed", spec.seed);
  app.add_option("--threads", spec.threads);
  app.add_option("--param", params, "name=value, repeatable");
  app.add_option("--train", train_path)->required();
  app.add_option("--valid", valid_path);
  app.add_option("--test", test_path)->required();
  app.add_option("--out", out_path)->required();
  app.add_option("--log", log_path);
  CLI11_PARSE(app, argc, argv);
  spec.objective = model::ParseObjective(objective);
  for (const std::string& param : params) {
    const size_t equals = param.find('=');
    if (equals == std::string::npos)
      throw Error(ErrorKind::kUsage, fmt::format("--param {}: expected name=value", param));
    spec.params[param.substr(0, equals)] = param.substr(equals + 1);
  }

  const CsvMatrix train = ReadCsv(train_path);
  const CsvMatrix test = ReadCsv(test_path);
  std::unique_ptr<model::Model> fitted = model::MakeModel(spec);
  if (valid_path.empty()) {
    fitted->Fit(train.labeled());
  } else {
    const CsvMatrix valid = ReadCsv(valid_path);
    const model::LabeledMatrix valid_set = valid.labeled();
    fitted->Fit(train.labeled(), &valid_set);
  }
  const model::Prediction prediction = fitted->Predict(test.view());
  std::string text;
  for (size_t row = 0; row < prediction.rows; ++row) {
    for (size_t col = 0; col < prediction.width; ++col) {
      text += fmt::format("{}{:.17g}", col == 0 ? "" : ",", prediction.At(row, col));
    }
    text += '\n';
  }
  alphaloom::WriteFileAtomic(out_path, text);
  if (!log_path.empty()) {
    const model::TrainingLog& log = fitted->log();
    nlohmann::json losses = nlohmann::json::array();
    for (const double loss : log.valid_loss) losses.push_back(loss);
    const nlohmann::json document = {{"metric", log.metric},
                                     {"valid_loss", losses},
                                     {"rounds_trained", log.rounds_trained},
                                     {"best_iteration", log.best_iteration},
                                     {"library_version", fitted->library_version()}};
    alphaloom::WriteFileAtomic(log_path, document.dump(1));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const Error& error) {
    std::cerr << "model_parity_tool: " << error.what() << "\n";
    return alphaloom::ExitCode(error.kind());
  }
}
