#include "alphaloom/model/xgboost_model.h"

#include <fmt/format.h>
#include <xgboost/c_api.h>

#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <utility>

#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/model/backend_support.h"
#include "alphaloom/model/early_stopping.h"

namespace alphaloom::model {
namespace {

constexpr std::string_view kLibrary = "xgboost";
constexpr std::string_view kValidName = "valid";

// Every XGBoost call goes through here: a non-zero return becomes an Error carrying XGBoost's
// own message.
void XgbCheck(int code, std::string_view call) {
  if (code != 0) throw Error(ErrorKind::kExternal, fmt::format("XGBoost {}: {}", call, XGBGetLastError()));
}

// XGBoost reports unused parameters only as a log line. While a capture is active on this
// thread the lines are collected; otherwise they go to AlphaLoom's log.
thread_local std::vector<std::string>* captured_log = nullptr;

void OnXgBoostLog(const char* message) {
  if (captured_log != nullptr) {
    captured_log->emplace_back(message);
  } else {
    LogWarn("xgboost: {}", message);
  }
}

class LogCapture {
 public:
  LogCapture() {
    // XGBoost keeps its log callback per thread, so it is registered on every thread that fits.
    XgbCheck(XGBRegisterLogCallback(OnXgBoostLog), "RegisterLogCallback");
    captured_log = &lines_;
  }
  ~LogCapture() { captured_log = nullptr; }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  std::vector<std::string> lines_;
};

// The names inside XGBoost's `Parameters: { "a", "b" } are not used.` warning.
std::vector<std::string> UnusedParameters(const std::string& line) {
  std::vector<std::string> names;
  const size_t start = line.find("Parameters: {");
  if (start == std::string::npos || line.find("are not used", start) == std::string::npos) return names;
  const size_t end = line.find('}', start);
  size_t position = start;
  while (true) {
    const size_t open = line.find('"', position);
    if (open == std::string::npos || open > end) break;
    const size_t close = line.find('"', open + 1);
    if (close == std::string::npos || close > end) break;
    names.push_back(line.substr(open + 1, close - open - 1));
    position = close + 1;
  }
  return names;
}

const std::map<std::string, std::string_view>& ReservedParameters() {
  static const std::map<std::string, std::string_view> reserved = {
      {"objective", "objective"},
      {"num_class", "num_class"},
      {"seed", "seed"},
      {"random_state", "seed"},
      {"nthread", "threads"},
      {"n_jobs", "threads"},
      {"verbosity", "(always 1)"},
      {"validate_parameters", "(always 1)"},
  };
  return reserved;
}

// XGBoost's parameter aliases; giving both names of one parameter would let the last one win.
const std::map<std::string, std::string>& AliasCanonical() {
  static const std::map<std::string, std::string> aliases = {
      {"learning_rate", "eta"}, {"min_split_loss", "gamma"}, {"reg_lambda", "lambda"}, {"reg_alpha", "alpha"}};
  return aliases;
}

std::string_view LibraryObjective(Objective objective) {
  switch (objective) {
    case Objective::kRegression: return "reg:squarederror";
    case Objective::kHuber: return "reg:pseudohubererror";
    case Objective::kBinary: return "binary:logistic";
    case Objective::kMulticlass: return "multi:softprob";
  }
  return "reg:squarederror";
}

std::string_view DefaultMetric(Objective objective) {
  switch (objective) {
    case Objective::kRegression: return "rmse";
    case Objective::kHuber: return "mphe";
    case Objective::kBinary: return "logloss";
    case Objective::kMulticlass: return "mlogloss";
  }
  return "rmse";
}

class XgbMatrix {
 public:
  XgbMatrix(const MatrixView& x, int threads) {
    XgbCheck(XGDMatrixCreateFromMat_omp(x.data(), x.rows(), x.cols(), std::numeric_limits<float>::quiet_NaN(), &handle_,
                                        threads),
             "DMatrixCreateFromMat");
  }
  XgbMatrix(const LabeledMatrix& data, int threads) : XgbMatrix(data.x, threads) {
    SetInfo("label", data.label);
    if (!data.weight.empty()) SetInfo("weight", data.weight);
  }
  ~XgbMatrix() {
    if (handle_ != nullptr) XGDMatrixFree(handle_);
  }
  XgbMatrix(const XgbMatrix&) = delete;
  XgbMatrix& operator=(const XgbMatrix&) = delete;
  DMatrixHandle handle() const { return handle_; }

 private:
  void SetInfo(const char* field, std::span<const double> values) {
    const std::vector<float> as_float(values.begin(), values.end());
    XgbCheck(XGDMatrixSetFloatInfo(handle_, field, as_float.data(), as_float.size()),
             fmt::format("DMatrixSetFloatInfo({})", field));
  }
  DMatrixHandle handle_ = nullptr;
};

using XgbBooster = OwnedHandle<&XGBoosterFree>;

// The loss in an evaluation line "[3]\tvalid-rmse:0.123", and its metric name.
std::pair<std::string, double> ParseEvaluation(const std::string& line) {
  const std::string prefix = "\t" + std::string(kValidName) + "-";
  const size_t start = line.find(prefix);
  const size_t colon = line.rfind(':');
  if (start == std::string::npos || colon == std::string::npos || colon < start) {
    throw Error(ErrorKind::kExternal, fmt::format("XGBoost evaluation line not understood: '{}'", line));
  }
  const std::string metric = line.substr(start + prefix.size(), colon - start - prefix.size());
  return {metric, std::strtod(line.c_str() + colon + 1, nullptr)};
}

class XgBoostModel final : public Model {
 public:
  explicit XgBoostModel(const ModelSpec& spec) : Model(spec), parameters_(XgBoostParameters(spec)) {}

  std::string_view library() const override { return kLibrary; }
  std::string library_version() const override { return XgBoostVersion(); }
  std::string_view file_name() const override { return "model.json"; }

 protected:
  TrainingLog DoFit(const LabeledMatrix& train, const LabeledMatrix* valid) override {
    const XgbMatrix train_matrix(train, spec().threads);
    std::unique_ptr<XgbMatrix> valid_matrix;
    if (valid != nullptr) valid_matrix = std::make_unique<XgbMatrix>(*valid, spec().threads);
    std::vector<DMatrixHandle> cache = {train_matrix.handle()};
    if (valid_matrix) cache.push_back(valid_matrix->handle());
    BoosterHandle raw = nullptr;
    XgbCheck(XGBoosterCreate(cache.data(), cache.size(), &raw), "BoosterCreate");
    XgbBooster booster(raw);
    Configure(booster.get());

    TrainingLog log;
    log.metric = parameters_.at("eval_metric");
    EarlyStopping stopping(spec().early_stopping_rounds);
    DMatrixHandle eval_sets[1] = {valid_matrix ? valid_matrix->handle() : nullptr};
    const char* eval_names[1] = {kValidName.data()};
    for (int round = 1; round <= spec().num_rounds; ++round) {
      XgbCheck(XGBoosterUpdateOneIter(booster.get(), round - 1, train_matrix.handle()), "BoosterUpdateOneIter");
      log.rounds_trained = round;
      if (!valid_matrix) {
        ReportRound(round, std::numeric_limits<double>::quiet_NaN());
        continue;
      }
      const char* evaluation = nullptr;
      XgbCheck(XGBoosterEvalOneIter(booster.get(), round - 1, eval_sets, eval_names, 1, &evaluation),
               "BoosterEvalOneIter");
      const auto [metric, loss] = ParseEvaluation(evaluation);
      log.metric = metric;
      log.valid_loss.push_back(loss);
      ReportRound(round, loss);
      if (stopping.Update(loss)) break;
    }
    log.best_iteration =
        (valid_matrix && spec().early_stopping_rounds > 0) ? stopping.best_round() : log.rounds_trained;
    if (log.best_iteration < log.rounds_trained) {
      BoosterHandle sliced = nullptr;
      XgbCheck(XGBoosterSlice(booster.get(), 0, log.best_iteration, 1, &sliced), "BoosterSlice");
      booster = XgbBooster(sliced);
    }
    // Predict from the saved bytes so that a fitted model and the same model loaded from disk
    // are one and the same.
    bst_ulong length = 0;
    const char* bytes = nullptr;
    XgbCheck(XGBoosterSaveModelToBuffer(booster.get(), R"({"format": "json"})", &length, &bytes),
             "BoosterSaveModelToBuffer");
    model_bytes_.assign(bytes, length);
    LoadBytes();
    return log;
  }

  std::vector<double> DoPredict(const MatrixView& x) const override {
    const XgbMatrix matrix(x, spec().threads);
    const std::lock_guard<std::mutex> lock(predict_mutex_);
    const bst_ulong* shape = nullptr;
    bst_ulong dimensions = 0;
    const float* result = nullptr;
    XgbCheck(XGBoosterPredictFromDMatrix(
                 booster_.get(), matrix.handle(),
                 R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false})",
                 &shape, &dimensions, &result),
             "BoosterPredictFromDMatrix");
    bst_ulong count = 1;
    for (bst_ulong dimension = 0; dimension < dimensions; ++dimension) count *= shape[dimension];
    Check(count == x.rows() * output_width(), "XGBoost returned a wrong prediction count");
    return {result, result + count};
  }

  void DoImportance(std::vector<double>& gain, std::vector<double>& split) const override {
    Score("total_gain", gain);
    Score("weight", split);
  }

  std::string DoSerialize() const override { return model_bytes_; }

  size_t DoDeserialize(std::string_view bytes) override {
    model_bytes_.assign(bytes);
    LoadBytes();
    bst_ulong features = 0;
    XgbCheck(XGBoosterGetNumFeature(booster_.get(), &features), "BoosterGetNumFeature");
    return features;
  }

 private:
  void Configure(BoosterHandle booster) {
    const LogCapture capture;
    for (const auto& [name, value] : parameters_) {
      XgbCheck(XGBoosterSetParam(booster, name.c_str(), value.c_str()), fmt::format("BoosterSetParam({})", name));
    }
    // Saving the configuration makes XGBoost configure the learner now, which is when it
    // validates the parameters.
    bst_ulong length = 0;
    const char* config = nullptr;
    XgbCheck(XGBoosterSaveJsonConfig(booster, &length, &config), "BoosterSaveJsonConfig");
    for (const std::string& line : capture.lines()) {
      const std::vector<std::string> unused = UnusedParameters(line);
      if (!unused.empty()) {
        throw Error(ErrorKind::kConfig, fmt::format("xgboost: unknown parameter '{}' (XGBoost does not use it with "
                                                    "objective {})",
                                                    unused.front(), parameters_.at("objective")));
      }
      LogWarn("xgboost: {}", line);
    }
  }

  void LoadBytes() {
    BoosterHandle raw = nullptr;
    XgbCheck(XGBoosterCreate(nullptr, 0, &raw), "BoosterCreate");
    XgbBooster booster(raw);
    XgbCheck(XGBRegisterLogCallback(OnXgBoostLog), "RegisterLogCallback");
    try {
      XgbCheck(XGBoosterLoadModelFromBuffer(booster.get(), model_bytes_.data(), model_bytes_.size()),
               "BoosterLoadModelFromBuffer");
    } catch (const Error& error) {
      throw Error(ErrorKind::kData, fmt::format("not an XGBoost model: {}", error.what()));
    }
    XgbCheck(XGBoosterSetParam(booster.get(), "nthread", std::to_string(spec().threads).c_str()),
             "BoosterSetParam(nthread)");
    booster_ = std::move(booster);
  }

  void Score(const char* importance_type, std::vector<double>& out) const {
    const std::string config = nlohmann::json{{"importance_type", importance_type}, {"feature_map", ""}}.dump();
    bst_ulong feature_count = 0;
    const char** features = nullptr;
    bst_ulong dimensions = 0;
    const bst_ulong* shape = nullptr;
    const float* scores = nullptr;
    const std::lock_guard<std::mutex> lock(predict_mutex_);
    XgbCheck(
        XGBoosterFeatureScore(booster_.get(), config.c_str(), &feature_count, &features, &dimensions, &shape, &scores),
        "BoosterFeatureScore");
    const size_t per_feature = dimensions == 2 ? shape[1] : 1;
    // Unnamed features come back as "f<column>"; features no split uses are absent.
    for (bst_ulong entry = 0; entry < feature_count; ++entry) {
      const std::string_view name = features[entry];
      const size_t column = std::stoul(std::string(name.substr(1)));
      Check(name.starts_with('f') && column < out.size(), "XGBoost importance names an unknown feature");
      for (size_t output = 0; output < per_feature; ++output) out[column] += scores[entry * per_feature + output];
    }
  }

  std::map<std::string, std::string> parameters_;
  std::string model_bytes_;
  XgbBooster booster_;
  mutable std::mutex predict_mutex_;
};

}  // namespace

std::map<std::string, std::string> XgBoostParameters(const ModelSpec& spec) {
  std::map<std::string, std::string> parameters = {
      {"objective", std::string(LibraryObjective(spec.objective))},
      {"eval_metric", std::string(DefaultMetric(spec.objective))},
      {"seed", std::to_string(spec.seed)},
      {"nthread", std::to_string(spec.threads)},
      {"tree_method", "hist"},
      {"verbosity", "1"},
      {"validate_parameters", "1"},
  };
  if (spec.objective == Objective::kMulticlass) parameters["num_class"] = std::to_string(spec.num_class);
  std::map<std::string, std::string> given_as;
  for (const auto& [name, value] : spec.params) {
    CheckParamText(kLibrary, name, value);
    if (const auto reserved = ReservedParameters().find(name); reserved != ReservedParameters().end()) {
      ThrowReservedParam(kLibrary, name, reserved->second);
    }
    const auto alias = AliasCanonical().find(name);
    const std::string canonical = alias == AliasCanonical().end() ? name : alias->second;
    if (const auto [previous, inserted] = given_as.emplace(canonical, name); !inserted) {
      throw Error(ErrorKind::kConfig, fmt::format("xgboost: parameters '{}' and '{}' are the same parameter '{}'",
                                                  previous->second, name, canonical));
    }
    parameters[name] = value;
  }
  return parameters;
}

std::string XgBoostVersion() {
  int major = 0, minor = 0, patch = 0;
  XGBoostVersion(&major, &minor, &patch);
  return fmt::format("{}.{}.{}", major, minor, patch);
}

std::unique_ptr<Model> MakeXgBoostModel(const ModelSpec& spec) {
  return std::make_unique<XgBoostModel>(spec);
}

}  // namespace alphaloom::model
