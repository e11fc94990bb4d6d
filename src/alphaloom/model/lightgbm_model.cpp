#include "alphaloom/model/lightgbm_model.h"

#include <LightGBM/c_api.h>
#include <fmt/format.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <utility>

#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/model/backend_support.h"
#include "alphaloom/model/early_stopping.h"

namespace alphaloom::model {
namespace {

constexpr std::string_view kLibrary = "lightgbm";

// Every LightGBM call goes through here: a non-zero return becomes an Error carrying
// LightGBM's own message.
void LgbCheck(int code, std::string_view call) {
  if (code != 0) {
    throw Error(ErrorKind::kExternal, fmt::format("LightGBM {}: {}", call, LGBM_GetLastError()));
  }
}

// LightGBM writes to stdout unless a callback takes its log; its fatal messages also reach the
// caller as the error text, so the log goes to AlphaLoom's debug lines.
void OnLightGbmLog(const char* message) {
  std::string_view line = message;
  while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.remove_suffix(1);
  if (!line.empty()) LogDebug("{}", line);
}

// LightGBM keeps the callback per thread.
void RouteLightGbmLog() {
  thread_local const int registered = LGBM_RegisterLogCallback(OnLightGbmLog);
  LgbCheck(registered, "RegisterLogCallback");
}

// Alias -> canonical name, for every parameter LightGBM knows (the library's own table).
const std::unordered_map<std::string, std::string>& ParameterAliases() {
  static const std::unordered_map<std::string, std::string> aliases = [] {
    int64_t length = 0;
    std::string buffer(1 << 16, '\0');
    LgbCheck(LGBM_DumpParamAliases(static_cast<int64_t>(buffer.size()), &length, buffer.data()), "DumpParamAliases");
    if (length > static_cast<int64_t>(buffer.size())) {
      buffer.assign(static_cast<size_t>(length), '\0');
      LgbCheck(LGBM_DumpParamAliases(length, &length, buffer.data()), "DumpParamAliases");
    }
    buffer.resize(static_cast<size_t>(length) - 1);  // the length counts the terminating NUL
    std::unordered_map<std::string, std::string> table;
    const nlohmann::json document = nlohmann::json::parse(buffer);
    for (const auto& [name, alias_list] : document.items()) {
      table[name] = name;
      for (const auto& alias : alias_list) table[alias.get<std::string>()] = name;
    }
    return table;
  }();
  return aliases;
}

// Canonical names the spec owns, with the spec field that sets each.
const std::map<std::string, std::string_view>& ReservedParameters() {
  static const std::map<std::string, std::string_view> reserved = {
      {"objective", "objective"},
      {"num_class", "num_class"},
      {"seed", "seed"},
      {"num_threads", "threads"},
      {"deterministic", "(always true)"},
      {"num_iterations", "num_rounds"},
      {"early_stopping_round", "early_stopping_rounds"},
      {"verbosity", "(always -1)"},
      {"task", "(always train)"},
  };
  return reserved;
}

std::string_view LibraryObjective(Objective objective) {
  switch (objective) {
    case Objective::kRegression: return "regression";
    case Objective::kHuber: return "huber";
    case Objective::kBinary: return "binary";
    case Objective::kMulticlass: return "multiclass";
  }
  return "regression";
}

std::string_view DefaultMetric(Objective objective) {
  switch (objective) {
    case Objective::kRegression: return "l2";
    case Objective::kHuber: return "huber";
    case Objective::kBinary: return "binary_logloss";
    case Objective::kMulticlass: return "multi_logloss";
  }
  return "l2";
}

std::string ParameterString(const std::map<std::string, std::string>& parameters) {
  std::string text;
  for (const auto& [name, value] : parameters) {
    if (!text.empty()) text += ' ';
    text += name + '=' + value;
  }
  return text;
}

std::vector<float> ToFloat(std::span<const double> values) {
  return {values.begin(), values.end()};
}

class LgbDataset {
 public:
  LgbDataset(const LabeledMatrix& data, const std::string& parameters, const LgbDataset* reference) {
    LgbCheck(LGBM_DatasetCreateFromMat(data.x.data(), C_API_DTYPE_FLOAT32, static_cast<int32_t>(data.x.rows()),
                                       static_cast<int32_t>(data.x.cols()), 1, parameters.c_str(),
                                       reference != nullptr ? reference->handle_ : nullptr, &handle_),
             "DatasetCreateFromMat");
    const std::vector<float> label = ToFloat(data.label);
    LgbCheck(LGBM_DatasetSetField(handle_, "label", label.data(), static_cast<int>(label.size()), C_API_DTYPE_FLOAT32),
             "DatasetSetField(label)");
    if (!data.weight.empty()) {
      const std::vector<float> weight = ToFloat(data.weight);
      LgbCheck(
          LGBM_DatasetSetField(handle_, "weight", weight.data(), static_cast<int>(weight.size()), C_API_DTYPE_FLOAT32),
          "DatasetSetField(weight)");
    }
  }
  ~LgbDataset() {
    if (handle_ != nullptr) LGBM_DatasetFree(handle_);
  }
  LgbDataset(const LgbDataset&) = delete;
  LgbDataset& operator=(const LgbDataset&) = delete;
  DatasetHandle handle() const { return handle_; }

 private:
  DatasetHandle handle_ = nullptr;
};

using LgbBooster = OwnedHandle<&LGBM_BoosterFree>;

std::string SaveToString(BoosterHandle booster, int num_iteration) {
  int64_t length = 0;
  std::string buffer(1 << 20, '\0');
  LgbCheck(LGBM_BoosterSaveModelToString(booster, 0, num_iteration, C_API_FEATURE_IMPORTANCE_SPLIT,
                                         static_cast<int64_t>(buffer.size()), &length, buffer.data()),
           "BoosterSaveModelToString");
  if (length > static_cast<int64_t>(buffer.size())) {
    buffer.assign(static_cast<size_t>(length), '\0');
    LgbCheck(LGBM_BoosterSaveModelToString(booster, 0, num_iteration, C_API_FEATURE_IMPORTANCE_SPLIT, length, &length,
                                           buffer.data()),
             "BoosterSaveModelToString");
  }
  buffer.resize(static_cast<size_t>(length) - 1);
  return buffer;
}

class LightGbmModel final : public Model {
 public:
  explicit LightGbmModel(const ModelSpec& spec) : Model(spec), parameters_(ParameterString(LightGbmParameters(spec))) {
    RouteLightGbmLog();
  }

  std::string_view library() const override { return kLibrary; }
  std::string library_version() const override { return LightGbmVersion(); }
  std::string_view file_name() const override { return "model.txt"; }

 protected:
  TrainingLog DoFit(const LabeledMatrix& train, const LabeledMatrix* valid) override {
    const LgbDataset train_set(train, parameters_, nullptr);
    std::unique_ptr<LgbDataset> valid_set;
    if (valid != nullptr) valid_set = std::make_unique<LgbDataset>(*valid, parameters_, &train_set);
    BoosterHandle raw = nullptr;
    LgbCheck(LGBM_BoosterCreate(train_set.handle(), parameters_.c_str(), &raw), "BoosterCreate");
    const LgbBooster booster(raw);
    if (valid_set) LgbCheck(LGBM_BoosterAddValidData(booster.get(), valid_set->handle()), "BoosterAddValidData");

    TrainingLog log;
    log.metric = LightGbmParameters(spec()).at("metric");
    EarlyStopping stopping(spec().early_stopping_rounds);
    std::vector<double> evaluations;
    for (int round = 1; round <= spec().num_rounds; ++round) {
      int finished = 0;
      LgbCheck(LGBM_BoosterUpdateOneIter(booster.get(), &finished), "BoosterUpdateOneIter");
      // finished: no split improves any more, so the round added no tree; later rounds would not either.
      if (finished != 0) break;
      log.rounds_trained = round;
      if (!valid_set) {
        ReportRound(round, std::numeric_limits<double>::quiet_NaN());
        continue;
      }
      int count = 0;
      LgbCheck(LGBM_BoosterGetEvalCounts(booster.get(), &count), "BoosterGetEvalCounts");
      evaluations.assign(static_cast<size_t>(count), 0.0);
      LgbCheck(LGBM_BoosterGetEval(booster.get(), 1, &count, evaluations.data()), "BoosterGetEval");
      Check(count >= 1, "LightGBM reported no validation metric");
      log.valid_loss.push_back(evaluations[0]);
      ReportRound(round, evaluations[0]);
      if (stopping.Update(evaluations[0])) break;
    }
    log.best_iteration = (valid_set && spec().early_stopping_rounds > 0) ? stopping.best_round() : log.rounds_trained;
    // Keep exactly the best rounds, and predict from the saved text so that a fitted model and
    // the same model loaded from disk are one and the same.
    model_text_ = SaveToString(booster.get(), log.best_iteration);
    LoadText();
    return log;
  }

  std::vector<double> DoPredict(const MatrixView& x) const override {
    const std::string prediction_parameters = fmt::format("num_threads={}", spec().threads);
    std::vector<double> out(x.rows() * output_width());
    int64_t length = 0;
    LgbCheck(LGBM_BoosterPredictForMat(booster_.get(), x.data(), C_API_DTYPE_FLOAT32, static_cast<int32_t>(x.rows()),
                                       static_cast<int32_t>(x.cols()), 1, C_API_PREDICT_NORMAL, 0, -1,
                                       prediction_parameters.c_str(), &length, out.data()),
             "BoosterPredictForMat");
    Check(static_cast<size_t>(length) == out.size(), "LightGBM returned a wrong prediction count");
    return out;
  }

  void DoImportance(std::vector<double>& gain, std::vector<double>& split) const override {
    LgbCheck(LGBM_BoosterFeatureImportance(booster_.get(), 0, C_API_FEATURE_IMPORTANCE_GAIN, gain.data()),
             "BoosterFeatureImportance(gain)");
    LgbCheck(LGBM_BoosterFeatureImportance(booster_.get(), 0, C_API_FEATURE_IMPORTANCE_SPLIT, split.data()),
             "BoosterFeatureImportance(split)");
  }

  std::string DoSerialize() const override { return model_text_; }

  size_t DoDeserialize(std::string_view bytes) override {
    model_text_.assign(bytes);
    LoadText();
    int features = 0;
    LgbCheck(LGBM_BoosterGetNumFeature(booster_.get(), &features), "BoosterGetNumFeature");
    int classes = 0;
    LgbCheck(LGBM_BoosterGetNumClasses(booster_.get(), &classes), "BoosterGetNumClasses");
    if (static_cast<size_t>(classes) != output_width()) {
      throw Error(ErrorKind::kData,
                  fmt::format("LightGBM model has {} outputs per row, the spec expects {}", classes, output_width()));
    }
    return static_cast<size_t>(features);
  }

 private:
  void LoadText() {
    int iterations = 0;
    BoosterHandle raw = nullptr;
    try {
      LgbCheck(LGBM_BoosterLoadModelFromString(model_text_.c_str(), &iterations, &raw), "BoosterLoadModelFromString");
    } catch (const Error& error) {
      throw Error(ErrorKind::kData, fmt::format("not a LightGBM model: {}", error.what()));
    }
    booster_ = LgbBooster(raw);
  }

  std::string parameters_;
  std::string model_text_;
  LgbBooster booster_;
};

}  // namespace

std::map<std::string, std::string> LightGbmParameters(const ModelSpec& spec) {
  std::map<std::string, std::string> parameters = {
      {"objective", std::string(LibraryObjective(spec.objective))},
      {"metric", std::string(DefaultMetric(spec.objective))},
      {"seed", std::to_string(spec.seed)},
      {"num_threads", std::to_string(spec.threads)},
      {"deterministic", "true"},
      {"force_row_wise", "true"},
      {"verbosity", "-1"},
  };
  if (spec.objective == Objective::kMulticlass) parameters["num_class"] = std::to_string(spec.num_class);
  std::map<std::string, std::string> given_as;
  for (const auto& [name, value] : spec.params) {
    CheckParamText(kLibrary, name, value);
    const auto alias = ParameterAliases().find(name);
    if (alias == ParameterAliases().end()) {
      throw Error(ErrorKind::kConfig, fmt::format("lightgbm: unknown parameter '{}'", name));
    }
    const std::string& canonical = alias->second;
    if (const auto reserved = ReservedParameters().find(canonical); reserved != ReservedParameters().end()) {
      ThrowReservedParam(kLibrary, name, reserved->second);
    }
    if (const auto [previous, inserted] = given_as.emplace(canonical, name); !inserted) {
      throw Error(ErrorKind::kConfig, fmt::format("lightgbm: parameters '{}' and '{}' are the same parameter '{}'",
                                                  previous->second, name, canonical));
    }
    if (canonical == "metric" && value.find(',') != std::string::npos) {
      throw Error(ErrorKind::kConfig,
                  fmt::format("lightgbm: metric '{}': give one metric (it drives early stopping)", value));
    }
    if (canonical == "force_col_wise" && value != "false" && value != "0") parameters.erase("force_row_wise");
    parameters[canonical] = value;
  }
  return parameters;
}

std::string LightGbmVersion() {
  return ALPHALOOM_LIGHTGBM_VERSION;
}

std::unique_ptr<Model> MakeLightGbmModel(const ModelSpec& spec) {
  return std::make_unique<LightGbmModel>(spec);
}

}  // namespace alphaloom::model
